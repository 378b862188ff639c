"""What the server tells the page outside a turn: a camera reading, a check-in that fell due."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Event


@dataclass(frozen=True, kw_only=True)
class Seen(Event):
    """The top facial expression of the latest camera frame (never the image)."""

    kind: ClassVar[str] = "seen"
    turn_id: str = ""
    found: bool
    top: str
    confidence: float


@dataclass(frozen=True, kw_only=True)
class CheckIn(Event):
    """A check-in that fell due, claimed for this page alone."""

    kind: ClassVar[str] = "checkin"
    turn_id: str = ""
    id: int
    message: str
    language: str
    due_at: str
    reason: str
    status: str
