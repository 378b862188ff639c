"""Tables of the learning and recommend domains (see memory.py beside this file).

Every table is keyed by ``user_id`` and every query filters by it. There is no
foreign key to ``users``: these rows are written by the domains' repositories
(``kindred.database.tables``), and a user's learned preferences may exist before
their first turn (set from the CLI).
"""
from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("recommend-0001", """
    CREATE TABLE learned_preferences (
        user_id TEXT PRIMARY KEY,
        data TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL
    );
    CREATE TABLE reply_feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        turn_id TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('good', 'bad', 'note')),
        text TEXT NOT NULL DEFAULT '',
        changes TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    );
    CREATE INDEX reply_feedback_user ON reply_feedback(user_id, id);
    CREATE TABLE recommendations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        turn_id TEXT NOT NULL DEFAULT '',
        arm TEXT NOT NULL,
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        context TEXT NOT NULL,
        offered_at TEXT NOT NULL,
        outcome TEXT,
        reward REAL,
        outcome_at TEXT
    );
    CREATE INDEX recommendations_user ON recommendations(user_id, offered_at);
    CREATE TABLE checkin_settings (
        user_id TEXT PRIMARY KEY,
        enabled INTEGER NOT NULL DEFAULT 0,
        quiet_start TEXT NOT NULL DEFAULT '22:00',
        quiet_end TEXT NOT NULL DEFAULT '08:00',
        daily_cap INTEGER NOT NULL DEFAULT 1,
        snoozed_until TEXT
    );
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        source_text TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'en',
        due_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'delivered', 'cancelled', 'expired')),
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        UNIQUE (user_id, reason, due_at)
    );
    CREATE INDEX checkins_user_due ON checkins(user_id, status, due_at);
    """),
]
