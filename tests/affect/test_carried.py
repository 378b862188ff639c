"""Feelings carried between turns live in the database, so any replica can serve a conversation's next turn."""
from __future__ import annotations

import asyncio
import json

import pytest

from kindred.affect.carried import (
    SessionFeelings,
    presence_from_dict,
    presence_to_dict,
    session_from_dict,
    session_to_dict,
)
from kindred.affect.fusion import fuse
from kindred.affect.presence import Presence
from kindred.affect.reading import EmotionReading
from kindred.affect.state import AffectState
from kindred.events import Chose, Felt
from kindred.memory.sql_store import open_sql_store
from kindred.turn import Companion

from ..conftest import ScriptedChat

pytestmark = pytest.mark.both_engines  # the replicas share whichever database holds the feelings

GRIEF = EmotionReading((("grief", 0.8), ("sadness", 0.6), ("neutral", 0.1)), ("grief", "sadness"), -0.8, 0.3,
                       "en", 0.9, "scripted")
PLAIN = EmotionReading((("neutral", 0.9), ("approval", 0.05)), ("neutral",), 0.0, 0.2, "en", 0.9, "scripted")


class ScriptedReader:
    """Stands in for the classifier: grief for the loss, neutral for anything else."""

    name = "scripted"

    def read(self, text: str) -> EmotionReading:
        return GRIEF if "died" in text else PLAIN


def test_what_is_carried_survives_a_trip_through_json():
    state = AffectState()
    state.update(GRIEF)
    state.update(PLAIN)
    trajectory = [fuse(text=GRIEF), fuse(text=PLAIN)]
    data = json.loads(json.dumps(session_to_dict(SessionFeelings(state, trajectory, ["a", "b"]))))
    back = session_from_dict(data)
    assert back.affect.snapshot == state.snapshot and back.trajectory == trajectory and back.texts == ["a", "b"]
    presence = Presence(0.4, 0.3, "2026-01-02T03:04:05+00:00")
    assert presence_from_dict(json.loads(json.dumps(presence_to_dict(presence)))) == presence
    assert session_from_dict(None).affect is None and presence_from_dict(None) == Presence()


async def two_turns(first: Companion, second: Companion) -> tuple[Felt, Chose]:
    async for _ in first.turn("My grandmother died last night.", user="ana"):
        pass
    events = [e async for e in second.turn("ok.", user="ana")]
    return next(e for e in events if isinstance(e, Felt)), next(e for e in events if isinstance(e, Chose))


def companion(settings, location) -> Companion:
    return Companion(settings=settings, chat=ScriptedChat(), store=open_sql_store(location), emotion=ScriptedReader())


def test_a_second_replica_continues_the_mood_the_first_one_heard(settings, locate):
    shared = locate("shared.db")
    replica_a, replica_b = companion(settings, shared), companion(settings, shared)
    felt, chose = asyncio.run(two_turns(replica_a, replica_b))

    alone = companion(settings, locate("one-process.db"))  # the same two turns in one process
    felt_alone, chose_alone = asyncio.run(two_turns(alone, alone))
    assert (felt.state_valence, felt.state_label) == (felt_alone.state_valence, felt_alone.state_label)
    assert (chose.tone, chose.her_mood, chose.strategies) == (chose_alone.tone, chose_alone.her_mood,
                                                              chose_alone.strategies)

    fresh = companion(settings, locate("fresh.db"))  # what replica B would feel knowing nothing
    felt_fresh = asyncio.run(_one_turn(fresh, "ok."))
    assert felt.state_valence < felt_fresh.state_valence  # the grief carried over to the other replica

    # Nothing stays behind in the process that served a turn: memory does not grow with the number of people.
    assert vars(replica_a.empathy) == {}  # each turn's feelings live in its own TurnContext (affect/context.py)


async def _one_turn(c: Companion, text: str) -> Felt:
    return next(e for e in [e async for e in c.turn(text, user="ana")] if isinstance(e, Felt))
