"""The trained half of crisis detection: a hashed character n-gram logistic regression.

Character n-grams read Korean and English alike and survive typos, so one small
linear model covers both languages. Inference is plain numpy (a core
dependency): the artifact is two weight matrices in a compressed ``.npz`` that
loads in milliseconds. Train it with ``python -m kindred.safety.train``.
"""
from __future__ import annotations

import hashlib
import itertools
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelCorruptError, ModelMissingError
from .rules import RISK_LEVELS

CATEGORIES = ("none", "self_harm", "harm_to_others", "abuse", "medical")
DIMENSIONS = 1 << 16
ARTIFACT = "crisis_model.npz"


def word_indices(normalized: str) -> np.ndarray:
    """Hashed ids of the text's words (those with a letter in them), as the model's word features hash them."""
    words = [w for w in normalized.split() if any(ch.isalpha() for ch in w)]
    return np.fromiter((zlib.crc32(f"w:{w}".encode()) % DIMENSIONS for w in words), dtype=np.int64)


def feature_indices(normalized: str) -> np.ndarray:
    """Hashed ids of the text's character 1–4-grams and word 1–2-grams (crc32: stable across runs)."""
    padded = f" {normalized} "
    grams = {f"c{n}:{padded[i:i + n]}" for n in (1, 2, 3, 4) for i in range(len(padded) - n + 1)}
    words = normalized.split()
    grams.update(f"w:{w}" for w in words)
    grams.update(f"b:{a} {b}" for a, b in itertools.pairwise(words))
    return np.fromiter(sorted({zlib.crc32(g.encode("utf-8")) % DIMENSIONS for g in grams}), dtype=np.int64)


@dataclass(frozen=True)
class ModelOpinion:
    risk_probs: np.ndarray  # over RISK_LEVELS
    category_probs: np.ndarray  # over CATEGORIES

    def at_least(self, risk: str) -> float:
        return float(self.risk_probs[RISK_LEVELS.index(risk):].sum())

    @property
    def category(self) -> str:
        # The category of a risky message is never 'none': take the likeliest real one.
        return CATEGORIES[1 + int(np.argmax(self.category_probs[1:]))]


class CrisisModel:
    def __init__(self, risk_weights: np.ndarray, risk_bias: np.ndarray, category_weights: np.ndarray,
                 category_bias: np.ndarray, thresholds: dict[str, float], *, alone_threshold: float = 0.8,
                 vocabulary: np.ndarray | None = None) -> None:
        self.risk_weights = risk_weights.astype(np.float32)
        self.risk_bias = risk_bias.astype(np.float32)
        self.category_weights = category_weights.astype(np.float32)
        self.category_bias = category_bias.astype(np.float32)
        self.thresholds = thresholds  # P(risk >= level) needed to call that level, chosen on training folds
        # P(risk >= medium) the classifier needs to send the crisis reply with no rule agreeing (training folds)
        self.alone_threshold = alone_threshold
        # word buckets of the project's own labelled messages: how familiar a message's words are
        self.vocabulary = vocabulary

    def coverage(self, normalized: str) -> float:
        """Share of the message's words the classifier saw in its labelled training messages (1.0 if unknown)."""
        ids = word_indices(normalized)
        if self.vocabulary is None or not len(ids):
            return 1.0 if self.vocabulary is None else 0.0
        return float(np.isin(ids, self.vocabulary).mean())

    def opinion(self, normalized: str) -> ModelOpinion:
        ids = feature_indices(normalized)
        scale = 1.0 / np.sqrt(max(len(ids), 1))  # rows are L2-normalised, as in training
        return ModelOpinion(
            _softmax(self.risk_weights[ids].sum(axis=0) * scale + self.risk_bias),
            _softmax(self.category_weights[ids].sum(axis=0) * scale + self.category_bias),
        )

    def level(self, opinion: ModelOpinion) -> str:
        for risk in reversed(RISK_LEVELS[1:]):
            if opinion.at_least(risk) >= self.thresholds.get(risk, 0.5):
                return risk
        return "none"

    def save(self, path: Path) -> None:
        names = ("low", "medium", "high", "imminent")
        np.savez_compressed(
            path, risk_weights=self.risk_weights.astype(np.float16), risk_bias=self.risk_bias,
            category_weights=self.category_weights.astype(np.float16), category_bias=self.category_bias,
            thresholds=np.array([self.thresholds[n] for n in names], dtype=np.float32),
            alone_threshold=np.float32(self.alone_threshold),
            vocabulary=(self.vocabulary if self.vocabulary is not None else np.zeros(0)).astype(np.uint16),
        )


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


def artifact_path() -> Path:
    return Path(str(resources.files("kindred.safety") / "data" / ARTIFACT))


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> CrisisModel:
    target = Path(path) if path else artifact_path()
    if not target.exists():
        raise ModelMissingError(f"The crisis classifier {target} is missing.",
                                "Reinstall kindred, or rebuild it: python -m kindred.safety.train",
                                code="safety-model-missing")
    try:
        with np.load(target) as data:
            thresholds = dict(zip(("low", "medium", "high", "imminent"), map(float, data["thresholds"])))
            extra = {}
            if "alone_threshold" in data:  # artifacts from before issue #19 have neither
                extra = {"alone_threshold": float(data["alone_threshold"]),
                         "vocabulary": data["vocabulary"].astype(np.int64)}
            return CrisisModel(data["risk_weights"], data["risk_bias"], data["category_weights"],
                               data["category_bias"], thresholds, **extra)
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise ModelCorruptError(f"The crisis classifier {target} cannot be read: {exc}",
                                "Rebuild it: python -m kindred.safety.train", code="safety-model-corrupt") from exc


def artifact_sha256(path: Path | None = None) -> str:
    return hashlib.sha256((path or artifact_path()).read_bytes()).hexdigest()
