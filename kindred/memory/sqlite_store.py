"""The store on SQLite under KINDRED_HOME: ``SQLStore`` opened on a file path."""
from __future__ import annotations

from pathlib import Path

from ..database import open_database
from .sql_store import SQLStore, utc_now

__all__ = ["SQLiteStore", "utc_now"]


class SQLiteStore(SQLStore):
    def __init__(self, path: Path, *, clock=utc_now) -> None:
        self.path = Path(path)
        super().__init__(open_database(self.path), clock=clock)
