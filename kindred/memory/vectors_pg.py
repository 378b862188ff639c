"""Nearest neighbours found by PostgreSQL itself, with pgvector, where the server has it.

The float32 bytes in ``memory_vectors.vector`` stay the source of truth in both
engines (an export is the same file either way); pgvector's ``embedding`` column is
derived from them, filled when a row is written and backfilled when the extension
first becomes available. Scores are inner products (``<#>`` is its negative), the
same number the numpy scan computes, so both give the same order. The search is an
exact scan on the server, like the numpy one: no approximate index, no missed
neighbour. Without pgvector (Debian's PostgreSQL has no package for it, or the
role may not create extensions) ``VectorIndex`` scans in numpy as on SQLite.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import StoreError


def vector_literal(vector: np.ndarray | bytes) -> str:
    """pgvector's text form. float32 → Python float → text → float4 gives back the same float32."""
    values = np.frombuffer(vector, dtype=np.float32) if isinstance(vector, bytes) else np.asarray(vector, np.float32)
    return "[" + ",".join(map(repr, values.tolist())) + "]"


def enable_vector_search(database) -> bool:
    """Create the extension and the ``embedding`` column if the server allows; False leaves the numpy scan.

    Under the migration lock: two processes opening the database at once would race to create both.
    """
    from ..database.migrate import MIGRATION_LOCK

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


class PgVectorIndex:
    """The same interface as ``VectorIndex``; nothing is cached here, so there is nothing to go stale."""

    def __init__(self, store, dim: int) -> None:
        self.store = store
        self.dim = dim

    def put(self, db, memory_id: int, user: str, model: str, vector: np.ndarray) -> None:
        data = np.asarray(vector, dtype=np.float32)
        db.execute("INSERT INTO memory_vectors(memory_id, user_id, model, vector, embedding) "
                   "VALUES (?, ?, ?, ?, ?::vector)", (memory_id, user, model, data.tobytes(), vector_literal(data)))

    def generation(self, user: str) -> int:
        return 0

    def added(self, user: str, memory_ids: list[int], vectors: np.ndarray, before: int, after: int) -> None:
        return None

    def forget_user(self, user: str) -> None:
        return None

    def search(self, user: str, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        probe = vector_literal(query)
        rows = self.store._read("SELECT memory_id, -(embedding <#> ?::vector) FROM memory_vectors "
                                "WHERE user_id = ? AND embedding IS NOT NULL "
                                "ORDER BY embedding <#> ?::vector, memory_id LIMIT ?", (probe, user, probe, limit))
        return [(int(memory_id), float(score)) for memory_id, score in rows]

    def similarity(self, user: str, memory_ids: Sequence[int], query: np.ndarray) -> list[float]:
        rows = self.store._read("SELECT memory_id, -(embedding <#> ?::vector) FROM memory_vectors "
                                "WHERE user_id = ? AND memory_id = ANY(?)",
                                (vector_literal(query), user, [int(m) for m in memory_ids]))
        scores = {int(memory_id): float(score) for memory_id, score in rows}
        return [scores.get(int(m), 0.0) for m in memory_ids]
