"""Tables of the affect domain (see memory.py beside this file).

``conversation_feelings``: what feelings carry between turns (carried.py), one JSON row per
user and scope: ``session:<id>`` for a conversation's smoothed mood and recent readings,
``presence`` for the companion's own mood towards that person. In the database rather than
in a process, so any replica can serve a conversation's next turn.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("affect-0001", """
    CREATE TABLE conversation_feelings (
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, scope)
    );
    """),
]
