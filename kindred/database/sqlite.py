"""SQLite: one file under KINDRED_HOME, in WAL mode, encrypted when KINDRED_PASSPHRASE is set.

The connection is the standard library's or SQLCipher's (``encryption.py``); their
exception classes are parallel, not shared, so errors are caught as the
``DatabaseError``/``IntegrityError`` tuples that name both.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConflictError, StoreError
from .dialect import SQLITE
from .encryption import FROM_ENVIRONMENT, DatabaseError, IntegrityError, Key, open_keyed
from .worker import EngineThread

SQLITE_VERSION = sqlite3.sqlite_version  # the engine's, for reports (`kindred bench privacy`)
WRITE_HINT = "Check the disk has space and the file is writable."
OPEN_TIMEOUT_S = 10.0


def _switch_to_wal(db, deadline: float) -> None:
    """Put the file in WAL mode, waiting out other processes doing the same.

    Switching takes an exclusive lock, and SQLite answers "database is locked" at once, without
    its busy timeout, when another connection is switching the same new file (replicas starting
    together over one new database), so the wait is here.
    """
    pause = 0.01
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except DatabaseError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def connect_sqlite(path: Path, *, passphrase: str | Key | None = FROM_ENVIRONMENT, timeout: float = 10.0):
    """The one place a SQLite database file is opened, so encryption at rest covers every table.

    The key is set here, first: SQLCipher must have it before any other statement (the
    WAL and other PRAGMAs in ``SQLiteDatabase`` included). ``passphrase``: see
    ``encryption.open_keyed``; only the encrypt/decrypt converters pass one. Autocommit
    (``isolation_level=None``): transactions are explicit, through ``transaction()``.
    Raises a coded ``StoreError`` (store-wrong-key, store-locked, store-not-encrypted).
    """
    return open_keyed(Path(path), passphrase, timeout=timeout)


class SQLiteDatabase:
    dialect = SQLITE
    has_vector_search = False

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = self.path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = connect_sqlite(self.path, timeout=OPEN_TIMEOUT_S)
            _switch_to_wal(self._db, time.monotonic() + OPEN_TIMEOUT_S)
            # WAL with NORMAL sync is durable across application crashes and avoids an fsync per statement.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            # Forgetting must be real: overwrite deleted rows instead of leaving them in free pages.
            self._db.execute("PRAGMA secure_delete=ON")
        except DatabaseError as exc:
            raise StoreError(
                f"The database {self.path} cannot be opened: {exc}",
                "If the file is damaged, move it aside (it is never deleted for you) and start again; "
                "`kindred doctor` checks it.", code="store-corrupt",
            ) from exc
        self._lock = threading.RLock()
        self.thread = EngineThread("sqlite")

    async def call(self, fn, /, *args, **kwargs):
        """``fn(*args, **kwargs)`` on this database's one thread (worker.py), awaited without holding the loop."""
        return await self.thread.call(fn, *args, **kwargs)

    def _failure(self, exc: Exception) -> StoreError:
        if isinstance(exc, IntegrityError):
            return ConflictError(f"{self.path} refused the change: {exc}", "The row exists already or names "
                                 "one that does not exist.")
        if "locked" in str(exc):
            return StoreError(f"{self.path} is busy: {exc}", "Another Kindred process is writing to it; try again.",
                              code="store-busy")
        return StoreError(f"Could not write to {self.path}: {exc}", WRITE_HINT)

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except DatabaseError as exc:
                raise StoreError(f"Could not read {self.path}: {exc}", "`kindred doctor` checks the database.",
                                 code="store-corrupt" if "malformed" in str(exc) else None) from exc

    def write(self, sql: str, params: Sequence[object] = ()):
        with self._lock:
            try:
                return _Result(self._db.execute(sql, params))
            except DatabaseError as exc:
                raise self._failure(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator:
        """Several writes that land together or not at all (a forget, an import, a wipe).

        BEGIN (a lock held elsewhere) and COMMIT (a full disk) fail too: every failure is coded."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except DatabaseError as exc:
                raise self._failure(exc) from exc
            try:
                yield self._db
            except DatabaseError as exc:
                self._roll_back()
                raise self._failure(exc) from exc
            except BaseException:
                self._roll_back()
                raise
            try:
                self._db.execute("COMMIT")
            except DatabaseError as exc:
                self._roll_back()
                raise self._failure(exc) from exc

    def _roll_back(self) -> None:
        """Undo what is open; SQLite may have rolled back by itself already (a full disk does)."""
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except DatabaseError:
                pass  # the error being raised says what went wrong; this one would only hide it

    def run_script(self, script: str) -> None:
        """A migration: several statements (trigger bodies hold semicolons) in one transaction."""
        with self._lock:
            try:
                self._db.executescript(f"BEGIN IMMEDIATE;\n{script}\n;COMMIT;")
            except BaseException:  # migrate.py codes it: it tells a race between replicas from a bad migration
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def integrity_problem(self) -> str | None:
        result = self.read("PRAGMA integrity_check")[0][0]
        return None if result == "ok" else str(result)

    def close(self) -> None:
        self.thread.close()  # what was queued runs first, on the open connection
        with self._lock:
            self._db.close()


class _Result:
    """A write's outcome, read while the lock is held. The connection is shared by threads (the server's
    workers and the event loop): a RETURNING statement left half-stepped would still be open when the
    next thread's statement, or its BEGIN, ran on the same connection."""

    def __init__(self, cursor) -> None:
        self._rows = cursor.fetchall()  # steps the statement to its end; only then is rowcount final
        self.rowcount = cursor.rowcount

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple]:
        return list(self._rows)
