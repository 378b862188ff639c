"""The training data and the held-out set stay apart, both parse, and together they are as large as issue #19 asks."""
from pathlib import Path

from kindred.safety import safety_data
from kindred.safety.normalize import normalize
from kindred.safety.rules import risk_rank
from kindred.safety.safety_data import load_messages

PACKAGE = Path(safety_data.__file__).parents[1]
TRAIN = sorted((PACKAGE / "safety" / "data").glob("crisis_train_*.tsv"))
HELD_OUT = sorted((PACKAGE / "bench" / "data").glob("safety_heldout_*.tsv"))


def _by_language(paths):
    out: dict[str, list] = {}
    for path in paths:
        for message in load_messages(path):
            out.setdefault(message.language, []).append(message)
    return out


def test_held_out_set_has_every_level_short_messages_and_risk_in_every_form():
    assert [p.name for p in HELD_OUT] == ["safety_heldout_b_en.tsv", "safety_heldout_b_ko.tsv",
                                          "safety_heldout_c_en.tsv", "safety_heldout_c_ko.tsv",
                                          "safety_heldout_d_en.tsv", "safety_heldout_d_ko.tsv",
                                          "safety_heldout_e_en.tsv", "safety_heldout_e_ko.tsv",
                                          "safety_heldout_en.tsv", "safety_heldout_f_en.tsv",
                                          "safety_heldout_f_ko.tsv", "safety_heldout_g_en.tsv",
                                          "safety_heldout_g_ko.tsv", "safety_heldout_h_en.tsv",
                                          "safety_heldout_h_ko.tsv", "safety_heldout_ko.tsv"]  # sorted by name
    for path in HELD_OUT:  # each set on its own, A to H
        messages = load_messages(path)
        assert {m.risk for m in messages} >= {"none", "medium", "high", "imminent"}, path.name
        assert sum(m.kind == "short" for m in messages) >= 40, path.name
        assert sum(risk_rank(m.risk) >= 2 for m in messages) >= 25, path.name
    for language, messages in _by_language(HELD_OUT).items():
        assert sum(m.kind == "short" for m in messages) >= 200, language
        assert sum(risk_rank(m.risk) >= 2 for m in messages) >= 200, language
        assert {"figurative", "sad", "indirect", "misspelt", "slang", "adversarial"} <= {m.kind for m in messages}
        assert {m.risk for m in messages} == {"none", "low", "medium", "high", "imminent"}, language
        assert {m.category for m in messages} == {"none", "self_harm", "harm_to_others", "abuse", "medical"}


def test_all_data_together_is_as_large_as_the_issue_asks():
    every = _by_language(TRAIN + HELD_OUT)
    assert set(every) == {"en", "ko"}
    for language, messages in every.items():
        assert sum(m.risk == "none" for m in messages) >= 600, language
        assert sum(m.kind == "short" for m in messages) >= 150, language
        assert sum(risk_rank(m.risk) >= 2 for m in messages) >= 300, language


def test_no_held_out_message_is_in_the_training_data():
    train = {normalize(m.text) for path in TRAIN for m in load_messages(path)}
    overlap = [m.text for path in HELD_OUT for m in load_messages(path) if normalize(m.text) in train]
    assert overlap == []


def test_languages_match_their_files():
    for path in TRAIN + HELD_OUT:
        language = "ko" if "_ko" in path.name else "en"
        assert {m.language for m in load_messages(path)} == {language}, path.name
