"""The process's one handle on each database: the store, the server and every domain's repository share it.

``acquire(location)`` gives the ``Database`` open at that location in this process (one connection,
one engine thread), opening and migrating it when nobody holds it; ``release`` lets it go, and the
last holder's release closes it. So the turn loop, the server's tables and the preferences,
suggestions, check-ins, time zones and mood readings of one process all run on the store's own
connection, whether they were handed the store or only its path or URL. Nothing stays open after
its last holder is done: a closed store leaves its file free (the privacy converter rewrites it, a
damaged file is moved aside, a test's home is deleted). A one-shot CLI command that makes several
calls by location holds the handle for the command (``held``), so they open it once.

Only this module opens a database for the process (``open_database`` is the engines' own opener);
``kindred.tools.layers`` checks that nothing outside the storage layer opens one itself.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .engine import Database, Location, is_postgres_url, open_database


@dataclass
class _Held:
    database: Database
    holders: int


_open: dict[str, _Held] = {}
_migrated: set[str] = set()  # locations this process has migrated (a file deleted since is migrated again)
_lock = threading.Lock()


def key_of(location: Location) -> str:
    """One key per database: a URL as given, a file by its absolute path (``home/x.db`` and ``./home/x.db`` agree)."""
    return str(location) if is_postgres_url(location) else str(Path(location).expanduser().resolve())


def acquire(location: Location, *, migrate: bool | None = None) -> Database:
    """The process's handle on ``location``; ``release`` it when done. ``migrate``: True brings the schema up
    to date when it is opened (the store: always); None (the default) does so the first time this process
    opens that location, or when the file has gone since."""
    key = key_of(location)
    with _lock:
        held = _open.get(key)
        if held is not None:
            held.holders += 1
            return held.database
        if migrate is None:
            migrate = key not in _migrated or (not is_postgres_url(location) and not Path(key).exists())
        database = open_database(location if is_postgres_url(location) else Path(key), migrate=migrate)
        if migrate:
            _migrated.add(key)
        _open[key] = _Held(database, 1)
        return database


def release(database: Database) -> bool:
    """Let go of a handle from ``acquire``; the last holder's release closes it. False, and nothing done,
    for a database this registry did not open (the caller's own, to close itself)."""
    with _lock:
        for key, held in _open.items():
            if held.database is database:
                held.holders -= 1
                if held.holders:
                    return True
                del _open[key]
                break
        else:
            return False
    database.close()  # outside the lock: closing waits for the engine thread's queued work
    return True


def release_or_close(database: Database) -> None:
    """For an owner that may hold either kind: a shared handle is released, a database of its own closed."""
    if not release(database):
        database.close()


@contextmanager
def held(location: Location) -> Iterator[Database]:
    """``with held(location) as database``: the process's handle for the block (a CLI command's calls)."""
    database = acquire(location)
    try:
        yield database
    finally:
        release(database)


def holders(location: Location) -> int:
    """How many hold the handle on ``location`` now (0: it is closed)."""
    with _lock:
        found = _open.get(key_of(location))
        return found.holders if found else 0


def close_all() -> None:
    """Close every handle still held (tests, between servers; a process that is ending)."""
    with _lock:
        databases = [held.database for held in _open.values()]
        _open.clear()
    for database in databases:
        database.close()
