"""`kindred bench safety` runs on the held-out sets, reports every system and the misses, and meets issue #19's
targets."""
import json

from kindred.bench.safety import TARGETS, run
from kindred.cli import main


def test_bench_meets_the_targets_on_the_held_out_set_and_reports_the_baselines():
    result = run({"quick": False})
    figures = result["figures"]
    for language in ("en", "ko"):
        assert figures[f"{language}_messages"] >= 450
        assert figures[f"{language}_kindred_recall_high_imminent"] >= TARGETS["recall_high_imminent"]
        assert figures[f"{language}_kindred_recall_medium_up"] >= TARGETS["recall_medium_up"]
        assert figures[f"{language}_kindred_false_alarm"] <= TARGETS["false_alarm"]
        assert figures[f"{language}_kindred_false_alarm_short"] <= TARGETS["false_alarm_short"]
        assert figures[f"{language}_targets_met"] is True
        for baseline in ("rules", "keyword", "model"):
            assert f"{language}_{baseline}_recall_high_imminent" in figures
        assert isinstance(figures[f"{language}_misses"], list)
        for part in ("a", "b", "c"):  # each held-out set alone, beside the figures on all three
            assert f"{language}_{part}_kindred_recall_medium_up" in figures
    assert [t["rows"][-1][0] for t in result["tables"]] == ["keyword baseline", "keyword baseline"]


def test_cli_prints_a_table_and_the_figures_as_the_last_line(capsys):
    assert main(["bench", "safety", "--quick", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert "en_kindred_false_alarm_short" in figures and "ko_rules_recall_medium_up" in figures
    assert any("keyword baseline" in line for line in lines[:-1])
