import os
from collections import Counter

import pytest

from kindred.affect.strategy import STRATEGIES, TONES
from kindred.bench import empathy

CATEGORIES = {"grief", "anxiety", "anger", "good_news", "loneliness", "boredom", "masked"}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_evaluation_set_is_complete_and_well_formed(language):
    rows = empathy.load_conversations(language)
    assert len(rows) >= 60
    assert len({row["id"] for row in rows}) == len(rows)
    assert set(Counter(row["category"] for row in rows)) == CATEGORIES
    for row in rows:
        assert row["language"] == language and 1 <= len(row["user"]) <= 3
        assert len(row["strategies"]) == 2 and set(row["strategies"]) <= set(STRATEGIES)
        assert row["tone"] in TONES
        assert row["preference"] in {"listen", "balanced", "advice"}
        if language == "ko":
            assert all(any("가" <= ch <= "힣" for ch in text) for text in row["user"])


def test_scores_count_agreement_and_the_baseline():
    from kindred.affect.strategy import ResponsePlan

    rows = [{"category": "grief", "strategies": ["reflection_of_feelings", "affirmation_and_reassurance"],
             "tone": "comforting"},
            {"category": "boredom", "strategies": ["providing_suggestions", "question"], "tone": "playful"}]
    plans = [ResponsePlan(("reflection_of_feelings", "question"), "comforting", "", "grief"),
             ResponsePlan(("question",), "curious", "", "neutral")]
    result = empathy.score(rows, plans)
    assert result["top2"] == 1.0 and result["lead"] == 1.0 and result["tone"] == 0.5
    assert result["common_two"] == ["reflection_of_feelings", "affirmation_and_reassurance"]  # ties: first seen
    assert result["base_top2"] == 0.5


@pytest.mark.slow
def test_bench_runs_quick_with_the_real_model(tmp_path, monkeypatch):
    monkeypatch.setenv("KINDRED_HOME", str(tmp_path))  # the readings it keeps go here, not to a real home
    options = {"quick": True, "emotion_weights": os.environ.get("KINDRED_EMOTION_WEIGHTS_DEV") or None}
    result = empathy.run(options)
    figures = result["figures"]
    for language in ("en", "ko"):
        assert figures[f"empathy_{language}_conversations"] == 21
        assert 0.0 <= figures[f"empathy_{language}_top2"] <= 1.0
        assert f"empathy_{language}_base_top2" in figures
    assert result["tables"][0]["rows"]
    from kindred.bench.esconv import DEFAULT_PATH

    if DEFAULT_PATH.exists():  # the shared ESConv file sits beside checkouts, not in the repo
        assert figures["esconv_turns"] > 100 and 0.0 <= figures["esconv_lead"] <= 1.0
        assert any("by the chooser's author" in table["title"] for table in result["tables"])
    # the packaged Korean support set, heard in the same run: --quick takes its first 20 conversations
    assert figures["esconv_ko_conversations"] == 20 and figures["esconv_ko_turns"] > 100
    assert figures["esconv_ko_baseline_lead"] > 0.2  # questions lead the Korean supporters' turns too
    # A second run reads nothing with the model and scores exactly the same.
    again = empathy.run(options)
    timings = ("seconds", "_ms_")
    assert {k: v for k, v in again["figures"].items() if not any(t in k for t in timings)} == \
        {k: v for k, v in figures.items() if not any(t in k for t in timings)}
    assert any(note.startswith("Readings:") and " 0 read by the model" in note for note in again["notes"])
    assert list((tmp_path / "bench").glob("readings-*.json"))
