"""`forget-me`: every trace of one user gone, in the tables and in the bytes of the file.

Deleting rows is not enough for a promise like this. Deleted rows linger in three
places, each handled here: the keyword index keeps tokens of deleted entries in its
segments until they are merged (``optimize`` rewrites them), freed pages keep their old
bytes (the store's connection runs with ``secure_delete``, and ``VACUUM`` rebuilds the
file), and the write-ahead log keeps old page images (checkpointed and truncated).
"""
from __future__ import annotations

from pathlib import Path

from ..memory.portable import wipe_user
from ..memory.sqlite_store import SQLiteStore

# Files under KINDRED_HOME drawn from someone's data; derived, so deleting them loses nothing.
DERIVED_FILES = ("mood.png",)


def forget_user(store: SQLiteStore, user: str, *, home: Path | None = None) -> dict[str, int]:
    """Delete everything about ``user``; returns rows (and files) removed, by table (or file name)."""
    counts = wipe_user(store, user)
    with store._lock:
        db = store._db
        db.execute("INSERT INTO memory_terms(memory_terms) VALUES ('optimize')")
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if home is not None:
        for name in DERIVED_FILES:
            path = Path(home) / name
            if path.is_file():
                path.unlink()
                counts[f"file:{name}"] = 1
    return counts
