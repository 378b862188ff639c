"""The native-Korean reader: KOTE's 44 labels from a Korean message, trained on native comments.

GoEmotions-ko is machine-translated Reddit; Koreans write feelings with ㅠㅠ, ㅋㅋ, 반말 endings,
slang and irony ("참 잘~ 한다") that translation never produces. Two members, both trained on
KOTE (:mod:`.native_train`), give 44 probabilities that are averaged:

- a logistic-regression head over the fine-tuned emotion encoder's pooled sentence vector (the
  encoder already runs for the GoEmotions labels, so the head costs one 384×44 product);
- logistic regressions over the same sparse features as the GoEmotions n-gram part
  (:mod:`.features`: word 1–2-grams with a negation scope, character 2–5-grams), which catch
  ㅠㅠ, ㅋㅋ and endings.

Irony that the data cannot teach (drawled praise, "참 잘~ 한다") is rewritten before this
reader sees the text (:mod:`.korean_irony`). Without the encoder the n-gram member reads alone.
:func:`.kote.to_goemotions` carries the result into the product's 28 labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .features import SparseFeaturizer


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


@dataclass
class NativeReader:
    featurizer: SparseFeaturizer
    coef: np.ndarray  # (V, 44) int8; coef = int8 * scale
    scale: np.ndarray  # (44,)
    intercept: np.ndarray  # (44,)
    head: np.ndarray  # (384, 44) float32, over the encoder's pooled vector
    head_bias: np.ndarray  # (44,)
    head_weight: float  # the head's share of the average when the encoder runs

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], head_weight: float) -> NativeReader:
        vocab = bytes(arrays["vocab"]).decode("utf-8").split("\n")
        return cls(SparseFeaturizer(vocab, arrays["idf"], negated_only=True), arrays["coef"],
                   arrays["scale"].astype(np.float32), arrays["intercept"].astype(np.float32),
                   arrays["head"].astype(np.float32), arrays["head_bias"].astype(np.float32), head_weight)

    def to_arrays(self) -> dict[str, Any]:
        vocab = "\n".join(sorted(self.featurizer.index, key=self.featurizer.index.__getitem__))
        return {"vocab": np.frombuffer(vocab.encode("utf-8"), dtype=np.uint8),
                "idf": self.featurizer.idf.astype(np.float16), "coef": self.coef, "scale": self.scale,
                "intercept": self.intercept, "head": self.head.astype(np.float16),
                "head_bias": self.head_bias}

    @classmethod
    def load(cls, path: Path, head_weight: float) -> NativeReader:
        from .model import _load_npz

        return cls.from_arrays(_load_npz(path), head_weight)

    def sparse_probabilities(self, text: str) -> np.ndarray:
        cols, values = self.featurizer.transform_one(text)
        logits = self.intercept.copy()
        if len(cols):
            logits += (values @ self.coef[cols].astype(np.float32)) * self.scale
        return _sigmoid(logits)

    def head_probabilities(self, pooled: np.ndarray) -> np.ndarray:
        return _sigmoid(pooled.astype(np.float32) @ self.head + self.head_bias)

    def probabilities(self, text: str, pooled: np.ndarray | None = None) -> np.ndarray:
        """44 KOTE probabilities; ``pooled`` is the encoder's sentence vector (None: n-grams alone)."""
        sparse = self.sparse_probabilities(text)
        if pooled is None:
            return sparse
        return (1.0 - self.head_weight) * sparse + self.head_weight * self.head_probabilities(pooled)
