"""Memory work that needs the LLM waits until no turn needs it: a small per-process queue.

Extracting facts with the model takes it for a minute on a small CPU; done after the reply, in the
turn, it made the person's next message wait (``turn-busy``) and everyone else's turns queue behind it.
So the model's part of remembering is a job here, and the queue

- runs a job only when no turn is in progress and none has ended in the last ``quiet_s`` (the next
  message often follows a reply at once);
- gives the model back the moment a turn starts: the job's model call is cancelled (closing the
  stream stops llama.cpp at its next token) and the job goes back to the front, to start again later;
- answers with the rules (no model) a job that has waited ``max_wait_s``, been pre-empted
  ``max_preemptions`` times, or overflows ``max_pending``: on a server that is never idle, what was
  said is still remembered, with less;
- is drained at shutdown (:meth:`drain`): with the model until a deadline, then by the rules.

A job has two parts: ``think`` (may use the model, may be cancelled and rerun) and ``keep`` (stores
the result; never cancelled half-way, so a rerun cannot store a thing twice).
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Job:
    key: str  # what it is for, in the log ("facts of turn 3fa2…")
    think: Callable[[bool], Awaitable[Any]]  # with_model → result; False: the rules' quick answer
    keep: Callable[[Any], Awaitable[None]]
    queued_at: float = 0.0
    preempted: int = 0


class ExtractionQueue:
    def __init__(self, *, quiet_s: float = 1.5, max_wait_s: float = 900.0, max_preemptions: int = 3,
                 max_pending: int = 64, clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet_s, self.max_wait_s = quiet_s, max_wait_s
        self.max_preemptions, self.max_pending = max_preemptions, max_pending
        self.clock = clock
        self._jobs: deque[Job] = deque()
        self._turns = 0
        self._last_turn_end = float("-inf")
        self._worker: asyncio.Task | None = None
        self._thinking: asyncio.Future | None = None
        self._draining = False
        self._hurry = False  # the drain's deadline passed: what is left gets the rules
        self.done = 0  # jobs finished, with the model or the rules (for tests and the log)
        self.preemptions = 0

    @property
    def pending(self) -> int:
        return len(self._jobs) + (1 if self._thinking is not None else 0)

    def submit(self, job: Job) -> None:
        job.queued_at = job.queued_at or self.clock()
        self._jobs.append(job)
        self._wake()

    def turn_started(self) -> None:
        """A turn needs the model: a job using it stops now and waits for the next quiet moment."""
        self._turns += 1
        if self._thinking is not None and not self._draining:
            self._thinking.cancel()

    def turn_ended(self) -> None:
        self._turns = max(0, self._turns - 1)
        self._last_turn_end = self.clock()
        self._wake()

    async def drain(self, timeout_s: float) -> None:
        """Finish everything queued: with the model for up to ``timeout_s``, then with the rules."""
        self._draining = True
        try:
            self._wake()
            worker = self._worker
            if worker is not None:
                done, _ = await asyncio.wait({worker}, timeout=timeout_s)
                if not done:
                    self._hurry = True
                    if self._thinking is not None:
                        self._thinking.cancel()
                    await asyncio.wait({worker})
        finally:
            self._draining = self._hurry = False

    def _wake(self) -> None:
        if self._worker is not None and not self._worker.done() or not self._jobs:
            return
        try:
            self._worker = asyncio.get_running_loop().create_task(self._work(), name="memory-extraction")
        except RuntimeError:
            self._worker = None  # no loop running (a synchronous caller): the next wake or the drain runs it

    async def _work(self) -> None:
        while self._jobs:
            with_model = await self._wait_for_turn()
            if with_model is None:
                return  # a turn holds the model; its end wakes the queue again
            job = self._jobs.popleft()
            with_model = with_model and not self._hurry and job.preempted < self.max_preemptions \
                and self.clock() - job.queued_at < self.max_wait_s
            thinking = self._thinking = asyncio.ensure_future(job.think(with_model))
            try:
                await asyncio.wait({thinking})
            finally:
                self._thinking = None
            if thinking.cancelled():
                job.preempted += 1
                self.preemptions += 1
                log.info("memory job %s gave the model back to a turn (%d)", job.key, job.preempted)
                self._jobs.appendleft(job)
                continue
            if (error := thinking.exception()) is not None:
                log.warning("memory job %s failed: %s", job.key, error)
                continue
            try:
                await job.keep(thinking.result())
            except Exception as exc:  # noqa: BLE001 — one bad job must not stop the others
                log.warning("memory job %s could not be stored: %s", job.key, exc)
            self.done += 1

    async def _wait_for_turn(self) -> bool | None:
        """True: the model is free; False: only the rules may run now (overdue work); None: wait for a turn."""
        while True:
            if self._draining:
                return True
            if self._turns:
                first = self._jobs[0]
                overdue = len(self._jobs) > self.max_pending or self.clock() - first.queued_at >= self.max_wait_s
                return False if overdue else None
            wait = self._last_turn_end + self.quiet_s - self.clock()
            if wait <= 0:
                return True
            await asyncio.sleep(wait)
            if not self._jobs:
                return None
