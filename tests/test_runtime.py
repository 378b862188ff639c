"""Putting a companion together: an emotion reader that fails either stops it or, when asked, is left out."""
import pytest

from kindred import runtime
from kindred.errors import KindredError

from .conftest import ScriptedChat


class BrokenWeights(KindredError):
    code = "emotion-model-corrupt"


@pytest.fixture
def broken_reader(monkeypatch):
    def fail():
        raise BrokenWeights("The emotion weights are damaged.", "Reinstall kindred.")

    monkeypatch.setattr(runtime, "open_emotion_reader", fail)
    monkeypatch.setattr(runtime, "open_chat_model", lambda settings, progress=None: ScriptedChat())


def test_a_reader_that_fails_stops_the_companion_unless_it_may_answer_without_feelings(settings, broken_reader):
    with pytest.raises(BrokenWeights):
        runtime.open_companion(settings)
    told = []
    companion = runtime.open_companion(settings, feelings_off=told.append)
    assert companion.emotion is None and [e.code for e in told] == ["emotion-model-corrupt"]
