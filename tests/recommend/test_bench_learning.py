"""`kindred bench learning`: the bandit beats random choice, with the baselines from the same run."""
from kindred.bench import format_table
from kindred.bench.learning import run, simulate_preferences, simulate_suggestions


def test_quick_bench_reports_regret_against_both_baselines_and_plots(tmp_path):
    result = run({"quick": True, "out": str(tmp_path)})
    figures = result["figures"]
    assert figures["regret_linucb"] < 0.5 * figures["regret_random"]
    assert "regret_best_fixed" in figures and "regret_linucb_minus_best_fixed" in figures
    assert (tmp_path / "learning-regret.png").stat().st_size > 10_000
    for table in result["tables"]:
        assert format_table(table)
    assert all(not isinstance(v, (dict, list)) for v in figures.values())  # flat for --json


def test_one_simulated_user_is_reproducible():
    first, second = simulate_suggestions(7, turns=100), simulate_suggestions(7, turns=100)
    assert (first["linucb"] == second["linucb"]).all()
    assert first["random"][-1] > first["linucb"][-1]


def test_corrections_teach_the_simulated_users_preferences():
    misses = simulate_preferences(3, turns=100)
    assert misses[-20:].sum() == 0
