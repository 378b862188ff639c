"""The one serialiser of every event: the WebSocket, ``--json`` output and the event log all use it.

``event_to_dict`` gives ``{"event": kind, **fields}`` (tuples as lists); ``serialize`` that as
one JSON line; ``event_from_dict`` reads it back and checks it strictly, because a log line or
a client's message is outside data: an unknown kind, a missing or extra field, or a value of
the wrong type is refused with a coded ``EventError`` naming what is wrong.
"""
from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from typing import Any

from ..errors import KindredError
from .base import Event
from .notices import CheckIn, Seen
from .run import Cancelled, Ready, RunEnded, RunStarted
from .turn import TURN_EVENTS, RecalledMemory
from .voice import Audio, AudioDone, Command, NoSpeech, Transcript

_ALL_EVENTS: tuple[type[Event], ...] = (
    *TURN_EVENTS, Ready, RunStarted, RunEnded, Cancelled, Transcript, NoSpeech, Command, Audio, AudioDone, Seen,
    CheckIn)
EVENT_TYPES: dict[str, type[Event]] = {cls.kind: cls for cls in _ALL_EVENTS}
_HINT = "Send an event as event_to_dict writes it (kindred/events/wire.py): {\"event\": kind, ...its fields}."


class EventError(KindredError):
    """A dict that is not an event this version knows: ``code`` says which way (event-…)."""

    code = "event-invalid"


def event_to_dict(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {"event": event.kind}
    data.update(dataclasses.asdict(event))
    return _lists(data)


def serialize(event: Event) -> str:
    """One JSON line (no newline in it), as every consumer writes events."""
    return json.dumps(event_to_dict(event), ensure_ascii=False)


def event_from_dict(data: object) -> Event:
    """Rebuild an event from its ``event_to_dict`` form; EventError when it is not one."""
    if not isinstance(data, dict):
        raise EventError(f"An event is a JSON object, not {type(data).__name__}.", _HINT, code="event-not-object")
    kind = data.get("event")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise EventError(f"Unknown event type {kind!r}.", f"Known: {', '.join(sorted(EVENT_TYPES))}.",
                         code="event-unknown")
    return _build(cls, {k: v for k, v in data.items() if k != "event"}, str(kind))


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    extra = sorted(set(data) - set(fields), key=str)
    if extra:
        raise EventError(f"{where}: unexpected field(s) {', '.join(map(repr, extra))}.", _HINT,
                         code="event-extra-field")
    missing = [name for name, f in fields.items() if name not in data and _required(f)]
    if missing:
        raise EventError(f"{where}: missing field(s) {', '.join(map(repr, missing))}.", _HINT,
                         code="event-missing-field")
    hints = typing.get_type_hints(cls)
    return cls(**{name: _value(hints[name], value, f"{where}.{name}") for name, value in data.items()})


def _required(field: dataclasses.Field) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _value(hint: Any, value: Any, where: str) -> Any:
    """``value`` as the type ``hint`` names (lists become tuples), or EventError."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        for option in args:
            try:
                return _value(option, value, where)
            except EventError:
                continue
        raise _wrong(where, hint, value)
    if hint is type(None):
        if value is None:
            return None
        raise _wrong(where, hint, value)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise _wrong(where, hint, value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
        if len(value) != len(args):
            raise _wrong(where, hint, value)
        return tuple(_value(a, item, f"{where}[{i}]") for i, (a, item) in enumerate(zip(args, value)))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise _wrong(where, hint, value)
        return _build(hint, value, where)
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    raise _wrong(where, hint, value)


def _wrong(where: str, hint: Any, value: Any) -> EventError:
    name = getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
    return EventError(f"{where}: expected {name}, got {type(value).__name__} {str(value)[:40]!r}.", _HINT,
                      code="event-field-type")


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value


__all__ = ["EVENT_TYPES", "EventError", "RecalledMemory", "event_from_dict", "event_to_dict", "serialize"]
