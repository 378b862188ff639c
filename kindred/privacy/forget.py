"""`forget-me`: every trace of one user gone, in the tables and in the bytes of the file.

Deleting rows is not enough for a promise like this. Deleted rows linger in three
places, each handled here: the keyword index keeps tokens of deleted entries in its
segments until they are merged (``optimize`` rewrites them), freed pages keep their old
bytes (the store's connection runs with ``secure_delete``, and ``VACUUM`` rebuilds the
file), and the write-ahead log keeps old page images (checkpointed and truncated).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..memory.portable import wipe_user
from ..memory.sqlite_store import SQLiteStore

# Files under KINDRED_HOME drawn from someone's data; derived, so deleting them loses nothing.
DERIVED_FILES = ("mood.png",)


@dataclass(frozen=True)
class Forgotten:
    counts: dict[str, int]  # rows removed by table, and "file:NAME": 1 for each file removed
    scrubbed: bool  # False: another process kept the old pages in the log; run again once it has stopped


def forget_user(store: SQLiteStore, user: str, *, home: Path | None = None) -> Forgotten:
    """Delete everything about ``user``, then scrub the freed bytes from the file and its log."""
    counts = wipe_user(store, user)
    with store._lock:
        db = store._db
        db.execute("INSERT INTO memory_terms(memory_terms) VALUES ('optimize')")
        db.execute("VACUUM")
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    if home is not None and counts:  # the mood chart is not labelled with its user: it goes with anyone's data
        for name in DERIVED_FILES:
            path = Path(home) / name
            if path.is_file():
                path.unlink()
                counts[f"file:{name}"] = 1
    return Forgotten(counts, scrubbed=not busy)
