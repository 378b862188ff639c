"""Loading what feelings carry at the start of a turn, so that one damaged row never stops a person talking.

A row that cannot be read (invalid JSON, missing keys, wrong types, a version this Kindred does
not know) used to raise on every later turn, before the person's words were stored. Now it is
logged with its code, moved aside with why (same table, scope ``set-aside:<when>:<scope>``, so
export and forget-me still find it), and the turn goes on from empty feelings; the turn's own
save then writes a good row.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import KindredError, StoredStateError

log = logging.getLogger("kindred.affect")
T = TypeVar("T")


async def load_or_set_aside(store, user: str, scope: str, parse: Callable[[Any], T], empty: Callable[[], T]) -> T:
    """``parse`` of the stored row (``store.load_feelings``); ``empty()`` when it is missing or cannot be read."""
    try:
        return parse(await store.load_feelings(user, scope))
    except StoredStateError as exc:
        await _set_aside(store, user, scope, exc)
        return empty()


async def load_versioned_or_set_aside(store, user: str, scope: str, parse: Callable[[Any], T],
                                      empty: Callable[[], T]) -> tuple[T, int]:
    """As ``load_or_set_aside``, with the row's version (``store.load_feelings_versioned``) to save over.

    A row set aside is gone, so its version is 0: the turn's save writes a fresh row in its place."""
    try:
        data, version = await store.load_feelings_versioned(user, scope)
        return parse(data), version
    except StoredStateError as exc:
        await _set_aside(store, user, scope, exc)
        return empty(), 0


async def _set_aside(store, user: str, scope: str, exc: StoredStateError) -> None:
    aside = await _move_aside(store, user, scope, exc)
    log.warning("[%s] %s (user %r, scope %r). %s", exc.code, exc.message, user, scope,
                f"Kept as {aside!r}; starting afresh." if aside else "Starting afresh.")


async def _move_aside(store, user: str, scope: str, exc: StoredStateError) -> str | None:
    move = getattr(store, "set_aside_feelings", None)
    if move is None:
        return None  # a store without it: the turn's own save overwrites the row
    try:
        return await move(user, scope, {"code": exc.code, "message": exc.message})
    except KindredError as failed:  # the database refused the move: still not a reason to fail the turn
        log.warning("[%s] could not set aside %r: %s", failed.code, scope, failed.message)
        return None
