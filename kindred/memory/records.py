"""Plain records that go in and out of the store."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StoredTurn:
    id: int
    turn_id: str
    user: str
    session_id: str
    role: str  # user | assistant
    text: str
    language: str
    status: str  # ok | interrupted | failed | crisis
    created_at: str  # ISO 8601, UTC
    meta: dict[str, Any] = field(default_factory=dict, compare=False)  # e.g. the notes a reply was written with


@dataclass(frozen=True)
class Session:
    id: str
    user: str
    started_at: str
    last_active_at: str
