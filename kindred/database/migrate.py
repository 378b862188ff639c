"""Bring a database's schema up to date: each domain's named migrations, applied once each, in order.

Each module in ``schema.SCHEMAS`` (one per domain, kept in this layer) has ``MIGRATIONS``: ``(id, sql)`` in
SQLite's SQL. PostgreSQL runs the same ids. Plain tables translate mechanically
(``postgres_ddl``); a migration that uses SQLite-only features (FTS5, triggers) gives
its PostgreSQL text in the module's ``POSTGRES_MIGRATIONS``, and translating one
without that is refused, so the engines cannot drift apart unnoticed. A module's
``prepare_postgres(database)`` runs after them on every open, for what depends on
the server (pgvector).
"""
from __future__ import annotations

import re

from ..errors import StoreError
from .encryption import DatabaseError
from .schema import SCHEMAS
from .timestamps import utc_text

# Any constant: PostgreSQL's advisory lock serialises two processes migrating the same database.
MIGRATION_LOCK = 720_514
# DatabaseError is a tuple (two drivers): unpacked, not nested. Named and typed, as the type checker
# cannot read a starred tuple inside an except clause.
_UPGRADE_FAILED: tuple[type[Exception], ...] = (*DatabaseError, StoreError)


def postgres_ddl(migration_id: str, script: str) -> str:
    if re.search(r"\bVIRTUAL\s+TABLE\b|\bCREATE\s+TRIGGER\b|\bPRAGMA\b", script, re.IGNORECASE):
        raise StoreError(f"Migration {migration_id} uses SQLite-only SQL.",
                         "Give it a PostgreSQL version in its module's POSTGRES_MIGRATIONS.", code="store-migration")
    script = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", "BIGSERIAL PRIMARY KEY", script,
                    flags=re.IGNORECASE)
    script = re.sub(r"\bINTEGER\b", "BIGINT", script, flags=re.IGNORECASE)
    script = re.sub(r"\bREAL\b", "DOUBLE PRECISION", script, flags=re.IGNORECASE)  # REAL is 4 bytes there
    return re.sub(r"\bBLOB\b", "BYTEA", script, flags=re.IGNORECASE)


def migrations_for(engine: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for module in SCHEMAS:
        if engine == "sqlite":
            found += module.MIGRATIONS
            continue
        own = dict(getattr(module, "POSTGRES_MIGRATIONS", []))
        found += [(mid, own[mid] if mid in own else postgres_ddl(mid, sql)) for mid, sql in module.MIGRATIONS]
    return found


def migrate(database) -> None:
    if database.dialect.is_postgres:
        _migrate_postgres(database)
    else:
        _migrate_sqlite(database)


def _migrate_sqlite(database) -> None:
    try:
        database.write("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT)")
        applied = {row[0] for row in database.read("SELECT id FROM schema_migrations")}
        for migration_id, script in migrations_for("sqlite"):
            if migration_id not in applied:
                _apply_sqlite(database, migration_id, script)
    except _UPGRADE_FAILED as exc:
        message = str(exc)
        corrupt = "not a database" in message or "malformed" in message
        raise StoreError(
            f"The database {database.location} {'is damaged' if corrupt else 'could not be upgraded'}: {message}",
            "Move the file aside (it is never deleted for you) and start again; `kindred doctor` checks it."
            if corrupt else "This is a bug in a schema migration; please report it with this message.",
            code="store-corrupt" if corrupt else "store-migration",
        ) from exc


def _apply_sqlite(database, migration_id: str, script: str) -> None:
    try:
        database.run_script(f"{script}\n;INSERT INTO schema_migrations(id, applied_at) "
                            f"VALUES ('{migration_id}', '{utc_text()}');")
    except DatabaseError:
        # Processes opening one file at once (replicas starting together) all saw the migration
        # missing; SQLite's write lock lets one apply it and the others then fail on what it made.
        # Recorded meanwhile means done, as PostgreSQL's advisory lock below makes it for them.
        if database.read("SELECT 1 FROM schema_migrations WHERE id = ?", (migration_id,)):
            return
        raise


def _migrate_postgres(database) -> None:
    with database.transaction() as db:
        db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT)")
        applied = {row[0] for row in db.execute("SELECT id FROM schema_migrations").fetchall()}
        for migration_id, script in migrations_for("postgres"):
            if migration_id not in applied:
                db.execute(script)
                db.execute("INSERT INTO schema_migrations(id, applied_at) VALUES (?, ?)", (migration_id, utc_text()))
    # Steps that depend on what this server offers (an extension), so no fixed migration can hold them.
    for module in SCHEMAS:
        prepare = getattr(module, "prepare_postgres", None)
        if prepare is not None:
            prepare(database)
