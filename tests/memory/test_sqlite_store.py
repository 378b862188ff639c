import asyncio
import sqlite3
from datetime import UTC

import pytest

from kindred.errors import StoreError
from kindred.memory.sqlite_store import SQLiteStore


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
    db = SQLiteStore(settings.database_path, clock=lambda: now[0])
    first = await db.session_for("u", gap_minutes=60)
    now[0] += timedelta(hours=5)
    later = await db.session_for("u", gap_minutes=60)
    assert later.id != first.id
    await db.close()


def test_database_uses_wal_and_migrations(store, settings):
    with sqlite3.connect(settings.database_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] >= 1


def test_corrupt_database_gives_a_coded_error_and_is_not_deleted(settings):
    settings.home.mkdir(parents=True)
    settings.database_path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as info:
        SQLiteStore(settings.database_path)
    assert info.value.code == "store-corrupt"
    assert settings.database_path.exists()


def test_reopening_keeps_everything(settings):
    async def scenario():
        db = SQLiteStore(settings.database_path)
        s = await db.session_for("u", gap_minutes=60)
        await db.add_turn(user="u", session_id=s.id, turn_id="t", role="user", text="remember me", language="en")
        await db.close()
        again = SQLiteStore(settings.database_path)
        turns = await again.recent_turns("u")
        await again.close()
        return turns

    assert [t.text for t in asyncio.run(scenario())] == ["remember me"]
