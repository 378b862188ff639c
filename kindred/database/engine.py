"""The small interface both engines implement, and the function that picks one.

A ``Database`` is one locked connection: ``read`` and ``write`` for single
statements, ``transaction`` for several that land together, and ``call`` to run
such work from async code on the engine's one thread, off the event loop. Rows are plain
tuples in both engines. Every failure is a ``StoreError`` with a code and a hint
(``ConflictError`` for a broken uniqueness or foreign key rule).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, TypeVar

from .dialect import Dialect

T = TypeVar("T")
Location = str | Path  # a SQLite file, or a postgresql:// URL


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> tuple | None: ...

    def fetchall(self) -> list[tuple]: ...


class Transaction(Protocol):
    """The connection inside ``Database.transaction()``: statements run in that transaction."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor: ...


class Database(Protocol):
    dialect: Dialect

    @property
    def location(self) -> Location:  # read-only here, so an engine may narrow it (a URL, a Path)
        ...

    has_vector_search: bool  # PostgreSQL with pgvector: nearest neighbours are found by the server

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]: ...

    def write(self, sql: str, params: Sequence[object] = ()) -> Cursor: ...

    def transaction(self) -> AbstractContextManager[Transaction]: ...

    def run_script(self, script: str) -> None:
        """Several statements with no parameters, in one transaction (a migration)."""
        ...

    def integrity_problem(self) -> str | None:
        """None when the engine's own check finds nothing wrong, else what it found."""
        ...

    async def call(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """``fn(*args, **kwargs)`` on the engine's one thread (``worker.py``): how async code runs statements."""
        ...

    def close(self) -> None: ...


def is_postgres_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def open_database(location: Location, *, migrate: bool = True) -> Database:
    """Open the database at ``location`` and bring its schema up to date."""
    if is_postgres_url(location):
        from .postgres import PostgresDatabase

        database: Database = PostgresDatabase(str(location))
    else:
        from .sqlite import SQLiteDatabase

        database = SQLiteDatabase(Path(location))
    if migrate:
        from .migrate import migrate as apply_migrations

        try:
            apply_migrations(database)
        except BaseException:
            database.close()
            raise
    return database
