"""The table of each person's time zone (see memory.py beside this file for how migrations run).

``set_by``: 'person' when they chose it (``kindred checkins tz``), 'browser' when the page
reported the browser's zone. Keyed by ``user_id`` like every table, so export and
forget-me find it by themselves.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("localtime-0001", """
    CREATE TABLE person_timezones (
        user_id TEXT PRIMARY KEY,
        timezone TEXT NOT NULL,
        set_by TEXT NOT NULL CHECK (set_by IN ('person', 'browser')),
        updated_at TEXT NOT NULL
    );
    """),
]
