"""Multi-label decisions and scores: per-label thresholds tuned on dev, macro/micro F1."""
from __future__ import annotations

import numpy as np

THRESHOLD_GRID = np.round(np.arange(0.02, 0.96, 0.01), 3)


def decide(probs: np.ndarray, thresholds: np.ndarray, *, at_least_one: bool = True) -> np.ndarray:
    """Active labels (n, L) bool. With ``at_least_one``, a row with none takes its best p/threshold."""
    active = probs >= thresholds
    if at_least_one:
        empty = ~active.any(axis=1)
        if empty.any():
            best = np.argmax(probs[empty] / thresholds, axis=1)
            active[np.flatnonzero(empty), best] = True
    return active


def f1_per_label(pred: np.ndarray, gold: np.ndarray) -> np.ndarray:
    pred = pred.astype(bool)
    gold = gold.astype(bool)
    tp = (pred & gold).sum(axis=0).astype(float)
    fp = (pred & ~gold).sum(axis=0).astype(float)
    fn = (~pred & gold).sum(axis=0).astype(float)
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def micro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    pred = pred.astype(bool)
    gold = gold.astype(bool)
    tp = float((pred & gold).sum())
    denom = 2 * tp + float((pred & ~gold).sum()) + float((~pred & gold).sum())
    return 2 * tp / denom if denom else 0.0


def scores(probs: np.ndarray, gold: np.ndarray, thresholds: np.ndarray,
           *, at_least_one: bool = True) -> dict[str, object]:
    pred = decide(probs, thresholds, at_least_one=at_least_one)
    per_label = f1_per_label(pred, gold)
    return {"macro_f1": float(per_label.mean()), "micro_f1": micro_f1(pred, gold),
            "per_label_f1": per_label}


def tune_thresholds(probs: np.ndarray, gold: np.ndarray, grid: np.ndarray = THRESHOLD_GRID) -> np.ndarray:
    """For each label, the threshold on the grid with the best F1 (ties: the middle one)."""
    gold = gold.astype(bool)
    out = np.empty(probs.shape[1], dtype=np.float32)
    for j in range(probs.shape[1]):
        p = probs[:, j][:, None] >= grid[None, :]
        g = gold[:, j][:, None]
        tp = (p & g).sum(axis=0)
        fp = (p & ~g).sum(axis=0)
        fn = (~p & g).sum(axis=0)
        f1 = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros(len(grid)), where=(2 * tp + fp + fn) > 0)
        best = np.flatnonzero(f1 >= f1.max() - 1e-9)
        out[j] = grid[best[len(best) // 2]]
    return out
