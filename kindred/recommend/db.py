"""The connection the learning and recommend domains use for their own tables.

They run their own SQL on the same database file as the memory store. Opening
a ``SQLiteStore`` once per file applies every domain's migrations, so these
tables exist even when nothing else has opened the database yet.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, Self

from ..errors import StoreError
from ..privacy.database import DatabaseError, connect


class HasPath(Protocol):
    path: Path


DatabaseSource = str | Path | HasPath
_migrated: set[Path] = set()


def database_path(source: DatabaseSource) -> Path:
    return Path(source.path if hasattr(source, "path") else source)  # type: ignore[union-attr]


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive means the machine's local time
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


class Tables:
    """A short-lived connection: open, run a few statements, close (``with Tables(path) as db``)."""

    def __init__(self, source: DatabaseSource) -> None:
        self.path = database_path(source)
        if self.path not in _migrated or not self.path.exists():
            from ..memory.sqlite_store import SQLiteStore

            # Constructing the store migrates the whole schema; dropping it closes its connection.
            SQLiteStore(self.path)
            _migrated.add(self.path)
        try:
            self._db = connect(self.path)
            # As the memory store does: WAL (set once per file) with NORMAL sync is durable across
            # application crashes and avoids an fsync per statement.
            self._db.execute("PRAGMA synchronous=NORMAL")
        except DatabaseError as exc:  # pragma: no cover - the store above fails first
            raise StoreError(f"The database {self.path} cannot be opened: {exc}",
                             "`kindred doctor` checks it.") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._db.execute(sql, params).fetchall()

    def write(self, sql: str, params: Sequence[object] = ()) -> int:
        try:
            return self._db.execute(sql, params).lastrowid or 0
        except DatabaseError as exc:
            raise StoreError(f"Could not write to {self.path}: {exc}",
                             "Check the disk has space and the file is writable.") from exc
