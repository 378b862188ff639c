"""Everything about one user, out to one JSON file and back, exactly; and wiping it.

Tables are found, not listed: every table with a ``user_id`` column belongs to
some user, so a table another domain adds later is exported and wiped too.
Rows keep their ids, so export → wipe → import → export gives the same JSON.
Derived indexes (keyword terms, the vector generation, pgvector's copy of each
vector) are rebuilt, not copied. The same code serves SQLite and PostgreSQL.
Credentials are not data: tables with a password hash or a token digest (the server's accounts
and sign-in tokens) are wiped with the user but never exported, and an import that carries them
is refused, so a crafted file cannot plant a session token or a password of its author's choosing.
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..database.catalog import after_explicit_ids, column_names, insertion_order, referenced_tables, table_names
from ..errors import StoreError
from .keywords import keyword_index_for

FORMAT = "kindred-user-export"
VERSION = 1
# Derived from other tables, or plumbing: rebuilt on import, never exported.
DERIVED = {"memory_terms", "memory_postings", "memory_terms_totals", "memory_generation", "memory_clock",
           "schema_migrations"}
# Columns derived from others in the same row (pgvector's copy of the stored vector).
DERIVED_COLUMNS = {("memory_vectors", "embedding")}
# Columns a migration has dropped (never read, so nothing is lost): an older export's values are skipped.
RETIRED_COLUMNS = {("memory_vectors", "model")}
# A table with one of these columns holds credentials: wiped, never exported, refused on import.
CREDENTIAL_COLUMNS = {"password_hash", "token_sha256"}


def _user_tables(db, dialect, *, credentials: bool = True) -> list[str]:
    """Tables holding a user's rows, parents before children (foreign keys); ``credentials`` False
    leaves out those holding passwords and tokens."""
    owned = [n for n in table_names(db, dialect) if n not in DERIVED and not n.startswith("memory_terms")
             and "user_id" in column_names(db, dialect, n)]
    if not credentials:
        owned = [n for n in owned if not _holds_credentials(db, dialect, n)]
    parents = {n: referenced_tables(db, dialect, n) & set(owned) for n in owned}
    ordered: list[str] = []
    while len(ordered) < len(owned):
        ready = [n for n in owned if n not in ordered and parents[n] <= set(ordered) | {n}]
        if not ready:  # a cycle: keep the rest in name order
            ready = [n for n in owned if n not in ordered]
        ordered += ready
    return ["users", *ordered]


def _holds_credentials(db, dialect, table: str) -> bool:
    return bool(CREDENTIAL_COLUMNS & set(column_names(db, dialect, table)))


def _columns(db, dialect, table: str) -> list[str]:
    return [c for c in column_names(db, dialect, table) if (table, c) not in DERIVED_COLUMNS]


def _encode(value: Any) -> Any:
    return {"$base64": base64.b64encode(value).decode("ascii")} if isinstance(value, bytes) else value


def _decode(value: Any) -> Any:
    """A column's value as exported: plain JSON scalars, or bytes as ``{"$base64": "..."}``, checked."""
    if not isinstance(value, dict | list):
        return value
    if isinstance(value, dict) and set(value) == {"$base64"} and isinstance(value["$base64"], str):
        try:
            return base64.b64decode(value["$base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise StoreError("The export has a binary value that is not valid base64.",
                             "Give a file written by `kindred memory export`, unchanged.",
                             code="import-invalid") from exc
    raise StoreError("The export has a value that is neither plain nor {\"$base64\": ...}.",
                     "Give a file written by `kindred memory export`, unchanged.", code="import-invalid")


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def export_user(store, user: str) -> dict:
    dialect = store.database.dialect
    with store.transaction() as db:
        tables: dict[str, list[dict]] = {}
        for table in _user_tables(db, dialect, credentials=False):
            columns = _columns(db, dialect, table)
            key = "id" if table == "users" else "user_id"
            rows = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = ? "
                              f"ORDER BY {insertion_order(db, dialect, table)}", (user,)).fetchall()
            tables[table] = [{c: _encode(_plain(v)) for c, v in zip(columns, row)} for row in rows]
    return {"format": FORMAT, "version": VERSION, "user": user, "tables": tables}


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def wipe_user(store, user: str) -> dict[str, int]:
    """Delete every row about the user, in every table, in one transaction. Returns rows per table."""
    with store.transaction() as db:
        return _wipe_in(store, db, user)


