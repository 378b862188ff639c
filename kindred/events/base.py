"""The root of every event: a frozen dataclass named on the wire by its ``kind``.

Every event carries ``turn_id`` ("" for what belongs to no turn: the socket being ready, a
camera reading, a check-in), so a log line can always be grouped by turn. Turning an event
into JSON and back is ``wire.py``'s work, the one serialiser for the socket, ``--json`` and logs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "event"
    turn_id: str

    def to_dict(self) -> dict[str, Any]:
        from .wire import event_to_dict

        return event_to_dict(self)

    def to_json(self) -> str:
        from .wire import serialize

        return serialize(self)
