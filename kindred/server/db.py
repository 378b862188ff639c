"""The server's handle on the shared database (SQLite file or PostgreSQL).

Given a location it holds the process's one handle on it (``kindred.database.handles``, migrated, so
every domain's tables exist; ours are in ``kindred/database/schema/accounts.py``); given the companion's
own ``Database`` it opens nothing. ``.database`` lets the domains' repositories reuse it instead of
connecting for every request.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..database import Database, Location
from ..database.handles import acquire, release
from ..errors import StoreError


class ServerDatabase:
    """A small locked connection for the server's tables; every query names its user.

    A broken uniqueness rule raises ``ConflictError``; anything else a ``StoreError``.
    """

    def __init__(self, source: Location | Database) -> None:
        self._owned = isinstance(source, str | Path)
        self.database: Database = acquire(source, migrate=True) if isinstance(source, str | Path) else source
        self.location = self.database.location

    def execute(self, sql: str, params: Sequence[object] = ()):
        return self.database.write(sql, params)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.database.read(sql, params)

    def write_problem(self) -> StoreError | None:
        """Why the store cannot take a write now (read-only home, full disk, server gone), or None.

        A real write that changes nothing: a read succeeds on a read-only file while every turn fails."""
        try:
            self.database.write("UPDATE schema_migrations SET applied_at = applied_at "
                                "WHERE id = (SELECT MIN(id) FROM schema_migrations)")
        except StoreError as exc:
            return exc
        return None

    def close(self) -> None:
        if self._owned:  # a borrowed connection is its owner's (the companion's store) to close
            self._owned = False  # a second close must not let go of another holder's share
            release(self.database)
