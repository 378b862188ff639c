"""A memory as Kindred keeps it, and the text its vector is made from.

Plain records shared by the book (storing), recall (ranking) and the benches (ingesting the
same way the turn loop does).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embedder import Embedder, embed_matrix

KINDS = ("turn", "fact", "emotion", "summary", "open")
COLUMNS = ("id, user_id, kind, topic, text, context, value, importance, salience, valence, arousal, "
           "happened_at, event_date, status, session_id, source_turns, mentions, origin, created_at, updated_at")


@dataclass(frozen=True)
class Memory:
    id: int
    user: str
    kind: str  # turn | fact | emotion | summary | open
    topic: str  # facts: what it is about ("sister's name"); open items: event | worry | promise
    text: str  # what enters the prompt
    context: str  # embedded with the text, never shown (the turn it answered)
    value: str  # facts: the current value
    importance: float
    salience: float  # emotional weight, 0..1
    valence: float | None
    arousal: float | None
    happened_at: str  # when it was said (ISO, UTC)
    event_date: str | None  # the day it is about, when it names one (YYYY-MM-DD)
    status: str  # active | done
    session_id: str
    source_turns: tuple[str, ...]
    mentions: int
    origin: str  # rules | llm | user | import
    created_at: str
    updated_at: str

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["source_turns"] = list(self.source_turns)
        return data


@dataclass(frozen=True)
class NewMemory:
    kind: str
    text: str
    happened_at: str
    context: str = ""
    topic: str = ""
    value: str = ""
    importance: float = 0.3
    salience: float = 0.0
    valence: float | None = None
    arousal: float | None = None
    event_date: str | None = None
    session_id: str = ""
    source_turns: tuple[str, ...] = ()
    origin: str = "rules"
    reply: str = ""  # the line said after it, when known at storing time: embedded with it, not kept


def memory_from_row(row: Sequence[object]) -> Memory:
    """A row selected with ``COLUMNS``."""
    values = list(row)
    sources = values[15]
    # Most memories have no source or one: recall builds ~150 rows a query, and json.loads was a fifth of it.
    values[15] = () if sources == "[]" else tuple(json.loads(sources))  # type: ignore[arg-type]
    return Memory(*values)  # type: ignore[arg-type]


def embedding_text(memory: NewMemory | Memory) -> str:
    return f"{memory.context}\n{memory.text}" if memory.context else memory.text


def embedding_views(memory: NewMemory) -> tuple[str, ...]:
    """What a memory is embedded as: with the line before it, and, when the reply it got is known, also
    with the lines on both sides; its vector is the mean of the two, normalised. An answer ("Been playing
    it for a month now") then carries the reply's words too, and the first view keeps the turn's own
    meaning from being drowned by a long reply (LoCoMo, `kindred bench memory`, each with its best lending
    weights: recall@10 0.740 with the first view alone, 0.738 with the second, 0.745 with both)."""
    if not memory.reply:
        return (embedding_text(memory),)
    return embedding_text(memory), f"{embedding_text(memory)}\n{memory.reply}"


def embed_memories(embedder: Embedder, items: Sequence[NewMemory]) -> np.ndarray:
    """One L2-normalised vector per memory, from all of its views embedded in one batch."""
    views = [embedding_views(item) for item in items]
    flat = embed_matrix(embedder, [text for texts in views for text in texts], "passage")
    if len(flat) == len(items):
        return flat
    vectors, start = np.zeros((len(items), flat.shape[1]), dtype=np.float32), 0
    for index, texts in enumerate(views):
        vectors[index] = flat[start:start + len(texts)].sum(axis=0)
        start += len(texts)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def normalise(text: str) -> str:
    return " ".join(text.lower().strip(" .!?,").split())
