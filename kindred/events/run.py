"""When a conversation's socket is ready, and when each run of a turn starts and ends.

``kindred.run.run_turn`` wraps ``Companion.turn`` in these, so every consumer (the socket,
``--json``, the event log) sees a run start, the turn's own events, and one end: ``RunEnded``
("done" on the wire, as the page has always read it) or ``Cancelled``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Event

OUTCOMES = ("replied", "failed")


@dataclass(frozen=True, kw_only=True)
class Ready(Event):
    """The socket is open and bound to ``user``; which of voice and camera this server can use."""

    kind: ClassVar[str] = "ready"
    turn_id: str = ""
    user: str
    voice: bool
    camera: bool


@dataclass(frozen=True)
class RunStarted(Event):
    kind: ClassVar[str] = "start"
    user: str
    source: str = "text"  # text | voice


@dataclass(frozen=True)
class RunEnded(Event):
    """The run is over: ``outcome`` replied (a reply, even a fixed one) or failed (a ``Failed`` said why)."""

    kind: ClassVar[str] = "done"
    outcome: str = "replied"
    seconds: float = 0.0


@dataclass(frozen=True)
class Cancelled(Event):
    """The run was stopped (cancel, barge-in, a closed socket); what was said so far is stored, interrupted."""

    kind: ClassVar[str] = "cancelled"
