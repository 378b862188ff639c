"""PostgreSQL through psycopg 3, selected by ``KINDRED_DATABASE_URL``.

One autocommit connection behind a lock, like the SQLite engine. When the server
goes away (a restart, a network cut) the statement in flight fails with a
``store-unavailable`` error, and the next call connects again: nothing has to be
restarted on Kindred's side. A failed statement is never retried here, because a
write whose acknowledgement was lost may have committed; the caller decides.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit

from ..errors import ConflictError, MissingExtraError, StoreError
from .dialect import POSTGRES, to_pyformat
from .worker import EngineThread

CONNECT_TIMEOUT_S = 5


def _psycopg():
    try:
        import psycopg
    except ImportError as exc:
        raise MissingExtraError("postgres", "psycopg", "Keeping Kindred's data in PostgreSQL") from exc
    return psycopg


def public_name(url: str) -> str:
    """host:port/database, for messages: never the password."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or '/'}"


class PostgresDatabase:
    dialect = POSTGRES

    def __init__(self, url: str, *, vector_extension: bool = True) -> None:
        self.location = url
        self.name = public_name(url)
        # False: leave pgvector alone even where the server has it (tests of the fallback use this).
        self.vector_extension = vector_extension
        self.has_vector_search = False  # set by the migration step that enables pgvector
        self._psycopg = _psycopg()
        self._lock = threading.RLock()
        self._conn = None
        self.thread = EngineThread("postgres")
        with self._lock:
            self._connection()

    async def call(self, fn, /, *args, **kwargs):
        """``fn(*args, **kwargs)`` on this database's one thread (worker.py), awaited without holding the loop."""
        return await self.thread.call(fn, *args, **kwargs)

    # ---- the connection ----------------------------------------------------------------------
    def _connection(self):
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                self._conn.close()
            try:
                self._conn = self._psycopg.connect(self.location, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                                   application_name="kindred")
            except self._psycopg.Error as exc:
                self._conn = None
                raise self._unavailable(exc) from exc
        return self._conn

    def _unavailable(self, exc: Exception) -> StoreError:
        return StoreError(f"PostgreSQL at {self.name} cannot be reached: {str(exc).strip()}",
                          "Check that the server is running and KINDRED_DATABASE_URL is right; Kindred "
                          "connects again by itself on the next request.", code="store-unavailable")

    def _failure(self, exc: Exception) -> StoreError:
        psycopg = self._psycopg
        if isinstance(exc, psycopg.IntegrityError):
            return ConflictError(f"PostgreSQL at {self.name} refused the change: {str(exc).strip()}",
                                 "The row exists already or names one that does not exist.")
        if isinstance(exc, psycopg.OperationalError) or (self._conn is not None and self._conn.broken):
            return self._unavailable(exc)
        return StoreError(f"PostgreSQL at {self.name} failed: {str(exc).strip()}",
                          "This is most likely a bug in Kindred's SQL; please report it with this message.")

    @staticmethod
    def _run(conn, sql: str, params: Sequence[object]):
        # With no parameters psycopg takes the text as it is (several statements may run at once).
        return conn.execute(to_pyformat(sql), tuple(params)) if params else conn.execute(sql)

    # ---- the Database interface --------------------------------------------------------------
    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._run(self._connection(), sql, params).fetchall()
            except self._psycopg.Error as exc:
                raise self._failure(exc) from exc

    def write(self, sql: str, params: Sequence[object] = ()):
        with self._lock:
            try:
                return _Result(self._run(self._connection(), sql, params))
            except self._psycopg.Error as exc:
                raise self._failure(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[_Transaction]:
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    yield _Transaction(conn)
            except self._psycopg.Error as exc:
                raise self._failure(exc) from exc

    def run_script(self, script: str) -> None:
        with self.transaction() as db:
            db.execute(script)

    def integrity_problem(self) -> str | None:
        # PostgreSQL checks its pages itself; reaching the server and reading the catalog is the check here.
        self.read("SELECT COUNT(*) FROM schema_migrations")
        return None

    def close(self) -> None:
        self.thread.close()
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class _Result:
    """A write's outcome, read while the lock is held: its row count and any RETURNING rows."""

    def __init__(self, cursor) -> None:
        self.rowcount = cursor.rowcount
        self._rows = cursor.fetchall() if cursor.description is not None else []

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple]:
        return list(self._rows)


class _Transaction:
    def __init__(self, conn) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()):
        return PostgresDatabase._run(self._conn, sql, params)
