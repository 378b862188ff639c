"""Keep the conversation's evaluated prompt when the same model is used for something else.

llama.cpp reuses the part of a new prompt that matches what it evaluated last. A reply's
prompt shares everything up to the newest exchange with the previous reply's, but between the
two the same model extracts memories from a different prompt, which overwrites that state; the
next reply would then re-read the persona and the whole conversation (seconds on a small CPU).
So after each generation the context's tokens and its KV cells are copied out, one copy per kind
of prompt (told apart by the system message), and copied back before the next generation of
that kind. llama.cpp still compares tokens itself, so a stale copy costs time, never correctness.
"""
from __future__ import annotations

import ctypes
import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

# One per stable prefix (English, Korean 반말, Korean 존댓말), memory extraction, and spares (a summary, a
# continuity note, a benchmark's baseline). Each holds at most one context's cells: ~28 KB a token here.
SLOTS = 6
MIN_TOKENS = 64  # a shorter prompt re-reads faster than its copy is worth


@dataclass
class _Snapshot:
    tokens: np.ndarray
    cells: bytes


def prompt_kind(system: str) -> str:
    return hashlib.sha1(system.encode("utf-8")).hexdigest()[:16]


class PrefixSnapshots:
    """Copies of one ``llama_cpp.Llama``'s sequence 0, keyed by the kind of prompt.

    Uses llama-cpp-python's token bookkeeping (``input_ids``, ``n_tokens``, ``_requires_eval``),
    which is not public API: the version is pinned, and any failure here only falls back to
    re-reading the prompt.
    """

    def __init__(self, llama, slots: int = SLOTS) -> None:
        self._llama = llama
        self._slots = slots
        self._copies: OrderedDict[str, _Snapshot] = OrderedDict()
        self._live: str | None = None  # the kind whose tokens are in the context now

    def before(self, kind: str) -> bool:
        """Put back ``kind``'s copy if another kind used the context since; True when restored."""
        if self._live == kind or kind not in self._copies:
            self._live = kind  # what is about to be evaluated, whatever happens next
            return False
        snapshot = self._copies[kind]
        try:
            put_cells(self._llama, snapshot.tokens, snapshot.cells)
        except Exception as exc:  # noqa: BLE001 — any failure: forget it and read the prompt afresh
            log.warning("could not restore the cached prompt (%s); reading it again", exc)
            self._copies.pop(kind, None)
            self._llama.reset()
            self._live = None
            return False
        self._copies.move_to_end(kind)
        self._live = kind
        return True

    def forget_live(self) -> None:
        """The context was changed behind the copies' back (a saved prefix was loaded into it)."""
        self._live = None

    def after(self, kind: str) -> None:
        """Copy out what ``kind``'s generation left in the context."""
        count = int(self._llama.n_tokens)
        if count < MIN_TOKENS or self._slots <= 0:  # nothing worth copying, or nowhere to keep it
            return
        try:
            tokens, cells = take_cells(self._llama)
            snapshot = _Snapshot(tokens, cells)
        except Exception as exc:  # noqa: BLE001 — without a copy the next prompt is simply read again
            log.warning("could not copy the evaluated prompt: %s", exc)
            return
        self._copies[kind] = snapshot
        self._copies.move_to_end(kind)
        while len(self._copies) > self._slots:
            self._copies.popitem(last=False)


def take_cells(llama) -> tuple[np.ndarray, bytes]:
    """The evaluated tokens of sequence 0 and its KV cells, copied out."""
    import llama_cpp

    count = int(llama.n_tokens)
    ctx = llama._ctx.ctx
    size = llama_cpp.llama_state_seq_get_size(ctx, 0)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_seq_get_data(ctx, buffer, size, 0)
    return np.array(llama.input_ids[:count], copy=True), bytes(buffer)[:written]


def put_cells(llama, tokens: np.ndarray, cells: bytes) -> None:
    """Make sequence 0 hold ``cells`` (as :func:`take_cells` gave them) and say so in the token bookkeeping."""
    import llama_cpp

    ctx = llama._ctx.ctx
    llama_cpp.llama_memory_seq_rm(llama_cpp.llama_get_memory(ctx), 0, -1, -1)
    buffer = (ctypes.c_uint8 * len(cells)).from_buffer_copy(cells)
    if llama_cpp.llama_state_seq_set_data(ctx, buffer, len(cells), 0) != len(cells):
        raise RuntimeError("llama.cpp did not take the whole copy")
    count = len(tokens)
    llama.input_ids[:count] = tokens
    llama.n_tokens = count
    llama._requires_eval = True
