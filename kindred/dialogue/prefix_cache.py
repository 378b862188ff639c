"""The stable prefix's evaluated state, saved under KINDRED_HOME so a new process need not read it again.

The persona, rules and example exchanges are over a thousand tokens: 15 s for the embedded model
to read on two cores. A running chat reads them once; `kindred chat --once` and a restarted server
would read them on every start. So the first time a prefix is read, its KV cells are written to a
file named by a key of everything that decides them: the model file (path, size, modification
time), llama.cpp's version, the context size, and the prefix's tokens (which carry the persona,
the template and the examples). A different persona, template or model file makes a different key;
a file whose header or tokens do not match what was asked for is refused and the prefix is read afresh.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np

from .llama_prefix import put_cells, take_cells

log = logging.getLogger(__name__)

MAGIC = b"KINDRED-PREFIX\n"
FORMAT = 1
KEEP = 8  # newest files kept; older ones are removed when a new one is written


def model_fingerprint(model_path: Path, context_tokens: int) -> str:
    import llama_cpp

    stat = model_path.stat()
    return f"{model_path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|llama-cpp-python {llama_cpp.__version__}|" \
           f"n_ctx {context_tokens}"


class SavedPrefixes:
    """Files of evaluated prefixes for one loaded model."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint

    def path_for(self, tokens: np.ndarray) -> Path:
        digest = hashlib.sha256(self.fingerprint.encode("utf-8") + np.asarray(tokens, np.int32).tobytes())
        return self.directory / f"{digest.hexdigest()[:32]}.state"

    def load(self, llama, tokens: np.ndarray) -> bool:
        """Put the saved state of exactly ``tokens`` into the context; False when there is none or it is refused."""
        path = self.path_for(tokens)
        if not path.is_file():
            return False
        try:
            with path.open("rb") as handle:
                if handle.read(len(MAGIC)) != MAGIC:
                    raise ValueError("not a saved prefix")
                header = json.loads(handle.readline())
                if header.get("format") != FORMAT or header.get("fingerprint") != self.fingerprint:
                    raise ValueError("saved for another model, llama.cpp or context size")
                saved = np.frombuffer(handle.read(4 * int(header["tokens"])), dtype=np.int32)
                if saved.shape != np.shape(tokens) or not np.array_equal(saved, tokens):
                    raise ValueError("saved for another prefix (persona, template or examples changed)")
                cells = handle.read()
                if len(cells) != int(header["cells"]):
                    raise ValueError("the file is cut short")
            put_cells(llama, saved.astype(np.intc), cells)
        except Exception as exc:  # noqa: BLE001 — a refused file costs one reading of the prefix, nothing else
            log.warning("not using the saved prompt state %s: %s", path.name, exc)
            llama.reset()
            return False
        os.utime(path)  # newest first when pruning
        return True

    def save(self, llama) -> None:
        """Write what the context holds now (the prefix, just evaluated alone)."""
        try:
            tokens, cells = take_cells(llama)
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.path_for(tokens)
            header = {"format": FORMAT, "fingerprint": self.fingerprint, "tokens": int(len(tokens)),
                      "cells": len(cells)}
            partial = path.with_suffix(".partial")
            with partial.open("wb") as handle:
                handle.write(MAGIC + json.dumps(header).encode("utf-8") + b"\n")
                handle.write(np.asarray(tokens, np.int32).tobytes())
                handle.write(cells)
            os.replace(partial, path)  # a crash mid-write leaves no half file under the real name
            self._prune()
        except Exception as exc:  # noqa: BLE001 — without the file the next start reads the prefix again
            log.warning("could not save the evaluated prompt: %s", exc)

    def _prune(self) -> None:
        files = sorted(self.directory.glob("*.state"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)


__all__ = ["SavedPrefixes", "model_fingerprint"]