def _wipe_in(store, db, user: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    keyword_index_for(store).forget_user(db, user)
    for table in reversed(_user_tables(db, store.database.dialect)):
        key = "id" if table == "users" else "user_id"
        counts[table] = db.execute(f"DELETE FROM {table} WHERE {key} = ?", (user,)).rowcount
    db.execute("DELETE FROM memory_generation WHERE user_id = ?", (user,))
    return {k: v for k, v in counts.items() if v}


def import_user(store, data: dict, *, replace: bool = False) -> dict[str, int]:
    """Restore an export exactly (same ids). Refuses to mix with existing rows unless ``replace``.

    With ``replace`` the old rows are wiped in the same transaction as the import, so a file that
    fails half-way leaves the user's current data exactly as it was.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise StoreError("This file is not a Kindred export this version can read.",
                         f"Expected format '{FORMAT}' version {VERSION}.", code="import-invalid")
    user, tables = data.get("user"), data.get("tables")
    if not isinstance(user, str) or not user or not isinstance(tables, dict) \
            or not all(isinstance(rows, list) and all(isinstance(r, dict) for r in rows) for rows in tables.values()):
        raise StoreError("The export is damaged: it needs a user name and tables of rows.",
                         "Give a file written by `kindred memory export`, unchanged.", code="import-invalid")
    if store.read("SELECT 1 FROM users WHERE id = ?", (user,)) and not replace:
        raise StoreError(f"User '{user}' already has data here; importing would mix two histories.",
                         "Export and wipe first, or import with --replace.", code="import-conflict")
    counts: dict[str, int] = {}
    dialect = store.database.dialect
    try:
        with store.transaction() as db:
            if replace:
                _wipe_in(store, db, user)
            owned = _user_tables(db, dialect, credentials=False)
            known = set(owned)
            for table in tables:
                if table in table_names(db, dialect) and _holds_credentials(db, dialect, table):
                    raise StoreError(f"The export carries '{table}': passwords or sign-in tokens, which are never "
                                     "imported.", "Import the person's data only; make their account again with "
                                     "`kindred account link NAME`.", code="import-credentials")
                if table not in known:
                    raise StoreError(f"The export has a table '{table}' this database does not know.",
                                     "Upgrade Kindred to the version that made the export.", code="import-invalid")
            for table in [t for t in owned if t in tables]:
                columns_known = set(_columns(db, dialect, table))
                for row in tables[table]:
                    if row.get("user_id", row.get("id")) != user:
                        raise StoreError("The export mixes users.", "Export one user per file.",
                                         code="import-invalid")
                    columns = [c for c in row if (table, c) not in RETIRED_COLUMNS]
                    if not columns or not set(columns) <= columns_known:
                        raise StoreError(f"A row of '{table}' has columns this database does not know.",
                                         "Upgrade Kindred to the version that made the export.", code="import-invalid")
                    db.execute(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                               [_decode(row[c]) for c in columns])
                counts[table] = len(tables[table])
            after_explicit_ids(db, dialect, owned)
            keywords = keyword_index_for(store)
            for memory_id, topic, text in db.execute("SELECT id, topic, text FROM memories WHERE user_id = ?",
                                                     (user,)).fetchall():
                keywords.put(db, memory_id, user, f"{topic} {text}")
            if store.database.has_vector_search:
                from ..database.pgvector import fill_embeddings

                fill_embeddings(db, user)
    except StoreError as exc:
        if exc.code not in ("store-error", "store-conflict"):
            raise
        raise StoreError(f"The import failed and nothing was changed: {exc.message}",
                         "Import into a fresh KINDRED_HOME, or check the file.", code="import-failed") from exc
    except Exception as exc:  # a damaged file
        raise StoreError(f"The import failed and nothing was changed: {exc}",
                         "Import into a fresh KINDRED_HOME, or check the file.", code="import-failed") from exc
    return counts
