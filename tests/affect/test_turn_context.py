"""Two turns of one person at once lose nothing they carry: a version per conversation, merged on conflict.

Before, the smoothed mood and the trajectory lived in the Companion between a turn's load and its save,
keyed by conversation and shared by every socket: the first of two overlapping turns to finish dropped
what the other was still using, and the other then stored an empty trajectory (three turns in a row left
three readings, two at once left none).
"""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from kindred.affect.carried import PRESENCE_SCOPE, session_from_dict, session_scope
from kindred.affect.context import load_turn_context
from kindred.affect.fusion import fuse
from kindred.events import Heard
from kindred.memory.sql_store import open_sql_store
from kindred.turn import Companion

from ..conftest import ScriptedChat
from .test_carried import GRIEF, PLAIN, ScriptedReader

pytestmark = pytest.mark.both_engines
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


async def _talk(companion: Companion, text: str) -> str:
    events = [e async for e in companion.turn(text, user="ana")]
    return next(e for e in events if isinstance(e, Heard)).session_id


async def _two_at_once_then_a_third(companion: Companion) -> str:
    first = await _talk(companion, "hello")  # the conversation exists before the two overlap
    both = await asyncio.gather(_talk(companion, "My grandmother died last night."), _talk(companion, "ok."))
    third = await _talk(companion, "Thank you.")
    assert {first, *both, third} == {first}, "all four turns belong to one conversation"
    return first


def test_two_turns_at_once_then_a_third_leave_every_reading_stored(settings, locate):
    store = open_sql_store(locate("feelings.db"))
    # The reply is streamed slowly, so both overlapping turns have loaded before either saves.
    companion = Companion(settings=settings, chat=ScriptedChat(delay_s=0.02), store=store, emotion=ScriptedReader())
    session = asyncio.run(_two_at_once_then_a_third(companion))

    carried = session_from_dict(asyncio.run(store.load_feelings("ana", session_scope(session))))
    assert len(carried.trajectory) == 4 and carried.affect.snapshot.turns == 4
    assert carried.texts[0] == "hello" and carried.texts[-1] == "Thank you."
    assert sorted(carried.texts[1:3]) == ["My grandmother died last night.", "ok."]
    assert asyncio.run(store.load_feelings("ana", PRESENCE_SCOPE))["updated_at"]
    asyncio.run(store.close())


def test_a_save_that_lost_the_race_merges_onto_the_newer_row(settings, locate):
    store = open_sql_store(locate("race.db"))

    async def race() -> None:
        a = await load_turn_context(store, "ana", "s1")
        b = await load_turn_context(store, "ana", "s1")  # both start from the same (empty) row
        a.feel(GRIEF)
        a.heard(fuse(text=GRIEF), "It died.", NOW)
        b.feel(PLAIN)
        b.heard(fuse(text=PLAIN), "ok.", NOW)
        assert await a.save(store) == 1  # saved at the first try
        assert await b.save(store) == 2  # found A's save, reloaded and merged, saved at the second
        merged = await load_turn_context(store, "ana", "s1")
        assert merged.texts == ("It died.", "ok.") and merged.version == 2
        assert merged.affect.snapshot.turns == 2

    asyncio.run(race())
    asyncio.run(store.close())


def test_a_turn_that_changed_nothing_saves_nothing(settings, locate):
    store = open_sql_store(locate("quiet.db"))

    async def quiet() -> None:
        context = await load_turn_context(store, "ana", "s1")
        assert await context.save(store) == 0
        assert await store.load_feelings("ana", session_scope("s1")) is None

    asyncio.run(quiet())
    asyncio.run(store.close())
