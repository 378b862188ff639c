"""The storage interface, served by SQLite or PostgreSQL (``sql_store.SQLStore`` over ``kindred.database``).

Every method takes the user explicitly, and every query filters by it: no call
can read or write another user's rows.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ..config import Settings
from .records import Session, StoredTurn

if TYPE_CHECKING:
    from ..database import Database


class Store(Protocol):
    @property
    def database(self) -> Database:
        """The engine underneath: the domains' repositories (``database.tables``) use it too."""
        ...

    async def session_for(self, user: str, *, gap_minutes: int, new: bool = False) -> Session:
        """The user's current session, or a new one after a gap or when asked."""
        ...

    async def add_turn(self, *, user: str, session_id: str, turn_id: str, role: str, text: str,
                       language: str, status: str = "ok", meta: dict | None = None) -> StoredTurn: ...

    async def set_turn_status(self, user: str, turn_id: str, role: str, status: str) -> None: ...

    async def recent_turns(self, user: str, *, session_id: str | None = None, limit: int = 10,
                           before_session: str | None = None) -> Sequence[StoredTurn]:
        """Newest last. ``before_session``: only turns from sessions other than this one."""
        ...

    async def count_turns(self, user: str, *, session_id: str | None = None) -> int:
        """All the user's stored rows, or one session's."""
        ...

    async def add_safety_event(self, *, user: str, turn_id: str, risk: str, category: str,
                               reasons: Sequence[str]) -> None: ...

    async def add_affect(self, *, user: str, turn_id: str, valence: float, arousal: float,
                         labels: Sequence[tuple[str, float]]) -> None: ...

    async def load_feelings(self, user: str, scope: str) -> dict | None:
        """What feelings carry between turns (affect/carried.py), or None; ``scope``: a session or 'presence'.
        Invalid JSON raises StoredStateError (code carried-json-invalid)."""
        ...

    async def save_feelings(self, user: str, scope: str, state: dict) -> None: ...

    async def load_feelings_versioned(self, user: str, scope: str) -> tuple[dict | None, int]:
        """``load_feelings`` and how many saves the row has had (0: none yet)."""
        ...

    async def save_feelings_versioned(self, user: str, scope: str, state: dict, *, version: int) -> bool:
        """Save only if the row is still at ``version``; False when another turn saved first (reload, merge)."""
        ...

    async def set_aside_feelings(self, user: str, scope: str, why: dict) -> str | None:
        """Move a row that cannot be read aside, kept for inspection; its new scope, or None if it is gone."""
        ...

    async def close(self) -> None: ...


def open_store(settings: Settings) -> Store:
    """PostgreSQL when ``KINDRED_DATABASE_URL`` is set, else SQLite under KINDRED_HOME."""
    from .sql_store import open_sql_store

    return open_sql_store(settings.database_location)
