"""What the database itself says about its tables, asked the same way of either engine.

Export and wipe find a user's tables here instead of keeping a list, so a table
another domain adds later is exported and wiped too. ``db`` is a connection inside
a transaction (``Database.transaction()``).
"""
from __future__ import annotations

from .dialect import Dialect


def table_names(db, dialect: Dialect) -> list[str]:
    if dialect.is_postgres:
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
               "AND table_type = 'BASE TABLE' ORDER BY table_name")
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return [row[0] for row in db.execute(sql).fetchall()]


def column_names(db, dialect: Dialect, table: str) -> list[str]:
    if dialect.is_postgres:
        return [row[0] for row in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", (table,)).fetchall()]
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()]


def referenced_tables(db, dialect: Dialect, table: str) -> set[str]:
    """The tables this one's foreign keys point at."""
    if dialect.is_postgres:
        return {row[0] for row in db.execute(
            "SELECT target.relname FROM pg_constraint k JOIN pg_class target ON target.oid = k.confrelid "
            "WHERE k.contype = 'f' AND k.conrelid = to_regclass(?)", (table,)).fetchall()}
    return {row[2] for row in db.execute(f"PRAGMA foreign_key_list({table})").fetchall()}


def insertion_order(db, dialect: Dialect, table: str) -> str:
    """An ORDER BY that gives the same order on every export: SQLite's rowid; PostgreSQL's primary key."""
    if not dialect.is_postgres:
        return "rowid"
    keys = [row[0] for row in db.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)", (table,)).fetchall()]
    return ", ".join(keys or column_names(db, dialect, table))


def after_explicit_ids(db, dialect: Dialect, tables: list[str]) -> None:
    """Rows inserted with their own ids (an import) leave PostgreSQL's id sequences behind: move them on."""
    if not dialect.is_postgres:
        return
    for table in tables:
        if "id" not in column_names(db, dialect, table):
            continue
        sequence = db.execute("SELECT pg_get_serial_sequence(?, 'id')", (table,)).fetchone()[0]
        if sequence:  # text ids (users, sessions) have none
            db.execute(f"SELECT setval(?, COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)", (sequence,))
