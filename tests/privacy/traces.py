"""Looking for what should be gone: in every table, and in the raw bytes of the SQLite files."""
from __future__ import annotations

from pathlib import Path

from kindred.database.catalog import table_names


def traces_of(store, needles: list[str]) -> dict[str, int]:
    """Rows of every table (SQLite's virtual and index tables included) whose any column holds one of ``needles``.

    Used after a forget to prove nothing is left; a text column or a blob may hold a needle.
    Asked through the database layer, so the same scan serves both engines.
    """
    database = store.database
    found: dict[str, int] = {}
    with database.transaction() as db:
        for table in table_names(db, database.dialect):
            rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
            hits = sum(1 for row in rows if any(n in _text(v) for v in row for n in needles))
            if hits:
                found[table] = hits
    return found


def _text(value: object) -> str:
    """A blob (an FTS segment, a vector) is searched as the text it may hold."""
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("utf-8", "ignore")
    return str(value)


def raw_bytes(db_path: Path) -> bytes:
    """The database file and its write-ahead log, as they lie on disk."""
    return b"".join(p.read_bytes() for p in (db_path, db_path.with_name(db_path.name + "-wal")) if p.exists())
