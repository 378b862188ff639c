"""The connection the learning and recommend domains use for their own tables.

They run their own SQL on the same database as the memory store. A source is anything with a
``database`` (the store; the server's ``ServerDatabase``): its connection is reused, so the turn
loop and the server open none of their own. A SQLite file path (the CLI's one-shot commands) is
opened for a few statements and closed, migrated on first use; a PostgreSQL URL gets one shared,
migrated connection per process.
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, Self

from ..database import Database, Location, Transaction, is_postgres_url, open_database, shared_database


class HasDatabase(Protocol):
    @property
    def database(self) -> Database: ...  # read-only: a Store, whose protocol says so, fits


DatabaseSource = str | Path | HasDatabase
_migrated: set[Path] = set()


def database_location(source: DatabaseSource) -> Location:
    if hasattr(source, "database"):
        return source.database.location
    return source if is_postgres_url(source) else Path(source)


class Tables:
    """A short-lived handle: ``with Tables(source) as db``, run a few statements."""

    def __init__(self, source: DatabaseSource) -> None:
        self.location = database_location(source)
        self._owned = False
        if hasattr(source, "database"):
            self._db: Database = source.database
        elif is_postgres_url(self.location):
            self._db = shared_database(str(self.location))
        else:
            path = Path(self.location)
            # Migrate once per file and process; a file deleted since is migrated again.
            fresh = path not in _migrated or not path.exists()
            self._db = open_database(path, migrate=fresh)
            _migrated.add(path)
            self._owned = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._owned:
            self._db.close()

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._db.read(sql, params)

    def write(self, sql: str, params: Sequence[object] = ()) -> int:
        """Runs one statement; returns how many rows it changed."""
        return self._db.write(sql, params).rowcount

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Several statements that land together: ``with db.transaction() as tx: tx.execute(sql, params)``."""
        return self._db.transaction()

    def insert(self, sql: str, params: Sequence[object] = ()) -> int:
        """Runs one INSERT; returns the new row's id."""
        row = self._db.write(f"{sql} RETURNING id", params).fetchone()
        assert row is not None, "INSERT ... RETURNING gives its row"
        return int(row[0])
