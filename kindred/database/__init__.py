"""The database the companion keeps everything in: SQLite under KINDRED_HOME, or PostgreSQL.

Code above this package writes SQL once, with ``?`` placeholders, in the subset both
engines accept; ``Dialect`` answers the few things that differ. ``open_database``
picks the engine from the location: a file path is SQLite, a ``postgresql://`` URL
(``KINDRED_DATABASE_URL``) is PostgreSQL. Everything above the engines gets its handle from
``handles.acquire`` (or ``held``): one per database and process, shared by the store and every domain.
"""
from __future__ import annotations

from .dialect import Dialect
from .engine import Cursor, Database, Location, Transaction, is_postgres_url, open_database
from .handles import acquire, held, release

__all__ = ["Cursor", "Database", "Dialect", "Location", "Transaction", "acquire", "held", "is_postgres_url",
           "open_database", "release"]
