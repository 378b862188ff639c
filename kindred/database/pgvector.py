"""pgvector on PostgreSQL: the ``embedding`` column derived from ``memory_vectors.vector``.

Part of the schema (``schema/memory.py``'s ``prepare_postgres`` runs it on every open), so it
lives in the database layer; the memory domain's search (``kindred/memory/vectors_pg.py``)
uses ``vector_literal`` from here.
"""
from __future__ import annotations

import numpy as np

from ..errors import StoreError
from .migrate import MIGRATION_LOCK


def vector_literal(vector: np.ndarray | bytes) -> str:
    """pgvector's text form. float32 → Python float → text → float4 gives back the same float32."""
    values = np.frombuffer(vector, dtype=np.float32) if isinstance(vector, bytes) else np.asarray(vector, np.float32)
    return "[" + ",".join(map(repr, values.tolist())) + "]"


def enable_vector_search(database) -> bool:
    """Create the extension and the ``embedding`` column if the server allows; False leaves the numpy scan.

    Under the migration lock: two processes opening the database at once would race to create both.
    """
    try:
        with database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            db.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except StoreError as exc:
        if exc.code == "store-unavailable":
            raise
        return False  # not installed on this server, or this role may not create it
    with database.transaction() as db:
        db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        present = db.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                             "AND table_name = 'memory_vectors' AND column_name = 'embedding'").fetchall()
        if not present:
            db.execute("ALTER TABLE memory_vectors ADD COLUMN embedding vector")
        fill_embeddings(db)
    return True


def fill_embeddings(db, user: str | None = None) -> int:
    """Derive ``embedding`` for rows written without it (an import; a process that ran without pgvector)."""
    sql = "SELECT memory_id, vector FROM memory_vectors WHERE embedding IS NULL"
    rows = db.execute(sql + " AND user_id = ?", (user,)).fetchall() if user else db.execute(sql).fetchall()
    for memory_id, blob in rows:
        db.execute("UPDATE memory_vectors SET embedding = ?::vector WHERE memory_id = ?",
                   (vector_literal(bytes(blob)), memory_id))
    return len(rows)
