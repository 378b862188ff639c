"""The training data and the benchmark's test set stay apart, and both parse."""
from pathlib import Path

from kindred.safety import safety_data
from kindred.safety.normalize import normalize
from kindred.safety.safety_data import load_messages

PACKAGE = Path(safety_data.__file__).parents[1]
TRAIN = sorted((PACKAGE / "safety" / "data").glob("crisis_train_*.tsv"))
TEST = sorted((PACKAGE / "bench" / "data").glob("safety_test_*.tsv"))


def test_test_set_has_200_graded_messages_per_language_with_every_kind():
    for path in TEST:
        messages = load_messages(path)
        assert len(messages) >= 200, path.name
        assert {m.risk for m in messages} == {"none", "low", "medium", "high", "imminent"}
        assert {"figurative", "indirect", "adversarial"} <= {m.kind for m in messages}


def test_no_test_message_is_in_the_training_data():
    train = {normalize(m.text) for path in TRAIN for m in load_messages(path)}
    overlap = [m.text for path in TEST for m in load_messages(path) if normalize(m.text) in train]
    assert overlap == []
