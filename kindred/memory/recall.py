"""What Kindred brings back from earlier conversations into this turn's prompt.

Memories enter the prompt with small integer ids (1, 2, 3 …), never database keys.
"""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import numpy as np

from ..events import RecalledMemory
from ..localtime import local, utc_text_edges
from .answers import asks_when, says_when
from .book import Memory, MemoryBook
from .dates import find_span
from .embedder import embed_matrix
from .store import Store


class Recaller(Protocol):
    async def recall(self, user: str, session_id: str, query: str, *, limit: int = 5) -> Sequence[RecalledMemory]:
        ...


class LastSessionRecaller:
    """The user's last words from their previous session: enough for continuity."""

    def __init__(self, store: Store, turns: int = 4) -> None:
        self.store = store
        self.turns = turns

    async def recall(self, user: str, session_id: str, query: str, *, limit: int = 5) -> Sequence[RecalledMemory]:
        earlier = await self.store.recent_turns(user, limit=self.turns, before_session=session_id)
        said = [t for t in earlier if t.role == "user"][-limit:]
        return tuple(
            RecalledMemory(id=i, text=f"They said: {t.text[:300]}", reason="from our last conversation",
                           when=t.created_at[:10])
            for i, t in enumerate(said, start=1)
        )


# ---- hybrid recall over long-term memories ----------------------------------------------------

@dataclass(frozen=True)
class Weights:
    """How the signals add up. Tuned on the first five LoCoMo conversations only (759 questions: by hand,
    then keyword, in_span, neighbours, lend_*, asking and tells_when by coordinate search);
    `kindred bench memory` reports those, the five held out, and all ten apart.

    There is no speaker signal. It once lifted the turns of a person the question names ("What did
    Melanie paint?") and took the speakers' names out of the searched question, but that only fired in
    the benchmark, which stored each LoCoMo line under its speaker's name. The product stores every turn
    as "user" or "assistant": the person's own message never names them as a speaker, so the signal
    could not fire and cost a round trip on every recall (issue #20). `kindred bench memory` now stores
    turns as the product does, and the figures in docs/benchmarks.md are without it."""

    dense: float = 1.0
    keyword: float = 1.25
    in_span: float = 0.6  # the memory falls in the time span a question names
    importance: float = 0.15
    salience: float = 0.1
    recency: float = 0.05
    recency_half_life_days: float = 30.0
    own_words_first: float = 0.7  # the companion's own replies count for less than what the person said
    # A turn that ends by asking ("…, how was the trip?") mostly asks rather than tells: it counts for less.
    # Its neighbours still get their share of it (see neighbours), which is where the answer is.
    asking: float = 0.8
    candidates: int = 60
    # A turn right before or after a strong match often holds the answer ("What did you paint?" →
    # "A sunrise."): each of the best turns lends this share of its score to its neighbours, and a
    # conversation stays on a topic for a few turns, so turns up to lend_window away (same session) get it
    # too, lend_decay less for each turn further. A turn near several strong ones gets the largest share
    # and lend_sum of each of the others: it sits in the middle of what the question is about.
    neighbours: float = 0.25
    lend_window: int = 4
    lend_decay: float = 0.9
    lend_sum: float = 0.3
    tells_when: float = 0.6  # the question asks when, and the memory says when ("for three years now")
    when_checked: int = 40
    lend_from: int = 10


@dataclass(frozen=True)
class Found:
    memory: Memory
    score: float
    reason: str


