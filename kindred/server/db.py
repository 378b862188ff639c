"""The server's handle on the shared database (SQLite file or PostgreSQL).

Opening it applies every domain's migrations (ours are in ``kindred/database/schema/accounts.py``),
so the tables exist before we use them. Given the companion's own ``Database`` it opens nothing
(one connection per process and engine), and ``.database`` lets the learning and recommend
domains' ``Tables`` reuse it instead of connecting for every request.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..database import Database, Location, open_database
from ..errors import StoreError


class ServerDatabase:
    """A small locked connection for the server's tables; every query names its user.

    A broken uniqueness rule raises ``ConflictError``; anything else a ``StoreError``.
    """

    def __init__(self, source: Location | Database) -> None:
        self._owned = isinstance(source, str | Path)
        self.database: Database = open_database(source) if isinstance(source, str | Path) else source
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
            self.database.close()
