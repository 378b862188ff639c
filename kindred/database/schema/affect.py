"""Tables of the affect domain (see memory.py beside this file).

``conversation_feelings``: what feelings carry between turns (carried.py), one JSON row per
user and scope: ``session:<id>`` for a conversation's smoothed mood and recent readings,
``presence`` for the companion's own mood towards that person. In the database rather than
in a process, so any replica can serve a conversation's next turn.

``version`` counts the row's saves: a turn saves only over the version it loaded, so two turns of
one conversation at once cannot overwrite each other (affect/context.py merges the later one).
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
    ("affect-0002", """
    ALTER TABLE conversation_feelings ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    """),
]
