"""The server's own connection to the shared database (SQLite file or PostgreSQL).

Opening it applies every domain's migrations (ours are in ``schema.py``), so
the tables exist before we use them.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from ..database import Location, open_database


def utc_iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


class ServerDatabase:
    """A small locked connection for the server's tables; every query names its user.

    A broken uniqueness rule raises ``ConflictError``; anything else a ``StoreError``.
    """

    def __init__(self, location: Location) -> None:
        self.location = location
        self._db = open_database(location)

    def execute(self, sql: str, params: Sequence[object] = ()):
        return self._db.write(sql, params)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._db.read(sql, params)

    def close(self) -> None:
        self._db.close()
