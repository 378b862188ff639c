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

from ..database.pgvector import vector_literal


class PgVectorIndex:
    """The same interface as ``VectorIndex``; nothing is cached here, so there is nothing to go stale."""

    def __init__(self, store, dim: int) -> None:
        self.store = store
        self.dim = dim

    def put(self, db, memory_id: int, user: str, vector: np.ndarray) -> None:
        data = np.asarray(vector, dtype=np.float32)
        db.execute("INSERT INTO memory_vectors(memory_id, user_id, vector, embedding) "
                   "VALUES (?, ?, ?, ?::vector)", (memory_id, user, data.tobytes(), vector_literal(data)))

    def generation(self, user: str) -> int:
        return 0

    def added(self, user: str, memory_ids: list[int], vectors: np.ndarray, before: int, after: int) -> None:
        return None

    def forget_user(self, user: str) -> None:
        return None

    def search(self, user: str, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        probe = vector_literal(query)
        rows = self.store.read("SELECT memory_id, -(embedding <#> ?::vector) FROM memory_vectors "
                                "WHERE user_id = ? AND embedding IS NOT NULL "
                                "ORDER BY embedding <#> ?::vector, memory_id LIMIT ?", (probe, user, probe, limit))
        return [(int(memory_id), float(score)) for memory_id, score in rows]

    def similarity(self, user: str, memory_ids: Sequence[int], query: np.ndarray) -> list[float]:
        rows = self.store.read("SELECT memory_id, -(embedding <#> ?::vector) FROM memory_vectors "
                                "WHERE user_id = ? AND memory_id = ANY(?)",
                                (vector_literal(query), user, [int(m) for m in memory_ids]))
        scores = {int(memory_id): float(score) for memory_id, score in rows}
        return [scores.get(int(m), 0.0) for m in memory_ids]
