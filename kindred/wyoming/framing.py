"""Reading Wyoming frames so that a damaged one is answered, not a reason to hang up.

A Wyoming event is a JSON header line (``type``, optional ``data``, ``data_length``,
``payload_length``), then that many bytes of extra JSON data, then that many bytes of payload.
The ``wyoming`` package's own reader returns None both at the end of the stream and for a line
that is not JSON, so a server built on it drops the client at the first bad line. Here a bad
header line is reported (and the next line read), and only a frame whose lengths cannot be
trusted, or too many bad lines in a row, ends the connection.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wyoming.event import Event

MAX_DATA_BYTES = 1 << 20  # extra JSON data of one event
MAX_PAYLOAD_BYTES = 4 << 20  # one audio chunk: 4 MiB is over a minute of 16 kHz mono, far above any real chunk


@dataclass(frozen=True)
class Malformed:
    """A frame that could not be read; ``fatal``: the stream's framing is lost, so the connection must end."""

    reason: str
    fatal: bool = False


async def read_frame(reader: asyncio.StreamReader) -> Event | Malformed | None:
    """The next event, a Malformed for a frame that cannot be one, or None at the end of the stream."""
    from wyoming.event import Event

    try:
        line = await reader.readline()
    except ValueError:  # asyncio: a line beyond the reader's limit (it drops what it read)
        return Malformed("the header line is longer than this server reads")
    except (ConnectionError, asyncio.IncompleteReadError):
        return None
    if not line:
        return None
    if not line.strip():
        return Malformed("an empty line is not an event")
    try:
        header: Any = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return Malformed(f"the header line is not JSON ({exc})")
    if not isinstance(header, dict) or not isinstance(header.get("type"), str) or not header["type"]:
        return Malformed("the header is not a JSON object with a 'type'")
    data = header.get("data") if header.get("data") is not None else {}
    if not isinstance(data, dict):
        return Malformed("'data' is not a JSON object")
    data_length = _length(header, "data_length", MAX_DATA_BYTES)
    payload_length = _length(header, "payload_length", MAX_PAYLOAD_BYTES)
    if isinstance(data_length, Malformed):
        return data_length
    if isinstance(payload_length, Malformed):
        return payload_length
    try:
        if data_length:
            extra = json.loads(await reader.readexactly(data_length))
            if not isinstance(extra, dict):
                return Malformed("the extra data is not a JSON object")  # its bytes were read: framing holds
            data = {**data, **extra}
        payload = await reader.readexactly(payload_length) if payload_length else None
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        if payload_length:  # the payload after the broken data is still unread: skip it to stay in step
            try:
                await reader.readexactly(payload_length)
            except (asyncio.IncompleteReadError, ConnectionError):
                return None
        return Malformed(f"the extra data is not JSON ({exc})")
    return Event(type=header["type"], data=data, payload=payload)


def _length(header: dict, key: str, limit: int) -> int | Malformed:
    value = header.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return Malformed(f"'{key}' is not a byte count", fatal=True)
    if value > limit:
        return Malformed(f"'{key}' is {value} bytes, over this server's {limit}", fatal=True)
    return value
