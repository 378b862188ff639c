"""The schema, as named migrations applied once each, in order.

Each domain keeps its own list (``SCHEMA_MODULES`` below, each with a
``MIGRATIONS`` list of ``(id, sql)``), so adding a table never means editing
another domain's file. Applied ids are recorded in ``schema_migrations``.
"""
from __future__ import annotations

import importlib

SCHEMA_MODULES = [
    "kindred.memory.migrations",
]

MIGRATIONS: list[tuple[str, str]] = [
    ("core-0001", """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        started_at TEXT NOT NULL,
        last_active_at TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user_id, last_active_at);
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        turn_id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id),
        session_id TEXT NOT NULL REFERENCES sessions(id),
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        text TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'ok',
        meta TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        UNIQUE (turn_id, role)
    );
    CREATE INDEX turns_user_time ON turns(user_id, created_at);
    CREATE INDEX turns_session ON turns(session_id, id);
    CREATE TABLE safety_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES users(id),
        turn_id TEXT NOT NULL,
        risk TEXT NOT NULL,
        category TEXT NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    );
    CREATE TABLE affect_readings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES users(id),
        turn_id TEXT NOT NULL,
        valence REAL NOT NULL,
        arousal REAL NOT NULL,
        labels TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    );
    CREATE INDEX affect_user_time ON affect_readings(user_id, created_at);
    """),
]


def all_migrations() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in SCHEMA_MODULES:
        found += importlib.import_module(name).MIGRATIONS
    return found
