"""`kindred bench safety` runs on the held-out sets, reports every system, each set alone and the misses.

The recall targets of issue #19 (0.98 / 0.95) are NOT met on the held-out sets written after the
rules (see docs/safety.md); these floors guard the figures reached so far, and the false-alarm targets,
which are met, are asserted as targets.
"""
import json

from kindred.bench.safety import TARGETS, run
from kindred.cli import main

# On A–H, every other message (--quick). v6 measured 0.913 / 0.900 (EN) and 0.867 / 0.839 (KO) on all of A–H;
# the floors leave room for the halved sample and guard against a fall back towards v5's 0.80 / 0.73.
FLOORS = {"recall_high_imminent": 0.82, "recall_medium_up": 0.80}


def test_bench_holds_its_figures_and_the_false_alarm_targets_and_reports_the_baselines():
    result = run({"quick": True})
    figures = result["figures"]
    for language in ("en", "ko"):
        assert figures[f"{language}_messages"] >= 350
        for key, floor in FLOORS.items():
            assert figures[f"{language}_kindred_{key}"] >= floor, key
            assert figures[f"{language}_kindred_{key}"] > figures[f"{language}_keyword_{key}"], key
            assert figures[f"{language}_kindred_{key}"] >= figures[f"{language}_rules_{key}"], key
        assert figures[f"{language}_kindred_false_alarm"] <= TARGETS["false_alarm"]
        assert figures[f"{language}_kindred_false_alarm_short"] <= TARGETS["false_alarm_short"]
        assert isinstance(figures[f"{language}_misses"], list)
        for part in ("a", "b", "c", "d", "e", "f", "g", "h"):  # each held-out set alone, beside the figures on all
            assert f"{language}_{part}_kindred_recall_medium_up" in figures
            assert f"{language}_{part}_targets_met" in figures
    assert [t["rows"][-1][0] for t in result["tables"] if len(t["rows"]) == 4] == ["keyword baseline"] * 2


def test_cli_prints_a_table_and_the_figures_as_the_last_line(capsys):
    assert main(["bench", "safety", "--quick", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert "en_kindred_false_alarm_short" in figures and "ko_rules_recall_medium_up" in figures
    assert any("keyword baseline" in line for line in lines[:-1])