class HybridRecaller:
    """Vectors + BM25 keywords + time, weighted by importance, emotional salience and recency."""

    def __init__(self, book: MemoryBook, weights: Weights | None = None) -> None:
        self.book = book
        self.weights = weights or Weights()

    async def recall(self, user: str, session_id: str, query: str, *, limit: int = 5) -> Sequence[RecalledMemory]:
        found = await self.search(user, query, limit=limit, exclude_session=session_id)
        return tuple(RecalledMemory(id=i, text=describe(f.memory), reason=f.reason, when=when_of(f.memory))
                     for i, f in enumerate(found, start=1))

    async def search(self, user: str, query: str, *, limit: int = 5, exclude_session: str = "",
                     query_vector: np.ndarray | None = None, now: datetime | None = None) -> list[Found]:
        """The best ``limit`` memories for ``query``. Off the event loop: the query is embedded on a worker
        thread, and the searching and ranking (SQL, the vector scan, scoring) run on the database's thread."""
        if query_vector is None and self.book.embedder is not None:
            query_vector = (await asyncio.to_thread(embed_matrix, self.book.embedder, [query], "query"))[0]
        return await self.book.call(self._rank, user, query, limit, exclude_session, query_vector, now)

    def _rank(self, user: str, query: str, limit: int, exclude_session: str, query_vector: np.ndarray | None,
              now: datetime | None) -> list[Found]:
        w = self.weights
        dense = self.book.dense(user, query_vector, w.candidates) if query_vector is not None else []
        memories = self.book.fetch_now(user, [i for i, _ in dense])
        keyword = self.book.keyword(user, query, w.candidates)
        zone = self.book.zone_of(user)  # "last weekend" is the weekend where they live
        today = local(now or self.book.store.clock(), zone).date()
        span = find_span(query, today)
        spanned = set(self.book.in_span(user, span.start.isoformat(), span.end.isoformat(), w.candidates,
                                        zone=zone) if span else ())
        more = ({i for i, _ in keyword} | spanned) - memories.keys()
        memories.update(self.book.fetch_now(user, list(more)))
        dense_norm = _normalise(dict(dense))  # scores scaled within the candidates
        keyword_norm = _normalise(dict(keyword), floor_zero=True)
        edges = utc_text_edges(span.start, span.end, zone) if span else None
        context = _Context(w, today, span, edges, spanned, exclude_session, query)
        scored = {m: context.score(memory, dense_norm.get(m, 0.0), keyword_norm.get(m, 0.0))
                  for m, memory in memories.items()}
        base = {m: parts for m, parts in scored.items() if parts is not None}
        if context.asks_when:
            _lift_what_says_when(memories, base, w)
        if w.neighbours and query_vector is not None:
            _lend_to_neighbours(self, user, memories, base, dense, query_vector, context)
        totals = {m: sum(parts.values()) * _role_factor(memories[m], w) for m, parts in base.items()}
        best = sorted(totals, key=lambda m: (-totals[m], -m))[:limit]
        # Reasons only for what is returned: building them for every candidate (~150) cost a fifth of a search.
        return [Found(memories[m], totals[m], _reason(memories[m], base[m], span)) for m in best]


class _Context:
    """The per-query signals every candidate is scored against."""

    def __init__(self, weights: Weights, today, span, edges: tuple[str, str] | None, spanned: set[int],
                 exclude_session: str, query: str = "") -> None:
        self.w, self.today, self.span, self.edges, self.spanned, self.exclude_session = (
            weights, today, span, edges, spanned, exclude_session)
        self.asks_when = bool(weights.tells_when) and asks_when(query)

    def score(self, memory: Memory, dense: float, keyword: float) -> dict[str, float] | None:
        w = self.w
        if self.exclude_session and memory.kind == "turn" and memory.session_id == self.exclude_session:
            return None  # already in the prompt as this session's history
        return {
            "dense": w.dense * dense,
            "keyword": w.keyword * keyword,
            "span": w.in_span if memory.id in self.spanned or _falls_in(memory, self.span, self.edges) else 0.0,
            "importance": w.importance * memory.importance,
            "salience": w.salience * memory.salience,
            "recency": w.recency * _recency(memory.happened_at, self.today, w.recency_half_life_days),
            "neighbour": 0.0,
            "when": 0.0,  # set by _lift_what_says_when
        }


def _falls_in(memory: Memory, span, edges: tuple[str, str] | None = None) -> bool:
    """Said, or about something that happened, within the span. Checked for every candidate: the span's own
    candidate list is capped, and a month holds more turns than the cap. ``edges``: the span's days on the
    person's clock as UTC text bounds (default: UTC days), so this stays a string comparison."""
    if span is None:
        return False
    edges = edges or utc_text_edges(span.start, span.end, UTC)
    start, end = span.start.isoformat(), span.end.isoformat()
    return edges[0] <= memory.happened_at < edges[1] or bool(memory.event_date and start <= memory.event_date <= end)


def _role_factor(memory: Memory, w: Weights) -> float:
    if memory.kind != "turn":
        return 1.0
    factor = w.own_words_first if memory.topic == "assistant" else 1.0
    return factor * w.asking if ends_by_asking(memory.text) else factor


def ends_by_asking(text: str) -> bool:
    """The turn's last words are a question (English or Korean "?", full-width too)."""
    return text.rstrip().endswith(("?", "？"))


