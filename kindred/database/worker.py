"""The one thread an engine's statements run on when async code asks: the event loop never waits on a driver.

sqlite3 and psycopg are synchronous. Called from a coroutine they would hold the event loop for
every statement (and a recall over 20k memories holds it for tens of milliseconds), stalling
every other conversation the process serves. ``EngineThread.call`` runs a synchronous function
on a single thread owned by the engine, so statements still run one at a time on the engine's
one connection (SQLite's single-connection rule holds), and the loop keeps serving while they do.
Synchronous callers (the CLI, the server's worker threads) keep calling ``read``/``write``
directly; the engine's lock orders them with the thread's work.
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class EngineThread:
    def __init__(self, name: str, *, prefix: str = "kindred-db-", on_start: Callable[[], None] | None = None) -> None:
        """``on_start``: run first on the new thread (memory's indexing lane lowers its priority there)."""
        self.name, self.prefix, self.on_start = name, prefix, on_start
        self._pool: ThreadPoolExecutor | None = None
        self._guard = threading.Lock()
        self._ident: int | None = None

    def _mark(self) -> None:
        if self.on_start is not None:
            self.on_start()
        self._ident = threading.get_ident()

    def _executor(self) -> ThreadPoolExecutor:
        with self._guard:
            if self._pool is None:  # started on first use: a database only opened to check it starts none
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{self.prefix}{self.name}",
                                                initializer=self._mark)
            return self._pool

    def on_it(self) -> bool:
        """True on the engine's own thread (a call from there runs at once: queueing it would deadlock)."""
        return self._ident is not None and threading.get_ident() == self._ident

    async def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        if self.on_it():
            return fn(*args, **kwargs)
        context = contextvars.copy_context()  # logging and test context follow the work, as asyncio.to_thread does
        job = functools.partial(context.run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor(), job)

    def close(self) -> None:
        with self._guard:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=not self.on_it())  # what was queued finishes first


class _Calls(Protocol):
    async def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...


S = TypeVar("S", bound=_Calls)


def off_loop(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], Coroutine[Any, Any, T]]:
    """A synchronous method of an object with ``call`` (``SQLStore``, ``MemoryBook``), made a coroutine
    method that runs its body on the engine's thread. ``.now`` is the body itself, for code already there.
    Typed with its parameters kept, so callers (and the ``Store`` protocol) are checked against the body's."""

    @functools.wraps(method)
    async def run(self: S, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.call(method, self, *args, **kwargs)

    run.now = method  # type: ignore[attr-defined]
    return run
