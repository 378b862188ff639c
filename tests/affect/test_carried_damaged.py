"""A damaged feelings row is logged with a code, set aside for inspection and rebuilt; the turn goes on.

Before, a malformed ``conversation_feelings`` row raised a bare KeyError on every later turn, before the
person's words were stored. Here each kind of damage is written into the real table, then the person talks.
"""
from __future__ import annotations

import asyncio
import json
import logging

import pytest

from kindred.affect.carried import VERSION, affect_to_dict, presence_from_dict, session_from_dict
from kindred.database import open_database
from kindred.errors import StoredStateError
from kindred.events import Replied
from kindred.memory.sql_store import SQLStore, open_sql_store
from kindred.turn import Companion

from ..conftest import ScriptedChat
from .test_carried import ScriptedReader

pytestmark = pytest.mark.both_engines

GOOD_AFFECT = {"decay": 0.6, "prior_mass": 1.0, "valence": -0.5, "arousal": 0.3, "mass": 2.0,
               "labels": {"sadness": 0.5}, "turns": 2}
DAMAGE = {  # what is stored -> the code it must be logged with
    "not JSON": ("{'affect': None,", "carried-json-invalid"),
    "cut short": ('{"version": 1, "affect": {"decay": 0.6', "carried-json-invalid"),
    "a list": ("[1, 2, 3]", "carried-shape-invalid"),
    "a key missing": (json.dumps({"version": 1, "affect": {"decay": 0.6}}), "carried-shape-invalid"),
    "a number as text": (json.dumps({"affect": {**GOOD_AFFECT, "valence": "low"}}), "carried-shape-invalid"),
    "NaN": ('{"affect": {"decay": 0.6, "prior_mass": 1.0, "valence": NaN, "arousal": 0.3, "mass": 2.0, '
            '"labels": {}, "turns": 2}}', "carried-shape-invalid"),
    "texts not a list": (json.dumps({"version": 1, "affect": None, "texts": 5}), "carried-shape-invalid"),
    "trajectory of text": (json.dumps({"version": 1, "affect": None, "trajectory": "sad"}), "carried-shape-invalid"),
    "a newer version": (json.dumps({"version": 7, "affect": GOOD_AFFECT}), "carried-version-unknown"),
}


def _rows(store, user: str) -> dict[str, str]:
    return dict(store.read("SELECT scope, state FROM conversation_feelings WHERE user_id = ?", (user,)))


async def _talk(companion: Companion, text: str) -> list:
    return [event async for event in companion.turn(text, user="ana")]


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_conversation_row_leaves_the_next_turn_working_and_stored(settings, locate, caplog, damage):
    stored, code = DAMAGE[damage]
    store = open_sql_store(locate("feelings.db"))
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store, emotion=ScriptedReader())
    asyncio.run(_talk(companion, "My grandmother died last night."))
    [scope] = [s for s in _rows(store, "ana") if s.startswith("session:")]
    store.write("UPDATE conversation_feelings SET state = ? WHERE user_id = 'ana' AND scope = ?", (stored, scope))

    with caplog.at_level(logging.WARNING, logger="kindred.affect"):
        events = asyncio.run(_talk(companion, "I still can't sleep."))
    assert isinstance(events[-1], Replied) and events[-1].text == "Hello there."
    said = [t.text for t in asyncio.run(store.recent_turns("ana")) if t.role == "user"]
    assert said == ["My grandmother died last night.", "I still can't sleep."]
    assert f"[{code}]" in caplog.text

    rows = _rows(store, "ana")
    [aside] = [s for s in rows if s.startswith("set-aside:")]
    assert aside.endswith(scope)  # kept for inspection, as it was, with why
    kept = json.loads(rows[aside])
    assert kept["stored"] == stored and kept["set_aside"]["code"] == code
    rebuilt = json.loads(rows[scope])  # the turn's own save wrote a good row in its place
    assert rebuilt["version"] == VERSION and session_from_dict(rebuilt).texts == ["I still can't sleep."]

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kindred.affect"):
        asyncio.run(_talk(companion, "Thank you for listening."))
    assert "carried-" not in caplog.text  # set aside once: the next turn reads the rebuilt row quietly
    asyncio.run(store.close())


def test_a_damaged_presence_row_is_set_aside_and_she_starts_from_her_temperament(settings, locate, caplog):
    store = open_sql_store(locate("presence.db"))
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store, emotion=ScriptedReader())
    asyncio.run(_talk(companion, "hello"))
    store.write("UPDATE conversation_feelings SET state = ? WHERE user_id = 'ana' AND scope = 'presence'",
                 (json.dumps({"version": 1, "brightness": "very", "energy": 0.5}),))
    with caplog.at_level(logging.WARNING, logger="kindred.affect"):
        events = asyncio.run(_talk(companion, "how are you?"))
    assert isinstance(events[-1], Replied) and "[carried-shape-invalid]" in caplog.text
    rows = _rows(store, "ana")
    assert any(s.startswith("set-aside:") and s.endswith(":presence") for s in rows)
    assert presence_from_dict(json.loads(rows["presence"])).updated_at  # rebuilt by the turn
    asyncio.run(store.close())


def test_two_replicas_finding_the_same_bad_row_set_it_aside_once(settings, locate):
    location = locate("shared.db")
    # Two connections, as two processes have (``open_sql_store`` in one process shares one handle).
    first, second = SQLStore(open_database(location)), SQLStore(open_database(location))
    first.write("INSERT INTO conversation_feelings(user_id, scope, state, updated_at) VALUES (?, ?, ?, ?)",
                 ("ana", "session:s1", "{broken", "2026-01-01T00:00:00+00:00"))
    why = {"code": "carried-json-invalid", "message": "broken"}
    moved = [asyncio.run(store.set_aside_feelings("ana", "session:s1", why)) for store in (first, second)]
    assert moved[0] and moved[1] is None
    assert [s for s in _rows(first, "ana")] == [moved[0]]
    for store in (first, second):
        asyncio.run(store.close())


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_reading_is_strict_and_coded(damage):
    stored, code = DAMAGE[damage]
    try:
        data = json.loads(stored)
    except ValueError:
        return  # the store's own JSON check gives carried-json-invalid (above)
    with pytest.raises(StoredStateError) as refused:
        session_from_dict(data)
    assert refused.value.code == code and refused.value.hint


def test_rows_written_before_the_version_field_still_read():
    legacy = {"affect": GOOD_AFFECT, "trajectory": [], "texts": ["hi"]}  # as the previous release wrote
    assert affect_to_dict(session_from_dict(legacy).affect) == GOOD_AFFECT
    assert presence_from_dict({"brightness": 0.5, "energy": 0.4, "updated_at": ""}).brightness == 0.5
