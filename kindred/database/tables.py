"""How the domains outside the store reach their tables: a repository over the process's one handle.

Preferences, suggestions, check-ins, time zones and mood readings each have a small repository
(``learning/preferences_repo.py``, ``recommend/suggestions_repo.py``, ``recommend/checkins_repo.py``,
``localtime/zones_repo.py``, ``affect/readings_repo.py``) holding that domain's SQL, built on
``Tables``. A source is anything with a ``database`` (the store; the server's ``ServerDatabase``),
whose connection is used as it is, or a SQLite path or PostgreSQL URL, for which the process's
handle on that database is borrowed for the block (``handles.acquire``): the store's own when it is
open in this process, so no call opens a connection of its own.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol, Self

from .engine import Database, Location, Transaction, is_postgres_url
from .handles import acquire, release


class HasDatabase(Protocol):
    @property
    def database(self) -> Database: ...  # read-only: a Store, whose protocol says so, fits


DatabaseSource = str | Path | HasDatabase


def database_location(source: DatabaseSource) -> Location:
    if hasattr(source, "database"):
        return source.database.location
    return source if is_postgres_url(source) else Path(source)


class Tables:
    """``with Tables(source) as db``: a few statements on the process's handle for ``source``."""

    def __init__(self, source: DatabaseSource) -> None:
        self.location = database_location(source)
        self._borrowed = isinstance(source, str | Path)
        self.database: Database = acquire(self.location) if isinstance(source, str | Path) else source.database

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._borrowed:
            self._borrowed = False
            release(self.database)  # the last holder's release closes it; the store's stays open

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.database.read(sql, params)

    def write(self, sql: str, params: Sequence[object] = ()) -> int:
        """Runs one statement; returns how many rows it changed."""
        return self.database.write(sql, params).rowcount

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Several statements that land together: ``with db.transaction() as tx: tx.execute(sql, params)``."""
        return self.database.transaction()

    def insert(self, sql: str, params: Sequence[object] = ()) -> int:
        """Runs one INSERT; returns the new row's id."""
        row = self.database.write(f"{sql} RETURNING id", params).fetchone()
        assert row is not None, "INSERT ... RETURNING gives its row"
        return int(row[0])


class InTransaction:
    """``Tables``' ``read``/``write`` on a connection inside ``transaction()``: a repository's statements
    then land together with the caller's (a check-in claimed under the settings row's lock)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.tx.execute(sql, params).fetchall()

    def write(self, sql: str, params: Sequence[object] = ()) -> int:
        return self.tx.execute(sql, params).rowcount


class Statements(Protocol):
    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]: ...

    def write(self, sql: str, params: Sequence[object] = ()) -> int: ...


class Repository:
    """A domain's SQL over ``Statements`` (``Tables``, or ``InTransaction`` inside a transaction).
    ``with SomeRepo.opened(source) as repo`` borrows the process's handle for the block."""

    def __init__(self, db: Statements) -> None:
        self.db = db

    @classmethod
    @contextmanager
    def opened(cls, source: DatabaseSource) -> Iterator[Self]:
        with Tables(source) as tables:
            yield cls(tables)

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """The same repository with its statements in one transaction: they land together or not at all."""
        if not isinstance(self.db, Tables):
            raise TypeError("this repository is inside a transaction already")
        with self.db.transaction() as tx:
            yield type(self)(InTransaction(tx))
