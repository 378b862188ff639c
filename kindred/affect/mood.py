"""The per-user mood timeline: the ``affect_readings`` table, summarised by day, drawn.

Reads only (the turn loop writes the readings). A unicode sparkline serves the terminal, a
matplotlib PNG the rest (the ``plot`` extra).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ..database import is_postgres_url
from ..database.tables import DatabaseSource, database_location
from ..errors import MissingExtraError, StoreError
from .readings_repo import ReadingsRepo

BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class MoodPoint:
    created_at: datetime
    valence: float
    arousal: float
    labels: tuple[str, ...]
    turn_id: str


@dataclass(frozen=True)
class MoodDay:
    day: date
    valence: float
    arousal: float
    readings: int
    top_label: str


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _labels(raw: str) -> tuple[str, ...]:
    try:
        value = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return ()
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
            out.append(item[0])
        elif isinstance(item, dict) and isinstance(item.get("label"), str):
            out.append(item["label"])
    return tuple(out)


def read_timeline(source: DatabaseSource, user_id: str, *, days: int | None = None,
                  now: datetime | None = None) -> list[MoodPoint]:
    """The user's readings, oldest first; ``days`` keeps only the last N days.

    ``source``: the store, a SQLite file (none yet: no readings) or a PostgreSQL URL.
    """
    location = database_location(source)
    if not is_postgres_url(location) and not Path(location).is_file():
        return []
    since = None
    if days is not None:
        since = ((now or datetime.now(UTC)) - timedelta(days=days)).astimezone(UTC).isoformat(timespec="microseconds")
    try:
        with ReadingsRepo.opened(source) as readings:
            rows = readings.timeline(user_id, since)
    except StoreError as exc:
        if exc.code != StoreError.code:  # coded (unreachable, wrong key, locked…): its own hint says more
            raise
        raise StoreError(f"Could not read the mood timeline: {exc.message}",
                         "`kindred doctor` checks the database.") from exc
    return [MoodPoint(_parse_time(created), float(v), float(a), _labels(labels), str(turn))
            for turn, v, a, labels, created in rows]


def by_day(points: Sequence[MoodPoint]) -> list[MoodDay]:
    groups: dict[date, list[MoodPoint]] = {}
    for point in points:
        groups.setdefault(point.created_at.date(), []).append(point)
    out = []
    for day in sorted(groups):
        items = groups[day]
        counts: dict[str, int] = {}
        for point in items:
            for label in point.labels[:1]:
                counts[label] = counts.get(label, 0) + 1
        feelings = {k: c for k, c in counts.items() if k != "neutral"} or counts
        top = max(feelings, key=feelings.__getitem__) if feelings else "neutral"
        out.append(MoodDay(day, sum(p.valence for p in items) / len(items),
                           sum(p.arousal for p in items) / len(items), len(items), top))
    return out


def sparkline(values: Sequence[float], lo: float = -1.0, hi: float = 1.0) -> str:
    if not values:
        return ""
    span = (hi - lo) or 1.0
    out = []
    for value in values:
        level = (min(hi, max(lo, value)) - lo) / span
        out.append(BARS[min(len(BARS) - 1, round(level * (len(BARS) - 1)))])
    return "".join(out)


def draw_png(points: Sequence[MoodPoint], path: Path, title: str = "Mood") -> Path:
    """Valence and arousal over time (every reading, and the daily mean) as a PNG."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", "Drawing the mood timeline") from exc
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    days = by_day(points)
    fig, (ax_v, ax_a) = plt.subplots(2, 1, figsize=(9, 5), sharex=True)
    times = [p.created_at for p in points]
    ax_v.plot(times, [p.valence for p in points], "o", ms=3, alpha=0.35, color="tab:blue", label="reading")
    ax_a.plot(times, [p.arousal for p in points], "o", ms=3, alpha=0.35, color="tab:orange", label="reading")
    if days:
        noon = [datetime.combine(d.day, datetime.min.time(), UTC) + timedelta(hours=12) for d in days]
        ax_v.plot(noon, [d.valence for d in days], "-", lw=2, color="tab:blue", label="daily mean")
        ax_a.plot(noon, [d.arousal for d in days], "-", lw=2, color="tab:orange", label="daily mean")
    ax_v.axhline(0.0, color="grey", lw=0.8)
    ax_v.set_ylim(-1.05, 1.05)
    ax_v.set_ylabel("valence")
    ax_a.set_ylim(-0.02, 1.02)
    ax_a.set_ylabel("arousal")
    ax_v.set_title(title)
    ax_v.legend(loc="upper left", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
