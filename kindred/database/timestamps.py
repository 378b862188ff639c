"""How the database keeps a moment: ISO 8601 text in UTC, so that ordering and comparison are the same
string comparison in both engines (see ``dialect.py``). The one helper every domain writes times with."""
from __future__ import annotations

from datetime import UTC, datetime


def utc_text(moment: datetime | None = None, *, timespec: str = "microseconds") -> str:
    """``moment`` (default: now) as stored; a naive moment is the machine's local time.

    ``timespec``: each table keeps the precision it has always had, because its rows are compared as
    text: "microseconds" for turns, sessions, memories, feelings and migrations, "seconds" for
    preferences, suggestions, check-ins, time zones and accounts.
    """
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec=timespec)


def parse_utc(text: str) -> datetime:
    """A stored moment back, aware, in UTC."""
    return datetime.fromisoformat(text).astimezone(UTC)
