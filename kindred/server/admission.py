"""How many turns one replica runs at once, how many wait, and the coded answer beyond that.

A turn spends most of its CPU before the model's first token (feelings, recall, safety). With every
turn admitted at once, 200 people share the CPU evenly and all of them wait for the slowest; with a
few running and the rest waiting in order, the first in line hear back first and nobody's turn is
slower for it. So a replica runs at most ``running`` turns up to their reply (the WebSocket's and
the OpenAI endpoint's together; what a turn does after its reply, storing and indexing memories, holds
no place) and queues up to ``waiting`` more in arrival order; a turn beyond that is
refused with ``server-busy`` and a Retry-After estimated from how fast turns have been finishing,
which the page, the bench's clients and OpenAI clients honour by sending the turn again. A person
whose turn is queued can still cancel it: the place in line is given up.
"""
from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable

from .errors import ServerBusyError
from .security import Limits

RECENT_TURNS = 64  # finish times kept for the rate estimate behind Retry-After
MAX_RETRY_AFTER_S = 60


class TurnGate:
    """First come, first served: ``running`` turns at once, ``waiting`` more in line, the rest refused."""

    def __init__(self, running: int, waiting: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if running < 1 or waiting < 0:
            raise ValueError("a gate runs at least one turn and queues zero or more")
        self.running_max, self.waiting_max = running, waiting
        self.clock = clock
        self.running = 0
        self._line: deque[asyncio.Future[None]] = deque()
        self._finished: deque[float] = deque(maxlen=RECENT_TURNS)
        self.refused = 0  # turns answered server-busy since start (the bench reads /health)

    @classmethod
    def for_limits(cls, limits: Limits) -> TurnGate:
        return cls(limits.running_turns, limits.waiting_turns)

    @property
    def waiting(self) -> int:
        return sum(1 for f in self._line if not f.done())

    def full(self) -> bool:
        return self.running >= self.running_max and self.waiting >= self.waiting_max

    def retry_after_s(self) -> int:
        """About when a place frees up: the line ahead, at the rate turns finished lately."""
        finished = list(self._finished)
        if len(finished) >= 2 and finished[-1] > finished[0]:
            rate = (len(finished) - 1) / (finished[-1] - finished[0])
            seconds = (self.waiting + 1) / rate
        else:
            seconds = 1.0
        return max(1, min(MAX_RETRY_AFTER_S, math.ceil(seconds)))

    def refuse_if_full(self) -> None:
        """Raises ServerBusyError when neither a running place nor one in line is free."""
        if self.full():
            self.refused += 1
            raise ServerBusyError(self.retry_after_s())

    @contextlib.asynccontextmanager
    async def admitted(self) -> AsyncIterator[Place]:
        """Holds a running place for the block (or until ``Place.release``, at the reply: what a turn does after
        it, storing and indexing memories, keeps no one in line waiting for their first word); waits in line
        for one, or raises ServerBusyError."""
        if self.running < self.running_max and not self.waiting:
            self.running += 1
        else:
            self.refuse_if_full()
            ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._line.append(ticket)
            try:
                await ticket  # the place is handed over already counted (see _release)
            except asyncio.CancelledError:
                if ticket.done() and not ticket.cancelled():
                    self._release()  # handed a place in the same instant it was cancelled: pass it on
                raise
            finally:
                with contextlib.suppress(ValueError):
                    self._line.remove(ticket)
        place = Place(self)
        try:
            yield place
        finally:
            place.release()

    def _release(self) -> None:
        while self._line:
            ticket = self._line.popleft()
            if not ticket.done():
                ticket.set_result(None)  # the running count stays: the place passes to the next in line
                return
        self.running -= 1

    def _finish(self) -> None:
        self._finished.append(self.clock())
        self._release()

    def figures(self) -> dict[str, int]:
        return {"running": self.running, "waiting": self.waiting, "running_max": self.running_max,
                "waiting_max": self.waiting_max, "refused": self.refused}


class Place:
    """One running place, given back once: at the reply, or when the turn ends, whichever comes first."""

    def __init__(self, gate: TurnGate) -> None:
        self.gate, self.held = gate, True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.gate._finish()  # noqa: SLF001 — the gate's own place type
