"""Every table the companion keeps, by domain, in the order their migrations apply.

The database layer owns this list, so opening a database imports no domain code (the web
server's accounts included: a base install without the server extra opens its store). Each
module has ``MIGRATIONS`` (``(id, sql)``, SQLite's SQL), and may have ``POSTGRES_MIGRATIONS``
and ``prepare_postgres(database)``; see ``memory.py`` and ``../migrate.py``. A new table is a
new migration id in its domain's module here; ids already applied are never edited.
"""
from __future__ import annotations

from . import accounts, affect, localtime, memory, recommend

# The order of the ids applied so far; a fresh database gets its tables in this order.
SCHEMAS = (memory, recommend, accounts, affect, localtime)

__all__ = ["SCHEMAS"]
