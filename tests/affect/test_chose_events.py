"""Through the real turn loop: the Chose event's tone follows the person's mood, and says why."""
import pytest

from kindred.events import Chose
from kindred.runtime import open_emotion_reader
from kindred.turn import Companion
from tests.conftest import ScriptedChat

pytestmark = pytest.mark.slow


async def test_tone_changes_with_the_mood_and_the_events_say_why(settings, store):
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store, emotion=open_emotion_reader())
    choices = []
    for text in ("My grandmother died last night and I can't stop crying.",
                 "Thank you for listening. I feel a little better now.",
                 "Guess what, I got into nursing school!! I'm so happy!"):
        events = [e async for e in companion.turn(text)]
        choices.append(next(e for e in events if isinstance(e, Chose)))
    assert choices[0].tone == "comforting"
    assert choices[-1].tone == "celebrating"
    assert all(c.why and c.strategies and c.her_mood for c in choices)
    notes = companion.chat.calls[-1][-1].content  # this turn's notes, not the persona (which names every tone)
    assert "celebrating" in notes.lower() and "comforting" not in notes.lower()
