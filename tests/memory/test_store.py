"""The turn/session store, on SQLite and on PostgreSQL."""
import asyncio
from datetime import UTC

import pytest

from kindred.database import open_database
from kindred.memory.sql_store import SQLStore, open_sql_store

pytestmark = pytest.mark.both_engines


async def test_turns_are_kept_per_user(store):
    a = await store.session_for("alice", gap_minutes=60)
    b = await store.session_for("bob", gap_minutes=60)
    await store.add_turn(user="alice", session_id=a.id, turn_id="t1", role="user", text="hi", language="en")
    await store.add_turn(user="bob", session_id=b.id, turn_id="t2", role="user", text="yo", language="en")
    alice = await store.recent_turns("alice")
    assert [t.text for t in alice] == ["hi"]
    assert await store.count_turns("bob") == 1


async def test_session_continues_within_gap_and_splits_on_request(store):
    first = await store.session_for("u", gap_minutes=60)
    again = await store.session_for("u", gap_minutes=60)
    fresh = await store.session_for("u", gap_minutes=60, new=True)
    assert first.id == again.id
    assert fresh.id != first.id


async def test_session_splits_after_a_gap(settings):
    from datetime import datetime, timedelta

    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    db = open_sql_store(settings.database_location, clock=lambda: now[0])
    first = await db.session_for("u", gap_minutes=60)
    now[0] += timedelta(hours=5)
    later = await db.session_for("u", gap_minutes=60)
    assert later.id != first.id
    await db.close()


async def test_turns_come_back_in_order_with_korean_text_and_ids_that_grow(store):
    session = await store.session_for("u", gap_minutes=60)
    stored = [await store.add_turn(user="u", session_id=session.id, turn_id=f"t{i}", role="user",
                                   text=f"{i}번째 이야기: 면접이 걱정돼", language="ko") for i in range(3)]
    assert [s.id for s in stored] == sorted(s.id for s in stored)
    back = await store.recent_turns("u", limit=2)
    assert [t.text for t in back] == ["1번째 이야기: 면접이 걱정돼", "2번째 이야기: 면접이 걱정돼"]
    assert back[-1].id == stored[-1].id


def test_every_migration_is_applied_once_and_reopening_applies_none(settings, store):
    from kindred.database.migrate import migrations_for

    applied = [row[0] for row in store.read("SELECT id FROM schema_migrations ORDER BY id")]
    assert applied == sorted(mid for mid, _ in migrations_for("sqlite"))
    again = SQLStore(open_database(settings.database_location))  # a connection of its own: it migrates on open
    assert [row[0] for row in again.read("SELECT id FROM schema_migrations ORDER BY id")] == applied
    asyncio.run(again.close())


def test_a_duplicate_turn_is_a_coded_conflict(store):
    from kindred.errors import ConflictError

    session = asyncio.run(store.session_for("u", gap_minutes=60))

    async def add():
        await store.add_turn(user="u", session_id=session.id, turn_id="same", role="user", text="x", language="en")

    asyncio.run(add())
    with pytest.raises(ConflictError) as info:
        asyncio.run(add())
    assert info.value.code == "store-conflict" and info.value.hint
    assert asyncio.run(store.count_turns("u")) == 1


def test_reopening_keeps_everything(settings):
    async def scenario():
        db = open_sql_store(settings.database_location)
        s = await db.session_for("u", gap_minutes=60)
        await db.add_turn(user="u", session_id=s.id, turn_id="t", role="user", text="remember me", language="en")
        await db.close()
        again = open_sql_store(settings.database_location)
        turns = await again.recent_turns("u")
        await again.close()
        return turns

    # Kept, and (no reply was ever stored: as after a crash) answered by an empty row marked interrupted.
    assert [(t.role, t.text, t.status) for t in asyncio.run(scenario())] == [
        ("user", "remember me", "ok"), ("assistant", "", "interrupted")]
