"""The micro-batcher: callers that ask at about the same time share one call, each gets its own result."""
from __future__ import annotations

import asyncio
import threading

import pytest

from kindred.models.micro_batch import MicroBatcher, figures


def test_callers_at_the_same_moment_share_calls_and_get_their_own_results():
    calls: list[list[int]] = []
    gate = threading.Barrier(8)

    def double(items: list[int]) -> list[int]:
        calls.append(list(items))
        return [2 * item for item in items]

    batcher = MicroBatcher(double, name="test-double", max_batch=4, max_wait_s=0.05)
    results: dict[int, int] = {}

    def ask(item: int) -> None:
        gate.wait()
        results[item] = batcher(item)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {i: 2 * i for i in range(8)}
    assert len(calls) < 8 and max(len(c) for c in calls) <= 4  # shared, and never past max_batch
    assert figures()["test-double"]["items"] == 8 and figures()["test-double"]["calls"] == len(calls)


def test_a_failed_batch_is_every_callers_error_and_the_next_batch_runs():
    def fails_on_three(items: list[int]) -> list[int]:
        if 3 in items:
            raise ValueError("three")
        return items

    batcher = MicroBatcher(fails_on_three, name="test-fails", max_batch=8, max_wait_s=0.0)
    with pytest.raises(ValueError):
        batcher(3)
    assert batcher.many([1, 2]) == [1, 2]


def test_coroutines_wait_without_running_the_work_on_the_event_loop():
    loop_threads: set[int] = set()

    def where(items: list[int]) -> list[int]:
        loop_threads.add(threading.get_ident())
        return items

    batcher = MicroBatcher(where, name="test-async", max_batch=16, max_wait_s=0.02)

    async def scenario() -> list[int]:
        return list(await asyncio.gather(*(batcher.submit(i) for i in range(5))))

    assert asyncio.run(scenario()) == [0, 1, 2, 3, 4]
    assert threading.get_ident() not in loop_threads and batcher.calls <= 2
