"""The PostgreSQL engine's own promises: coded errors, no drift from SQLite (concurrent migration: test_migrate)."""
import socket

import pytest

from kindred.database import open_database
from kindred.database.migrate import migrations_for, postgres_ddl
from kindred.errors import MissingExtraError, StoreError


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_is_a_coded_error_with_a_hint_and_no_password():
    url = f"postgresql://kindred:secret-word@127.0.0.1:{_closed_port()}/kindred"
    with pytest.raises(StoreError) as info:
        open_database(url)
    assert info.value.code == "store-unavailable"
    assert "KINDRED_DATABASE_URL" in info.value.hint
    assert "secret-word" not in str(info.value)


def test_every_migration_exists_for_both_engines_under_the_same_id():
    assert [mid for mid, _ in migrations_for("sqlite")] == [mid for mid, _ in migrations_for("postgres")]


def test_plain_tables_translate_and_sqlite_only_sql_is_refused():
    translated = postgres_ddl("x-1", "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, score REAL, "
                                     "data BLOB, n INTEGER NOT NULL);")
    assert translated == ("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, score DOUBLE PRECISION, "
                          "data BYTEA, n BIGINT NOT NULL);")
    for sqlite_only in ("CREATE VIRTUAL TABLE f USING fts5(x);",
                        "CREATE TRIGGER g AFTER DELETE ON t BEGIN DELETE FROM u; END;"):
        with pytest.raises(StoreError) as info:
            postgres_ddl("x-2", sqlite_only)
        assert info.value.code == "store-migration"


def test_without_psycopg_the_error_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # what an install without the extra looks like
    with pytest.raises(MissingExtraError) as info:
        open_database("postgresql://kindred@127.0.0.1:1/kindred")
    assert info.value.code == "extra-missing" and "kindred[postgres]" in info.value.hint
