"""Issue 21, defect 4: every stored user turn has an assistant row, even after a crash mid-reply."""
import asyncio
import sqlite3

import pytest

from kindred.errors import ConflictError, StoreError
from kindred.memory.sql_store import open_sql_store

pytestmark = pytest.mark.both_engines


async def _user_turn(store, user: str, turn_id: str, text: str = "are you there?") -> None:
    session = await store.session_for(user, gap_minutes=60)
    await store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="user", text=text, language="en")


def _unanswered(rows) -> list[str]:
    answered = {t.turn_id for t in rows if t.role == "assistant"}
    return [t.turn_id for t in rows if t.role == "user" and t.turn_id not in answered]


def test_opening_the_store_answers_what_a_crash_left_unanswered(settings):
    store = open_sql_store(settings.database_location)
    asyncio.run(_user_turn(store, "mina", "cut-off"))  # then the process died: no assistant row
    asyncio.run(store.close())

    store = open_sql_store(settings.database_location)  # the restart
    try:
        rows = asyncio.run(store.recent_turns("mina", limit=10))
        assert _unanswered(rows) == []
        reply = next(t for t in rows if t.role == "assistant")
        assert (reply.turn_id, reply.status, reply.text) == ("cut-off", "interrupted", "")
        assert store.answer_unanswered() == 0  # once: a second opening finds nothing to do
    finally:
        asyncio.run(store.close())


def test_a_reply_still_running_elsewhere_replaces_the_placeholder(settings):
    """Another process opened the store (and repaired) while this turn was generating: its reply wins."""
    store = open_sql_store(settings.database_location)
    try:
        asyncio.run(_user_turn(store, "mina", "slow"))
        assert store.answer_unanswered() == 1
        session = asyncio.run(store.recent_turns("mina", limit=1))[0].session_id
        asyncio.run(store.add_turn(user="mina", session_id=session, turn_id="slow", role="assistant",
                                   text="I'm here.", language="en"))
        rows = asyncio.run(store.recent_turns("mina", limit=10))
        assert [(t.role, t.text, t.status) for t in rows] == [("user", "are you there?", "ok"),
                                                              ("assistant", "I'm here.", "ok")]
        with pytest.raises(ConflictError):  # a real reply is never overwritten
            asyncio.run(store.add_turn(user="mina", session_id=session, turn_id="slow", role="assistant",
                                       text="again", language="en"))
    finally:
        asyncio.run(store.close())


def test_a_transaction_that_cannot_begin_is_a_coded_store_error(settings, engine):
    """BEGIN and COMMIT failed outside the coded path: a raw sqlite3 error escaped to the caller."""
    if engine != "sqlite":
        pytest.skip("SQLite's file lock; PostgreSQL's transaction() codes its errors through psycopg")
    store = open_sql_store(settings.database_location)
    other = sqlite3.connect(settings.database_location, timeout=0)
    try:
        store.read("PRAGMA busy_timeout = 50")  # do not wait the usual 10 s for the lock
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        with pytest.raises(StoreError) as info, store.transaction() as db:
            db.execute("DELETE FROM turns")
        assert info.value.code == "store-busy" and info.value.hint
    finally:
        other.rollback()
        other.close()
        asyncio.run(store.close())