def lent_shares(window: int, decay: float) -> dict[int, float]:
    """Offset from a strong turn → the fraction of its lent score that the turn there gets."""
    return {sign * distance: decay ** (distance - 1) for distance in range(1, window + 1) for sign in (-1, 1)}


def _lift_what_says_when(memories, base, w: Weights) -> None:
    """For a question asking when: the best candidates that say when (or are about a dated event) get
    tells_when. Only the best `when_checked`: reading every candidate's words cost more than the rest of
    a search, and one far down is rarely lifted into the top ten."""
    best = sorted(base, key=lambda m: -sum(base[m].values()))[: w.when_checked]
    for memory_id in best:
        memory = memories[memory_id]
        if memory.event_date or says_when(memory.text):
            base[memory_id]["when"] = w.tells_when


def _lend_to_neighbours(recaller: HybridRecaller, user, memories, base, dense, query_vector,
                              context: _Context) -> None:
    """Each of the best turns lends part of its score to the turns around it in its session, the nearest
    the most."""
    w = recaller.weights
    totals = {m: sum(parts.values()) for m, parts in base.items()}
    best = sorted(totals, key=lambda m: -totals[m])[: w.lend_from]
    shares = lent_shares(w.lend_window, w.lend_decay)
    lent: dict[int, list[float]] = {}
    turns = [(m, memories[m].session_id) for m in best if memories[m].kind == "turn"]
    for memory_id, around in recaller.book.turns_around(user, turns, w.lend_window).items():
        for neighbour, offset in around.items():
            lent.setdefault(neighbour, []).append(totals[memory_id] * shares[offset])
    missing = [m for m in lent if m not in memories]
    if missing:
        fetched = recaller.book.fetch_now(user, missing)
        cosines = dict(zip(fetched, recaller.book.vectors.similarity(user, list(fetched), query_vector)))
        low, high = (min(c for _, c in dense), max(c for _, c in dense)) if dense else (0.0, 1.0)
        for memory_id, memory in fetched.items():
            parts = context.score(memory, min(max((cosines[memory_id] - low) / max(high - low, 1e-9), 0.0), 1.0),
                                  0.0)
            if parts is not None:
                memories[memory_id], base[memory_id] = memory, parts
    for memory_id, offers in lent.items():
        if memory_id in base:
            amounts = sorted(offers, reverse=True)
            base[memory_id]["neighbour"] = w.neighbours * (amounts[0] + w.lend_sum * sum(amounts[1:]))


def _normalise(scores: dict[int, float], *, floor_zero: bool = False) -> dict[int, float]:
    """Scale to 0..1 within this query's candidates, so cosine and BM25 can be added."""
    if not scores:
        return {}
    high = max(scores.values())
    low = 0.0 if floor_zero else min(scores.values())
    spread = high - low
    return {k: (v - low) / spread if spread > 1e-9 else 1.0 for k, v in scores.items()}


def _recency(happened_at: str, today, half_life: float) -> float:
    try:
        age = (today - datetime.fromisoformat(happened_at).date()).days
    except ValueError:
        return 0.0
    return 0.5 ** (max(age, 0) / half_life)


def _reason(memory: Memory, parts: dict[str, float], span) -> str:
    reasons = []
    if parts["neighbour"] > max(parts["dense"], parts["keyword"]):
        reasons.append("said around something relevant")
    if parts["span"]:
        reasons.append(f"from {span.phrase}")
    if parts["when"]:
        reasons.append("says when")
    if parts["keyword"] >= parts["dense"] and parts["keyword"] > 0:
        reasons.append("shares words with what they said")
    elif parts["dense"] > 0:
        reasons.append("close in meaning to what they said")
    if memory.kind == "fact":
        reasons.append("something they told you about themselves")
    elif memory.kind == "emotion" and memory.salience >= 0.5:
        reasons.append("an emotional moment")
    elif memory.kind == "open":
        reasons.append(f"an open {memory.topic.split(':')[0] or 'thread'}")
    return "; ".join(reasons) or "related"


def describe(memory: Memory) -> str:
    """The memory as one line for the prompt."""
    if memory.kind == "turn":
        who = "You said" if memory.topic == "assistant" else "They said" if memory.topic == "user" else ""
        return f'{who}: "{memory.text[:300]}"' if who else memory.text[:300]
    return memory.text[:300]


def when_of(memory: Memory) -> str:
    return memory.event_date or memory.happened_at[:10]

