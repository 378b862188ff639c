"""Where memory encodes what it stores: one thread at the lowest scheduling priority.

A turn's reply comes before its memories are indexed, and the indexing (three or more e5 passages
per turn) was most of a busy replica's CPU. Run on the default thread pool at normal priority, the
passages of turns already answered took the cores from turns still waiting for their first words:
at 200 people at once the first token waited 7 s at the median. On this lane they get only the CPU
those turns leave, and one at a time, so a burst of replies does not become a burst of encoders.
A person alone sees no difference: an idle machine runs the lane at once.

Linux gives each thread its own nice value and a thread's children inherit it, so the encoder's
OpenMP workers, started from this thread, run at the same priority. Elsewhere the lane still
serialises the work; nothing else changes. With micro-batching (`kindred serve --micro-batch`) the
passages are encoded on the batcher's own thread instead, lowered the same way before its encoder starts.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from ..database.worker import EngineThread

log = logging.getLogger(__name__)

T = TypeVar("T")
LOWEST_PRIORITY = 19  # nice: the weight CFS gives such a thread is 15 against 1024 for a normal one


def lower_own_priority() -> None:
    """The calling thread (and the threads it starts later) to the lowest priority."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_PRIORITY)
    except (AttributeError, OSError) as exc:  # not Linux, or not permitted: serialised, normal priority
        log.debug("memory indexing keeps normal priority: %s", exc)


# The same one-thread runner the database engines use, started on first use, at the lowest priority.
_LANE = EngineThread("memory-indexing", prefix="kindred-", on_start=lower_own_priority)


async def on_indexing_lane(fn: Callable[..., T], /, *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` on the indexing lane, awaited without blocking the event loop."""
    return await _LANE.call(fn, *args, **kwargs)


__all__ = ["LOWEST_PRIORITY", "lower_own_priority", "on_indexing_lane"]
