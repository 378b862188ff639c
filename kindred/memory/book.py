"""Long-term memories: what is kept beyond the raw turns, with history, vectors and keywords.

A ``MemoryBook`` sits on the store (SQLite or PostgreSQL). Every method takes the user and every
query filters by it. Facts keep their history: a new value for the same topic
replaces the current one (the most recent statement wins) and the old value
stays in ``memory_history`` with when and from which turn it changed. Saying
the same thing twice merges into one memory (``mentions`` goes up); nothing is
deleted except by the user's own forget or wipe.
"""
from __future__ import annotations

import builtins  # below the method MemoryBook.list, a plain `list[...]` annotation would name it
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import numpy as np

from ..database.timestamps import utc_text
from ..database.worker import off_loop
from ..errors import StoreError
from ..localtime import local, utc_text_edges
from ..localtime.person import person_zone
from .embedder import Embedder, embed_matrix
from .indexing_lane import on_indexing_lane
from .keywords import keyword_index_for
from .memories import (
    COLUMNS,
    KINDS,
    Memory,
    NewMemory,
    embed_memories,
    embedding_text,
    embedding_views,
    memory_from_row,
    normalise,
)
from .sql_store import SQLStore
from .vectors import vector_search_for


class MemoryBook:
    def __init__(self, store: SQLStore, embedder: Embedder | None = None, *, default_zone: str = "UTC") -> None:
        """``default_zone``: the zone of a person who has not named theirs, for "tomorrow" and "last weekend".
        The companion passes the ``timezone`` setting ("" for the machine's); a bare book keeps UTC, the frame
        the timestamps are stored in, so benchmarks and tests read the same on every machine."""
        self.store = store
        self.embedder = embedder
        self.default_zone = default_zone
        self.vectors = vector_search_for(store, embedder.dim if embedder else 384)
        self.keywords = keyword_index_for(store)

    # ---- writing -------------------------------------------------------------------------------
    async def add(self, user: str, items: Sequence[NewMemory], *,
                  vectors: np.ndarray | None = None) -> list[int]:
        """Store memories with their keyword terms and vectors, in one transaction."""
        if not items:
            return []
        for item in items:
            if item.kind not in KINDS:
                raise StoreError(f"Unknown memory kind '{item.kind}'.", f"Use one of {', '.join(KINDS)}.")
        if vectors is None and self.embedder is not None:
            vectors = await on_indexing_lane(embed_memories, self.embedder, items)
        return await self.call(self._insert, user, items, vectors)

    async def call(self, fn, /, *args, **kwargs):
        """``fn`` on the store's database thread, off the event loop (kindred/database/worker.py). The vector
        index's per-user cache is read and updated there only, so it never races with itself."""
        return await self.store.call(fn, *args, **kwargs)

    def _insert(self, user: str, items: Sequence[NewMemory], vectors: np.ndarray | None) -> list[int]:
        now = utc_text(self.store.clock())
        self.store.ensure_user(user)
        ids: list[int] = []
        with self.store.transaction() as db:
            before = self.vectors.generation(user)
            for index, item in enumerate(items):
                row = db.execute(
                    "INSERT INTO memories(user_id, kind, topic, text, context, value, importance, salience, "
                    "valence, arousal, happened_at, event_date, status, session_id, source_turns, mentions, "
                    "origin, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'active',?,?,1,?,?,?) "
                    "RETURNING id",
                    (user, item.kind, item.topic, item.text, item.context, item.value, float(item.importance),
                     float(item.salience), _number(item.valence), _number(item.arousal), item.happened_at,
                     item.event_date, item.session_id, json.dumps(list(item.source_turns)), item.origin, now,
                     now)).fetchone()
                memory_id = int(row[0])
                ids.append(memory_id)
                self.keywords.put(db, memory_id, user, f"{item.topic} {item.text}")
                if vectors is not None:
                    self.vectors.put(db, memory_id, user, vectors[index])
            after = self.vectors.generation(user)
        if vectors is not None:
            self.vectors.added(user, ids, np.asarray(vectors, dtype=np.float32), before, after)
        return ids

    async def remember_fact(self, user: str, item: NewMemory, *, turn_id: str = "") -> tuple[int, str]:
        """Add or update the fact for ``item.topic``. Returns (memory id, "new" | "merged" | "updated")."""
        topic = normalise(item.topic)
        rows = await self.call(self.store.read, f"SELECT {COLUMNS} FROM memories WHERE user_id = ? AND kind = ? "
                               "AND topic = ? ORDER BY id LIMIT 1", (user, item.kind, topic))
        if not rows:
            ids = await self.add(user, [_with(item, topic=topic)])
            return ids[0], "new"
        current = memory_from_row(rows[0])
        sources = json.dumps(list(dict.fromkeys(current.source_turns + item.source_turns)))
        now = utc_text(self.store.clock())
        if normalise(current.value) == normalise(item.value):
            greatest = self.store.database.dialect.greatest("importance", "?")
            await self.call(self.store.write, "UPDATE memories SET mentions = mentions + 1, source_turns = ?, "
                            f"updated_at = ?, importance = {greatest} WHERE id = ? AND user_id = ?",
                            (sources, now, float(item.importance), current.id, user))
            return current.id, "merged"
        if item.happened_at < current.happened_at:
            # An older statement arriving late (an import, a re-extraction): history only; recency wins.
            await self.call(self._log_change, user, current.id, item.value, current.value, turn_id,
                            "older statement", now)
            return current.id, "merged"
        await self.call(self._update_fact, user, current, item, topic, sources, now, turn_id)
        await self._reembed(user, current.id, item.text)
        return current.id, "updated"

    def _update_fact(self, user: str, current: Memory, item: NewMemory, topic: str, sources: str, now: str,
                     turn_id: str) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT INTO memory_history(memory_id, user_id, old_value, new_value, turn_id, reason, "
                       "changed_at) VALUES (?,?,?,?,?,?,?)",
                       (current.id, user, current.value, item.value, turn_id, "newer statement", item.happened_at))
            db.execute("UPDATE memories SET value = ?, text = ?, happened_at = ?, event_date = ?, "
                       "source_turns = ?, mentions = mentions + 1, origin = ?, updated_at = ? "
                       "WHERE id = ? AND user_id = ?",
                       (item.value, item.text, item.happened_at, item.event_date, sources, item.origin, now,
                        current.id, user))
            self.keywords.put(db, current.id, user, f"{topic} {item.text}")

    def _log_change(self, user: str, memory_id: int, old: str, new: str, turn_id: str, reason: str,
                    when: str) -> None:
        self.store.write("INSERT INTO memory_history(memory_id, user_id, old_value, new_value, turn_id, reason, "
                          "changed_at) VALUES (?,?,?,?,?,?,?)", (memory_id, user, old, new, turn_id, reason, when))

    async def _reembed(self, user: str, memory_id: int, text: str) -> None:
        if self.embedder is None:
            return
        vector = (await on_indexing_lane(embed_matrix, self.embedder, [text], "passage"))[0]
        await self.call(self._put_vector, user, memory_id, vector)

    def _put_vector(self, user: str, memory_id: int, vector: np.ndarray) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM memory_vectors WHERE memory_id = ? AND user_id = ?", (memory_id, user))
            self.vectors.put(db, memory_id, user, vector)

    async def edit(self, user: str, memory_id: int, text: str) -> Memory:
        """The user corrects a memory: the old text stays in its history."""
        current = await self.get(user, memory_id)
        if current is None:
            raise StoreError(f"There is no memory {memory_id} for user '{user}'.",
                             "`kindred memory list` shows the ids.", code="memory-not-found")
        await self.call(self._edit, user, current, text)
        await self._reembed(user, memory_id, text)
        return await self.get(user, memory_id)  # type: ignore[return-value]

    def _edit(self, user: str, current: Memory, text: str) -> None:
        now, memory_id = utc_text(self.store.clock()), current.id
        value = text if current.kind == "fact" else current.value
        with self.store.transaction() as db:
            db.execute("INSERT INTO memory_history(memory_id, user_id, old_value, new_value, turn_id, reason, "
                       "changed_at) VALUES (?,?,?,?,'','edited by the user',?)",
                       (memory_id, user, current.text, text, now))
            db.execute("UPDATE memories SET text = ?, value = ?, origin = 'user', updated_at = ? "
                       "WHERE id = ? AND user_id = ?", (text, value, now, memory_id, user))
            self.keywords.put(db, memory_id, user, f"{current.topic} {text}")

    @off_loop
    def set_status(self, user: str, memory_ids: Sequence[int], status: str) -> None:
        for memory_id in memory_ids:
            self.store.write("UPDATE memories SET status = ?, updated_at = ? WHERE id = ? AND user_id = ?",
                              (status, utc_text(self.store.clock()), memory_id, user))

    # ---- forgetting ----------------------------------------------------------------------------
    @off_loop
    def forget(self, user: str, memory_ids: Sequence[int]) -> int:
        """Delete memories for real: the row, its vector, its keyword entry and its history (triggers)."""
        with self.store.transaction() as db:
            gone = sum(db.execute("DELETE FROM memories WHERE id = ? AND user_id = ?", (m, user)).rowcount
                       for m in memory_ids)
        return gone

    @off_loop
    def forget_turn(self, user: str, turn_id: str) -> int:
        """Forget what was said in one turn: both sides of it, its affect reading, and every memory made from it."""
        # LIKE finds the candidates in both engines (an id with % or _ only widens it); JSON decides.
        candidates = self.store.read("SELECT id, source_turns FROM memories WHERE user_id = ? AND source_turns LIKE ?",
                                      (user, f'%"{turn_id}"%'))
        derived = [int(memory_id) for memory_id, sources in candidates if turn_id in json.loads(sources)]
        with self.store.transaction() as db:
            for memory_id in derived:
                db.execute("DELETE FROM memories WHERE id = ? AND user_id = ?", (memory_id, user))
            turns = db.execute("DELETE FROM turns WHERE user_id = ? AND turn_id = ?", (user, turn_id)).rowcount
            db.execute("DELETE FROM affect_readings WHERE user_id = ? AND turn_id = ?", (user, turn_id))
        return turns + len(derived)

    # ---- reading -------------------------------------------------------------------------------
    @off_loop
    def has_turn(self, user: str, turn_id: str) -> bool:
        """Is this turn still stored? ("forget that" may have removed it before its facts were extracted)"""
        return bool(self.store.read("SELECT 1 FROM turns WHERE user_id = ? AND turn_id = ? LIMIT 1", (user, turn_id)))

    @off_loop
    def get(self, user: str, memory_id: int) -> Memory | None:
        rows = self.store.read(f"SELECT {COLUMNS} FROM memories WHERE id = ? AND user_id = ?", (memory_id, user))
        return memory_from_row(rows[0]) if rows else None

    def fetch_now(self, user: str, memory_ids: Sequence[int]) -> dict[int, Memory]:
        """``fetch`` for code already on the database thread (recall's ranking)."""
        found: dict[int, Memory] = {}
        ids = list(memory_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            owner = self.store.database.dialect.key_lookup("user_id")
            for row in self.store.read(f"SELECT {COLUMNS} FROM memories WHERE {owner} = ? AND id IN ({marks})",
                                        (user, *[int(i) for i in chunk])):
                found[row[0]] = memory_from_row(row)
        return found

    fetch = off_loop(fetch_now)

    @off_loop
    def history(self, user: str, memory_id: int) -> list[dict]:
        rows = self.store.read("SELECT old_value, new_value, turn_id, reason, changed_at FROM memory_history "
                                "WHERE memory_id = ? AND user_id = ? ORDER BY id", (memory_id, user))
        return [dict(zip(("old_value", "new_value", "turn_id", "reason", "changed_at"), r)) for r in rows]

    @off_loop
    def list(self, user: str, *, kind: str | None = None, status: str | None = None,
                   limit: int = 50, offset: int = 0) -> list[Memory]:
        sql = f"SELECT {COLUMNS} FROM memories WHERE user_id = ?"
        params: list[object] = [user]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        if status:
            sql += " AND status = ?"
            params.append(status)
        sql += " ORDER BY happened_at DESC, id DESC LIMIT ? OFFSET ?"
        return [memory_from_row(r) for r in self.store.read(sql, (*params, limit, offset))]

    @off_loop
    def previous_session(self, user: str, session_id: str) -> str | None:
        """The user's most recently active session other than ``session_id``, or None."""
        rows = self.store.read("SELECT id FROM sessions WHERE user_id = ? AND id != ? "
                               "ORDER BY last_active_at DESC LIMIT 1", (user, session_id))
        return str(rows[0][0]) if rows else None

    @off_loop
    def has_summary(self, user: str, session_id: str) -> bool:
        return bool(self.store.read("SELECT 1 FROM memories WHERE user_id = ? AND kind = 'summary' "
                                    "AND session_id = ?", (user, session_id)))

    @off_loop
    def count(self, user: str) -> int:
        return int(self.store.read("SELECT COUNT(*) FROM memories WHERE user_id = ?", (user,))[0][0])

    def keyword(self, user: str, query: str, limit: int, *, budget: int = 2000,
                keep: int = 2) -> builtins.list[tuple[int, float]]:
        """(memory id, BM25 score, higher is better) for memories sharing the query's terms.

        BM25 scores every memory that holds any query term, so common terms cost the most and tell
        the least. Terms are taken rarest first until they would make more than ``budget`` memories
        to score (the ``keep`` rarest always stay): a search over 100k memories stays in milliseconds,
        and a small store, where nothing is that common, loses nothing.
        """
        return self.keywords.search(user, query, limit, budget=budget, keep=keep)

    def turns_around(self, user: str, turns: Sequence[tuple[int, str]], window: int) -> dict[int, dict[int, int]]:
        """For each (turn, its session): the turns stored just before and after it in that session → how many
        turns away (−1, +1 …). Counted in turns: facts and feelings stored between two turns are skipped.
        One statement for all of them: a round trip each cost more than the rest of the lending."""
        if not turns:
            return {}
        parts, params = [], []
        for index, (memory_id, session_id) in enumerate(turns):
            for sign, where in ((1, "id > ? ORDER BY id"), (-1, "id < ? ORDER BY id DESC")):
                parts.append(f"SELECT * FROM (SELECT ? AS source, ? AS sign, id FROM memories WHERE user_id = ? "
                             f"AND session_id = ? AND kind = 'turn' AND {where} LIMIT ?) AS around_{index}_{sign + 1}")
                params += [memory_id, sign, user, session_id, memory_id, window]
        found: dict[int, dict[int, int]] = {memory_id: {} for memory_id, _ in turns}
        for source, sign, neighbour in sorted(self.store.read(" UNION ALL ".join(parts), params),
                                              key=lambda row: (row[0], row[1], row[1] * row[2])):
            around = found[int(source)]
            around[int(neighbour)] = int(sign) * (1 + sum(1 for offset in around.values() if offset * sign > 0))
        return found

    def dense(self, user: str, query_vector: np.ndarray, limit: int) -> builtins.list[tuple[int, float]]:
        return self.vectors.search(user, query_vector, limit)

    def zone_of(self, user: str) -> tzinfo:
        """The zone ``user`` lives in: their own (kindred.localtime), else this book's default."""
        return person_zone(self.store, user, self.default_zone).zone

    def today_of(self, user: str, now: datetime | None = None) -> date:
        """The day it is for ``user`` where they are (``now``: default the store's clock)."""
        return local(now or self.store.clock(), self.zone_of(user)).date()

    def in_span(self, user: str, start: str, end: str, limit: int, *, zone: tzinfo = UTC) -> builtins.list[int]:
        """Memories said, or about something that happened, between two dates (YYYY-MM-DD, inclusive), the days
        as they were on ``zone``'s clock (the person's)."""
        # A range on happened_at itself (not on its first ten characters) and two branches, each on its own
        # index (memory-0002): ISO timestamps sort as text, so "said on day D" is D <= happened_at < D + 1,
        # D's edges being where the person's midnights fall in UTC.
        start_at, after_end = utc_text_edges(date.fromisoformat(start), date.fromisoformat(end), zone)
        rows = self.store.read(
            "SELECT id FROM ("
            "SELECT id, importance, happened_at FROM memories WHERE user_id = ? AND happened_at >= ? "
            "AND happened_at < ? UNION "
            "SELECT id, importance, happened_at FROM memories WHERE user_id = ? AND event_date BETWEEN ? AND ?"
            ") AS spanned ORDER BY importance DESC, happened_at DESC, id LIMIT ?",
            (user, start_at, after_end, user, start, end, limit))
        return [r[0] for r in rows]


def _number(value: float | None) -> float | None:
    """Plain floats: numpy's float32 reaches neither driver as a number."""
    return None if value is None else float(value)


def _with(item: NewMemory, **changes: Any) -> NewMemory:
    from dataclasses import replace

    return replace(item, **changes)


__all__ = ["COLUMNS", "KINDS", "Memory", "MemoryBook", "NewMemory", "embed_memories", "embedding_text",
           "embedding_views", "normalise"]
