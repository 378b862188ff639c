"""`forget-me`: every trace of one user gone, in the tables and, on SQLite, in the bytes of the file.

The rows go the same way on both engines (``wipe_user``: every table with a user column,
found in the catalog). Deleting rows is not enough for a promise like this on SQLite, whose
file is Kindred's own: deleted rows linger in three places, each handled here. The keyword
index keeps tokens of deleted entries in its segments until they are merged (``optimize``
rewrites them), freed pages keep their old bytes (the connection runs with ``secure_delete``,
and ``VACUUM`` rebuilds the file), and the write-ahead log keeps old page images
(checkpointed and truncated). PostgreSQL's files, WAL and backups belong to its server: old
row versions stay there until it vacuums and reuses the space, which Kindred cannot force
safely on a shared server, so ``scrubbed`` is None there and the command says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..memory.portable import wipe_user

# Files under KINDRED_HOME drawn from someone's data; derived, so deleting them loses nothing.
DERIVED_FILES = ("mood.png",)


@dataclass(frozen=True)
class Forgotten:
    counts: dict[str, int]  # rows removed by table, and "file:NAME": 1 for each file removed
    # True: the SQLite file and its log hold no freed bytes; False: another process kept old pages in
    # the log (run again once it has stopped); None: PostgreSQL, whose files its server manages.
    scrubbed: bool | None


def forget_user(store, user: str, *, home: Path | None = None) -> Forgotten:
    """Delete everything about ``user`` (a ``SQLStore`` on either engine), then scrub what SQLite freed."""
    counts = wipe_user(store, user)
    database = store.database
    scrubbed = None if database.dialect.is_postgres else _scrub_sqlite_file(database)
    if home is not None and counts:  # the mood chart is not labelled with its user: it goes with anyone's data
        for name in DERIVED_FILES:
            path = Path(home) / name
            if path.is_file():
                path.unlink()
                counts[f"file:{name}"] = 1
    return Forgotten(counts, scrubbed=scrubbed)


def _scrub_sqlite_file(database) -> bool:
    database.write("INSERT INTO memory_terms(memory_terms) VALUES ('optimize')")
    database.write("VACUUM")
    busy = database.read("PRAGMA wal_checkpoint(TRUNCATE)")[0][0]
    return not busy
