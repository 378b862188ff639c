"""Micro-batching for the encoders a server shares between concurrent turns.

A sentence encoder reads one short message in a few tens of milliseconds, most of it spent on
matrix products too small to use the CPU well; eight messages in one call cost far less than eight
calls. When many people talk at once their messages arrive within milliseconds of each other, so
a ``MicroBatcher`` holds the first request for at most ``max_wait_s`` (a few ms) for others to
join, up to ``max_batch``, and runs them as one call on its own worker thread: never on the event
loop, and never two batches of one encoder at once (they would only share the same cores).

Callers on worker threads (``asyncio.to_thread``, as the turn's feelings and safety run) call it
and block for their own result; coroutines ``await batcher.submit(item)``. A failure of the batch
is every caller's exception. ``figures()`` (process-wide, by name) tells how many calls served
how many items in how much time: the load bench reads them from ``/health``.
"""
from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_ALL: dict[str, MicroBatcher] = {}
_REGISTRY_LOCK = threading.Lock()


class MicroBatcher(Generic[T, R]):
    def __init__(self, run: Callable[[list[T]], list[R]], *, name: str, max_batch: int = 16,
                 max_wait_s: float = 0.004) -> None:
        if max_batch < 1 or max_wait_s < 0:
            raise ValueError("a batch holds at least one item and waits zero seconds or more")
        self.run, self.name = run, name
        self.max_batch, self.max_wait_s = max_batch, max_wait_s
        self._queue: queue.SimpleQueue[tuple[T, Future[R]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._figures_lock = threading.Lock()
        self.calls = 0  # batches run
        self.items = 0  # items they held
        self.busy_s = 0.0  # wall time inside ``run``
        self.largest = 0
        with _REGISTRY_LOCK:
            _ALL[name] = self

    def __call__(self, item: T) -> R:
        """The result for ``item``, from a batch shared with whoever asked at about the same time (blocks)."""
        if threading.current_thread() is self._thread:  # a batch that asks its own encoder: no waiting on itself
            return self.run([item])[0]
        return self._future(item).result()

    def many(self, items: list[T]) -> list[R]:
        """Results for several items of one caller, all queued at once so they can share batches (blocks)."""
        if threading.current_thread() is self._thread:
            return self.run(items)
        return [future.result() for future in [self._future(item) for item in items]]

    async def submit(self, item: T) -> R:
        """As a coroutine: the event loop only waits, the encoder runs on the batcher's thread."""
        return await asyncio.wrap_future(self._future(item))

    def _future(self, item: T) -> Future[R]:
        future: Future[R] = Future()
        self._queue.put((item, future))
        self._ensure_thread()
        return future

    def _ensure_thread(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._serve, name=f"kindred-batch-{self.name}",
                                                    daemon=True)
                    self._thread.start()

    def _serve(self) -> None:
        while True:
            batch = [self._queue.get()]
            deadline = time.monotonic() + self.max_wait_s
            while len(batch) < self.max_batch:
                left = deadline - time.monotonic()
                try:  # what is already queued joins at once; then wait out the rest of max_wait_s
                    batch.append(self._queue.get_nowait() if left <= 0 else self._queue.get(timeout=left))
                except queue.Empty:
                    break
            self._run(batch)

    def _run(self, batch: list[tuple[T, Future[R]]]) -> None:
        live = [(item, future) for item, future in batch if future.set_running_or_notify_cancel()]
        if not live:
            return
        started = time.perf_counter()
        try:
            results = self.run([item for item, _ in live])
            if len(results) != len(live):
                raise RuntimeError(f"{self.name}: {len(results)} results for {len(live)} items")
        except BaseException as exc:  # noqa: BLE001 — each caller gets the batch's failure as its own
            for _, future in live:
                future.set_exception(exc)
            return
        finally:
            with self._figures_lock:
                self.calls += 1
                self.items += len(live)
                self.busy_s += time.perf_counter() - started
                self.largest = max(self.largest, len(live))
        for (_, future), result in zip(live, results):
            future.set_result(result)

    def figures(self) -> dict[str, float | int]:
        with self._figures_lock:
            return {"calls": self.calls, "items": self.items, "busy_s": round(self.busy_s, 4),
                    "largest_batch": self.largest, "max_batch": self.max_batch, "max_wait_ms": self.max_wait_s * 1000}


def figures() -> dict[str, dict[str, float | int]]:
    """Every batcher of this process, by name."""
    with _REGISTRY_LOCK:
        batchers = list(_ALL.values())
    return {b.name: b.figures() for b in batchers}
