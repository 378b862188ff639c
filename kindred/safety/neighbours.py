"""The crisis classifier's third reader: the labelled messages nearest in meaning.

The meaning head (:mod:`.meaning`) draws one straight line through sentence-vector space, so a
kind of message that is rare in training ("parked at the quarry, nobody comes here at night")
is outvoted by the common ones around it. This reader keeps the multilingual-e5-small vectors of
every labelled training message (and of the everyday sentences the head learns from) and reads a
new message by its nearest 16: if the closest labelled messages are plans, goodbyes or overdoses,
so is its opinion, however the words differ. Vectors are stored as int8 (cosine error ~1 %),
about 1.7 MB. The thresholds for the average of all three readers are chosen on training folds
and stored here (``python -m kindred.safety.train``); without this file the other two read alone.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelCorruptError
from .rules import RISK_LEVELS

ARTIFACT = "crisis_neighbours.npz"
LEVELS = ("low", "medium", "high", "imminent")
# How many neighbours vote, and how sharply a closer one counts more (e5 cosines of related
# sentences sit between ~0.8 and ~0.95, so a tenth of that span is a large difference).
NEIGHBOURS = 16
TEMPERATURE = 0.02
# Every level keeps a little probability, so a unanimous vote is strong but never certain.
SMOOTHING = 0.05


@dataclass(frozen=True)
class NeighbourReader:
    vectors: np.ndarray  # (n, 384) int8: L2-normalised vectors times 127
    levels: np.ndarray  # (n,) index into RISK_LEVELS
    thresholds: dict[str, float]  # for the average of the three readers' P(risk >= level)
    alone_threshold: float

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, levels, thresholds: dict[str, float] | None = None,
                     alone_threshold: float = 1.0) -> NeighbourReader:
        quantised = np.clip(np.rint(np.asarray(vectors, dtype=np.float32) * 127), -127, 127).astype(np.int8)
        return cls(quantised, np.asarray(levels, dtype=np.int8), thresholds or {}, alone_threshold)

    def risk_probs(self, vector: np.ndarray) -> np.ndarray:
        similarity = (self.vectors.astype(np.float32) @ np.asarray(vector, dtype=np.float32)) / 127.0
        count = min(NEIGHBOURS, len(similarity))
        nearest = np.argpartition(-similarity, count - 1)[:count]
        weight = np.exp((similarity[nearest] - similarity[nearest].max()) / TEMPERATURE)
        votes = np.bincount(self.levels[nearest].astype(np.int64), weights=weight, minlength=len(RISK_LEVELS))
        return (1 - SMOOTHING) * votes / votes.sum() + SMOOTHING / len(RISK_LEVELS)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, vectors=self.vectors, levels=self.levels,
                            thresholds=np.array([self.thresholds[n] for n in LEVELS], dtype=np.float32),
                            alone_threshold=np.float32(self.alone_threshold))


def artifact_path() -> Path:
    return Path(str(resources.files("kindred.safety") / "data" / ARTIFACT))


@lru_cache(maxsize=1)
def load_neighbours(path: str | None = None) -> NeighbourReader | None:
    """The stored neighbours, or None when they were never built (the other readers then work alone)."""
    target = Path(path) if path else artifact_path()
    if not target.exists():
        return None
    try:
        with np.load(target) as data:
            return NeighbourReader(data["vectors"], data["levels"], dict(zip(LEVELS, map(float, data["thresholds"]))),
                                   float(data["alone_threshold"]))
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise ModelCorruptError(f"The crisis classifier's neighbours {target} cannot be read: {exc}",
                                "Rebuild them: python -m kindred.safety.train", code="safety-model-corrupt") from exc


__all__ = ["NeighbourReader", "load_neighbours"]
