"""Keyword search over a user's memories, ranked by BM25 the same way in both engines.

Terms come from ``terms.py`` in both (Korean without particles, plus syllable
bigrams; English lightly stemmed), so Korean searches the same in SQLite and
PostgreSQL. SQLite keeps them in an FTS5 table and ranks with its ``bm25()``.
PostgreSQL has no FTS5, and its own full-text ranking (ts_rank) is not BM25 and
its parsers split Korean differently, so it keeps postings (memory, term, count)
and computes FTS5's BM25 in SQL: k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) /
(n + 0.5)) floored at 1e-6, with N, n and the average length over the whole
index as FTS5 counts them (N and the total length kept by a trigger, as FTS5 keeps
them). Those statistics span all users, in both engines: they shape the ranking,
never which rows come back, and every query returns only the asking user's rows.
Ranks agree; scores match to rounding.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .terms import index_text, terms

K1 = 1.2
B = 0.75


def keyword_index_for(store):
    return PostgresKeywords(store) if store.database.dialect.is_postgres else SQLiteKeywords(store)


def choose_terms(wanted: Sequence[str], counts: dict[str, int], budget: int, keep: int) -> list[str]:
    """Rarest first, until scoring them would touch more than ``budget`` memories (``keep`` always stay)."""
    chosen: list[str] = []
    scored = 0
    for term in sorted((t for t in wanted if t in counts), key=lambda t: counts[t]):
        if len(chosen) >= keep and scored + counts[term] > budget:
            break
        chosen.append(term)
        scored += counts[term]
    return chosen


class SQLiteKeywords:
    def __init__(self, store) -> None:
        self.store = store

    def put(self, db, memory_id: int, user: str, text: str) -> None:
        """Index (or re-index) one memory inside the caller's transaction."""
        db.execute("DELETE FROM memory_terms WHERE rowid = ?", (memory_id,))
        db.execute("INSERT INTO memory_terms(rowid, terms, user_id) VALUES (?, ?, ?)",
                   (memory_id, index_text(text), user))

    def forget_user(self, db, user: str) -> None:
        # Deleting memories removes their entries (a trigger); this catches any left by an older version.
        db.execute("DELETE FROM memory_terms WHERE user_id = ?", (user,))

    def holds(self, memory_id: int) -> bool:
        return bool(self.store.read("SELECT 1 FROM memory_terms WHERE rowid = ?", (memory_id,)))

    def search(self, user: str, query: str, limit: int, *, budget: int, keep: int) -> list[tuple[int, float]]:
        wanted = list(dict.fromkeys(terms(query)))
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        counts = dict(self.store.read(f"SELECT term, doc FROM memory_terms_vocab WHERE term IN ({marks})", wanted))
        chosen = choose_terms(wanted, counts, budget, keep)
        if not chosen:
            return []
        expression = " OR ".join(f'"{t}"' for t in chosen)  # terms are word characters only
        # Reading user_id (an UNINDEXED column) costs a lookup in FTS5's content table for every matching
        # row: two thirds of the query. On a personal database every memory is the one user's, and then
        # the filter is skipped: two index probes (no memory of anyone sorting before or after this user)
        # say so, in the same statement, so the same snapshot. With anyone else's memories, it filters.
        rows = self.store.read("SELECT rowid, bm25(memory_terms) AS rank FROM memory_terms "
                                "WHERE memory_terms MATCH ? AND ((NOT EXISTS (SELECT 1 FROM memories "
                                "WHERE user_id < ?) AND NOT EXISTS (SELECT 1 FROM memories WHERE user_id > ?)) "
                                "OR user_id = ?) ORDER BY rank LIMIT ?",
                                (expression, user, user, user, limit))
        return [(int(r[0]), -float(r[1])) for r in rows]


class PostgresKeywords:
    def __init__(self, store) -> None:
        self.store = store

    def put(self, db, memory_id: int, user: str, text: str) -> None:
        found = terms(text)
        db.execute("DELETE FROM memory_terms WHERE memory_id = ?", (memory_id,))  # its postings cascade
        db.execute("INSERT INTO memory_terms(memory_id, user_id, terms, length) VALUES (?, ?, ?, ?)",
                   (memory_id, user, " ".join(found), len(found)))
        counted = Counter(found)
        if counted:  # one statement for all of a memory's terms: a round trip each made inserts 10× slower
            db.execute("INSERT INTO memory_postings(memory_id, user_id, term, hits) "
                       "SELECT ?, ?, term, hits FROM unnest(?::text[], ?::int[]) AS t(term, hits)",
                       (memory_id, user, list(counted), list(counted.values())))

    def forget_user(self, db, user: str) -> None:
        db.execute("DELETE FROM memory_terms WHERE user_id = ?", (user,))

    def holds(self, memory_id: int) -> bool:
        return bool(self.store.read("SELECT 1 FROM memory_postings WHERE memory_id = ? "
                                     "UNION ALL SELECT 1 FROM memory_terms WHERE memory_id = ?",
                                     (memory_id, memory_id)))

    def search(self, user: str, query: str, limit: int, *, budget: int, keep: int) -> list[tuple[int, float]]:
        wanted = list(dict.fromkeys(terms(query)))
        if not wanted:
            return []
        # How many memories hold each term, over the whole index as FTS5 counts it.
        counts = {term: int(n) for term, n in self.store.read(
            "SELECT term, COUNT(*) FROM memory_postings WHERE term = ANY(?) GROUP BY term", (wanted,))}
        chosen = choose_terms(wanted, counts, budget, keep)
        if not chosen:
            return []
        rows = self.store.read(
            "WITH whole AS (SELECT documents::float8 AS n, tokens::float8 / NULLIF(documents, 0) AS average "
            "               FROM memory_terms_totals WHERE id = 1), "
            "rarity AS (SELECT term, GREATEST(LN((whole.n - COUNT(*) + 0.5) / (COUNT(*) + 0.5)), 1e-6) AS idf "
            "           FROM memory_postings, whole WHERE term = ANY(?) GROUP BY term, whole.n) "
            "SELECT p.memory_id, SUM(r.idf * p.hits * (? + 1) / (p.hits + ? * (1 - ? + ? * d.length / whole.average))) "
            "       AS score "
            "FROM memory_postings p JOIN rarity r ON r.term = p.term "
            "JOIN memory_terms d ON d.memory_id = p.memory_id, whole "
            "WHERE p.user_id = ? AND p.term = ANY(?) "
            "GROUP BY p.memory_id ORDER BY score DESC, p.memory_id LIMIT ?",
            (chosen, K1, K1, B, B, user, chosen, limit))
        return [(int(memory_id), float(score)) for memory_id, score in rows]
