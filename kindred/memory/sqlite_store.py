"""The store on SQLite under KINDRED_HOME: ``SQLStore`` opened on a file path."""
from __future__ import annotations

from pathlib import Path

from ..database.handles import acquire
from .sql_store import SQLStore, utc_now

__all__ = ["SQLiteStore", "utc_now"]


class SQLiteStore(SQLStore):
    def __init__(self, path: Path, *, clock=utc_now) -> None:
        self.path = Path(path)
        super().__init__(acquire(self.path, migrate=True), clock=clock)  # the process's handle
