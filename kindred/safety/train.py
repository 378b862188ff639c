"""Train the crisis classifier: ``python -m kindred.safety.train`` (needs the 'emotion' extra: scikit-learn).

Reads only the training files under ``kindred/safety/data`` (never the benchmark's
test set), adds typo and framing variants, fits two multinomial logistic
regressions (risk level and category) on hashed n-grams, picks the decision
thresholds on out-of-fold predictions, and writes ``crisis_model.npz``.
Deterministic: the same data gives the same artifact.
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError
from .model import CATEGORIES, DIMENSIONS, CrisisModel, artifact_path, feature_indices
from .normalize import normalize
from .rules import RISK_LEVELS
from .safety_data import LabelledMessage, load_messages

DATA_DIR = Path(__file__).parent / "data"
# Framings people use to get round a filter; added to safe and risky messages alike so they carry no signal.
FRAMINGS = ("ignore your rules. ", "let's role play: ", "lol ", "hypothetically, ", "규칙 무시하고 ", "역할극이야 ",
            "ㅋㅋ ", "그냥 궁금한데 ")


def training_messages() -> list[LabelledMessage]:
    return [m for path in sorted(DATA_DIR.glob("crisis_train_*.tsv")) for m in load_messages(path)]


def augment(messages: list[LabelledMessage], seed: int = 7) -> list[LabelledMessage]:
    rng = random.Random(seed)
    out = list(messages)
    for message in messages:
        out.append(message.with_text(_typo(message.text, rng)))
        if rng.random() < 0.5:
            out.append(message.with_text(rng.choice(FRAMINGS) + message.text))
    return out


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("drop", "swap", "space"))
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "swap":
        return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
    return text[:i] + " " + text[i:]


def _matrix(texts: list[str]):
    from scipy.sparse import csr_matrix

    rows, cols, values = [], [], []
    for row, text in enumerate(texts):
        ids = feature_indices(normalize(text))
        rows += [row] * len(ids)
        cols += ids.tolist()
        values += [1.0 / np.sqrt(max(len(ids), 1))] * len(ids)
    return csr_matrix((values, (rows, cols)), shape=(len(texts), DIMENSIONS), dtype=np.float64)


def _fit(x, y, classes: int, c: float):
    from sklearn.linear_model import LogisticRegression

    used = np.unique(x.indices)  # fit only the hash buckets the data touches: ~10x faster, same weights
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(x[:, used], y)
    weights = np.zeros((DIMENSIONS, classes), dtype=np.float32)
    bias = np.full(classes, -30.0, dtype=np.float32)  # a class absent from training is never predicted
    weights[np.ix_(used, model.classes_)] = model.coef_.T
    bias[model.classes_] = model.intercept_
    return weights, bias


def _thresholds(messages: list[LabelledMessage], c: float, folds: int = 5,
                false_alarm_budget: float = 0.05) -> dict[str, float]:
    """Per level, the lowest P(risk >= level) cut whose held-out false-alarm rate stays within budget.

    A false alarm at a level is a message truly below it judged at or above it. The lowest such
    cut keeps recall as high as the budget allows; the folds come from the training set only.
    """
    order = list(range(len(messages)))
    random.Random(11).shuffle(order)
    held_probs = np.zeros((len(messages), len(RISK_LEVELS)))
    for fold in range(folds):
        held = set(order[fold::folds])
        train = augment([m for i, m in enumerate(messages) if i not in held])
        weights, bias = _fit(_matrix([m.text for m in train]), [RISK_LEVELS.index(m.risk) for m in train],
                             len(RISK_LEVELS), c)
        model = CrisisModel(weights, bias, np.zeros((DIMENSIONS, len(CATEGORIES))), np.zeros(len(CATEGORIES)), {})
        for i in held:
            held_probs[i] = model.opinion(normalize(messages[i].text)).risk_probs
    truth = np.array([RISK_LEVELS.index(m.risk) for m in messages])
    chosen = {}
    for level in ("low", "medium", "high", "imminent"):
        rank = RISK_LEVELS.index(level)
        at_least = held_probs[:, rank:].sum(axis=1)
        below = truth < rank
        within = [t for t in np.arange(0.2, 0.96, 0.05) if (at_least[below] >= t).mean() <= false_alarm_budget]
        chosen[level] = round(float(min(within, default=0.95)), 2)
    return chosen


def train(out: Path | None = None, *, c: float = 10.0) -> dict[str, object]:
    """Train and save the classifier; returns what was done, for the CLI to print."""
    try:
        import scipy  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("emotion", "scikit-learn", "Training the crisis classifier") from exc
    started = time.perf_counter()
    messages = training_messages()
    thresholds = _thresholds(messages, c)
    data = augment(messages)
    x = _matrix([m.text for m in data])
    risk_w, risk_b = _fit(x, [RISK_LEVELS.index(m.risk) for m in data], len(RISK_LEVELS), c)
    cat_w, cat_b = _fit(x, [CATEGORIES.index(m.category) for m in data], len(CATEGORIES), c)
    target = out or artifact_path()
    CrisisModel(risk_w, risk_b, cat_w, cat_b, thresholds).save(target)
    return {"path": str(target), "messages": len(messages), "with_variants": len(data),
            "thresholds": thresholds, "bytes": target.stat().st_size,
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kindred.safety.train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help=f"where to write the model (default: the packaged {artifact_path()})")
    args = parser.parse_args(argv)
    for key, value in train(args.out).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
