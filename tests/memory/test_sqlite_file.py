"""What only the SQLite file has: WAL mode, and a damaged file reported, never deleted."""
import sqlite3

import pytest

from kindred.errors import StoreError
from kindred.memory.sqlite_store import SQLiteStore


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
