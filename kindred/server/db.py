"""The server's own SQLite connection to the shared database file.

The memory store applies every domain's migrations (ours are in ``schema.py``);
opening it once here makes sure the tables exist before we use them.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StoreError
from ..privacy.database import DatabaseError, IntegrityError, connect


def utc_iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def ensure_migrated(path: Path) -> None:
    """Open (and so migrate) the memory store once; safe to call inside or outside an event loop."""
    if _in_event_loop():
        _migrate_in_thread(path)
        return
    from ..memory.sqlite_store import SQLiteStore

    asyncio.run(SQLiteStore(path).close())


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _migrate_in_thread(path: Path) -> None:
    worker = threading.Thread(target=ensure_migrated, args=(path,))
    worker.start()
    worker.join()


class ServerDatabase:
    """A small locked connection for the server's tables; every query names its user."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        ensure_migrated(self.path)
        self._db = connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys=ON")
        self._lock = threading.RLock()

    def execute(self, sql: str, params: Sequence[object] = ()) -> object:
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except IntegrityError:
                raise
            except DatabaseError as exc:
                raise StoreError(f"The server could not use {self.path}: {exc}",
                                 "Check the disk has space and the file is writable.") from exc

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()
