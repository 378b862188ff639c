"""Nearest-neighbour search over one user's memory vectors: an exact scan in numpy.

Why not an approximate index or sqlite-vec: one person's memories stay in the
tens of thousands; an exact float32 scan of 100k × 384 is one matrix-vector
product (~150 MB, tens of milliseconds on two cores), needs no extra package
(sqlite-vec would also need pysqlite3-binary, since this Python's sqlite3 cannot
load extensions, and vec0 scans exhaustively too), and never misses a neighbour.

On PostgreSQL with pgvector the server does this search instead (``vectors_pg.py``);
without pgvector this scan serves PostgreSQL too, reading the same float32 bytes.

Vectors are stored as float32 BLOBs in ``memory_vectors`` (the source of truth).
Each user's matrix is loaded on first search and kept in memory; a trigger bumps
``memory_generation`` on every insert or delete, so a forget or an import done by
another process (the CLI while a chat runs) is noticed on the next search.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np


@dataclass
class _Matrix:
    generation: int
    ids: np.ndarray  # int64, n
    vectors: np.ndarray  # float32, capacity × dim; rows [:n] are live
    count: int


def vector_search_for(store, dim: int):
    """The server's pgvector search where the database has it, else this exact numpy scan."""
    if store.database.has_vector_search:
        from .vectors_pg import PgVectorIndex

        return PgVectorIndex(store, dim)
    return VectorIndex(store, dim)


class VectorIndex:
    def __init__(self, store, dim: int) -> None:
        self.store = store
        self.dim = dim
        self._users: dict[str, _Matrix] = {}
        self._lock = threading.Lock()

    def put(self, db, memory_id: int, user: str, vector: np.ndarray) -> None:
        """Store one vector inside the caller's transaction (a trigger moves the user's generation on)."""
        db.execute("INSERT INTO memory_vectors(memory_id, user_id, vector) VALUES (?, ?, ?)",
                   (memory_id, user, np.asarray(vector, dtype=np.float32).tobytes()))

    def _generation(self, user: str) -> int:
        rows = self.store.read("SELECT generation FROM memory_generation WHERE user_id = ?", (user,))
        return int(rows[0][0]) if rows else 0

    def _load(self, user: str) -> _Matrix:
        generation = self._generation(user)
        rows = self.store.read("SELECT memory_id, vector FROM memory_vectors WHERE user_id = ? "
                                "ORDER BY memory_id", (user,))
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vectors = np.frombuffer(b"".join(bytes(r[1]) for r in rows), dtype=np.float32).reshape(len(rows), self.dim)
        return _Matrix(generation, ids, vectors.copy(), len(rows))

    def _current(self, user: str) -> _Matrix:
        matrix = self._users.get(user)
        if matrix is None or matrix.generation != self._generation(user):
            matrix = self._users[user] = self._load(user)
        return matrix

    def generation(self, user: str) -> int:
        return self._generation(user)

    def added(self, user: str, memory_ids: list[int], vectors: np.ndarray, before: int, after: int) -> None:
        """Rows this process just inserted, with the generation read before and after inside the same
        write transaction: when nothing else changed since the cached load, append instead of reloading."""
        with self._lock:
            matrix = self._users.get(user)
            if matrix is None:
                return
            if matrix.generation != before:
                self._users.pop(user, None)  # someone else wrote too: reload on the next search
                return
            needed = matrix.count + len(memory_ids)
            if needed > len(matrix.vectors):
                grown = np.zeros((max(needed, 2 * len(matrix.vectors), 64), self.dim), dtype=np.float32)
                grown[: matrix.count] = matrix.vectors[: matrix.count]
                matrix.vectors = grown
            matrix.vectors[matrix.count:needed] = vectors
            matrix.ids = np.concatenate([matrix.ids[: matrix.count], np.asarray(memory_ids, dtype=np.int64)])
            matrix.count = needed
            matrix.generation = after

    def forget_user(self, user: str) -> None:
        with self._lock:
            self._users.pop(user, None)

    def search(self, user: str, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """(memory id, cosine) of the user's ``limit`` nearest memories, best first."""
        with self._lock:
            matrix = self._current(user)
            if matrix.count == 0:
                return []
            scores = matrix.vectors[: matrix.count] @ np.asarray(query, dtype=np.float32)
            ids = matrix.ids
        take = min(limit, len(scores))
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def similarity(self, user: str, memory_ids: list[int], query: np.ndarray) -> list[float]:
        """Cosine of the query with these memories (0.0 for one without a vector)."""
        wanted = np.asarray(memory_ids, dtype=np.int64)
        with self._lock:
            matrix = self._current(user)
            ids = matrix.ids[: matrix.count]
            rows = np.searchsorted(ids, wanted)  # ids are ascending: loaded in order, appended in order
            rows = np.minimum(rows, max(len(ids) - 1, 0))
            found = (ids[rows] == wanted) if len(ids) else np.zeros(len(wanted), dtype=bool)
            scores = np.zeros(len(wanted), dtype=np.float32)
            if found.any():  # one gather and one product instead of a Python loop over the rows
                scores[found] = matrix.vectors[rows[found]] @ np.asarray(query, dtype=np.float32)
        return [float(s) for s in scores]
