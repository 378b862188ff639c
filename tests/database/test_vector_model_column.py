"""``memory_vectors.model`` (written, never read) is dropped by a migration: a database made before it
upgrades with every vector kept byte for byte, and an export made before it still imports."""
import json

import numpy as np
import pytest

from kindred.database import open_database
from kindred.database.catalog import column_names
from kindred.database.migrate import migrations_for
from kindred.database.schema import SCHEMAS
from kindred.memory.portable import export_user, import_user
from kindred.memory.sql_store import SQLStore

pytestmark = pytest.mark.both_engines
DROPPED = "memory-0003"
STAMP = "2026-01-05T10:00:00+00:00"


def _database_before_the_drop(engine: str, location):
    """Every migration but the drop, applied the way ``migrate`` applies them: a database an older Kindred made."""
    database = open_database(location, migrate=False)
    database.write("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT)")
    for migration_id, script in migrations_for(engine):
        if migration_id != DROPPED:
            database.run_script(script)
            database.write("INSERT INTO schema_migrations(id, applied_at) VALUES (?, ?)", (migration_id, STAMP))
    if engine == "postgres":
        for module in SCHEMAS:
            if hasattr(module, "prepare_postgres"):
                module.prepare_postgres(database)
    return database


def _columns(database) -> list[str]:
    with database.transaction() as tx:
        return column_names(tx, database.dialect, "memory_vectors")


def _vectors(database) -> list[tuple]:
    return [(i, u, bytes(v)) for i, u, v in database.read(
        "SELECT memory_id, user_id, vector FROM memory_vectors ORDER BY memory_id")]


def test_an_older_database_upgrades_and_keeps_every_vector(engine, locate):
    location = locate("old.db")
    old = _database_before_the_drop(engine, location)
    assert "model" in _columns(old)
    old.write("INSERT INTO users(id, created_at) VALUES ('ana', ?)", (STAMP,))
    for n in range(3):
        memory_id = old.write("INSERT INTO memories(user_id, kind, text, happened_at, created_at, updated_at) "
                              "VALUES ('ana', 'fact', ?, ?, ?, ?) RETURNING id",
                              (f"fact {n}", STAMP, STAMP, STAMP)).fetchone()[0]
        vector = np.arange(4, dtype=np.float32) + n
        old.write("INSERT INTO memory_vectors(memory_id, user_id, model, vector) VALUES (?, 'ana', 'e5-small', ?)",
                  (memory_id, vector.tobytes()))
    before = _vectors(old)
    generation = old.read("SELECT generation FROM memory_generation WHERE user_id = 'ana'")
    old.close()

    upgraded = open_database(location)
    try:
        assert "model" not in _columns(upgraded)
        assert _vectors(upgraded) == before and len(before) == 3
        assert upgraded.read("SELECT generation FROM memory_generation WHERE user_id = 'ana'") == generation
        assert upgraded.read("SELECT COUNT(*) FROM schema_migrations WHERE id = ?", (DROPPED,)) == [(1,)]
    finally:
        upgraded.close()


def test_an_export_made_before_the_drop_still_imports(engine, locate):
    store = SQLStore(open_database(locate("k.db")))
    try:
        store.write("INSERT INTO users(id, created_at) VALUES ('ana', ?)", (STAMP,))
        memory_id = store.write("INSERT INTO memories(user_id, kind, text, happened_at, created_at, updated_at) "
                                "VALUES ('ana', 'fact', 'likes tea', ?, ?, ?) RETURNING id",
                                (STAMP, STAMP, STAMP)).fetchone()[0]
        vector = np.ones(4, dtype=np.float32)
        store.write("INSERT INTO memory_vectors(memory_id, user_id, vector) VALUES (?, 'ana', ?)",
                    (memory_id, vector.tobytes()))
        exported = export_user(store, "ana")
        assert [set(row) for row in exported["tables"]["memory_vectors"]] == [{"memory_id", "user_id", "vector"}]
        older = json.loads(json.dumps(exported))
        for row in older["tables"]["memory_vectors"]:
            row["model"] = "e5-small"  # what an export written before the drop carries
        import_user(store, older, replace=True)
        assert export_user(store, "ana") == exported
    finally:
        store.database.close()
