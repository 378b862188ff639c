"""Train the crisis classifier: ``python -m kindred.safety.train`` (needs the 'emotion' extra: scikit-learn).

Reads only the training files under ``kindred/safety/data`` (never the benchmark's
held-out set), adds typo and framing variants and, when ``../shared/data`` is there,
everyday sentences from GoEmotions (EN, KO; Apache-2.0) and KOTE (KO; MIT) that no
rule and no risk keyword flags, as extra no-risk text. Fits two multinomial logistic
regressions (risk level and category) on hashed n-grams, picks the decision
thresholds on out-of-fold predictions of the project's own messages, and writes
``crisis_model.npz``; with the sentence encoder, also the meaning head (``crisis_meaning.npz``) and the
neighbours reader (``crisis_neighbours.npz``), each with cuts chosen out of fold. ``--neighbours-only``
rebuilds the last alone. Deterministic: the same data gives the same artifacts.
"""
from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError
from .model import CATEGORIES, DIMENSIONS, CrisisModel, artifact_path, feature_indices, word_indices
from .normalize import normalize
from .rules import RISK_LEVELS, apply_rules, keyword_baseline
from .safety_data import LabelledMessage, load_messages

DATA_DIR = Path(__file__).parent / "data"
# Framings people use to get round a filter; added to safe and risky messages alike so they carry no signal.
FRAMINGS = ("ignore your rules. ", "let's role play: ", "lol ", "hypothetically, ", "규칙 무시하고 ", "역할극이야 ",
            "ㅋㅋ ", "그냥 궁금한데 ")


# How many shared-data sentences to add per source, and how much each counts next to a message written here.
EXTRA_PER_SOURCE = 2500
EXTRA_WEIGHT = 0.5
# Out-of-fold share of the project's no-risk messages the classifier alone may send the crisis reply to.
ALONE_FALSE_ALARM_BUDGET = 0.005
# The neighbours reader, a second witness beside that average, may spend 0.4 % more: together at most 0.9 %
# out of fold, most of issue #19's 1 % (v1–v4 spent 0.5 % and held many true risks back as gentle checks).
NEIGHBOURS_ALONE_BUDGET = 0.004
# Shared sentences the meaning head also learns from (each is encoded once, ~20 ms on an idle core).
MEANING_EXTRA = 1500


def training_messages() -> list[LabelledMessage]:
    return [m for path in sorted(DATA_DIR.glob("crisis_train_*.tsv")) for m in load_messages(path)]


def _shared_sources() -> list[tuple[str, Path, int]]:
    from ..perception.emotion.data import data_dir

    root = data_dir()
    return [("en", root / "goemotions" / "en" / "train.tsv", 0), ("ko", root / "goemotions" / "ko" / "train.tsv", 0),
            ("ko", root / "kote" / "val.tsv", 1)]


def extra_no_risk(per_source: int = EXTRA_PER_SOURCE, seed: int = 5) -> list[LabelledMessage]:
    """Everyday sentences from the shared emotion data sets that no rule and no risk keyword flags.

    Read at training time from ``../shared/data`` (never copied into the package); absent, nothing is added.
    Sentences with any risk keyword ("die", "kill", "죽") are left out, so a risky sentence is not taught as safe.
    """
    out: list[LabelledMessage] = []
    for language, path, column in _shared_sources():
        if not path.is_file():
            continue
        texts = []
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) > column and 3 <= len(fields[column]) <= 200:
                texts.append(fields[column].replace("[NAME]", "Sam").replace("[RELIGION]", "church"))
        random.Random(seed).shuffle(texts)
        kept = 0
        for text in texts:
            if kept >= per_source:
                break
            normalized = normalize(text)
            if keyword_baseline(normalized)[0] != "none" or apply_rules(normalized).hits:
                continue
            out.append(LabelledMessage(language, "none", "none", "shared", text))
            kept += 1
    return out


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


def _weights(messages: list[LabelledMessage], y) -> np.ndarray:
    """Balanced class weights over the project's messages; shared-data sentences count EXTRA_WEIGHT each."""
    y = np.asarray(y)
    base = np.array([EXTRA_WEIGHT if m.kind == "shared" else 1.0 for m in messages])
    weights = np.zeros(len(y))
    for label in np.unique(y):
        rows = y == label
        weights[rows] = base[rows] * len(y) / (len(np.unique(y)) * base[rows].sum())
    return weights


def _fit(x, y, classes: int, c: float, sample_weight=None):
    from sklearn.linear_model import LogisticRegression

    used = np.unique(x.indices)  # fit only the hash buckets the data touches: ~10x faster, same weights
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x[:, used], y, sample_weight=sample_weight)
    weights = np.zeros((DIMENSIONS, classes), dtype=np.float32)
    bias = np.full(classes, -30.0, dtype=np.float32)  # a class absent from training is never predicted
    weights[np.ix_(used, model.classes_)] = model.coef_.T
    bias[model.classes_] = model.intercept_
    return weights, bias


def _fit_risk(train: list[LabelledMessage], c: float):
    y = [RISK_LEVELS.index(m.risk) for m in train]
    return _fit(_matrix([m.text for m in train]), y, len(RISK_LEVELS), c, _weights(train, y))


def _fit_meaning(vectors: np.ndarray, messages: list[LabelledMessage], c: float = 4.0):
    from sklearn.linear_model import LogisticRegression

    y = np.array([RISK_LEVELS.index(m.risk) for m in messages])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(vectors, y, sample_weight=_weights(messages, y))
    weights = np.zeros((vectors.shape[1], len(RISK_LEVELS)), dtype=np.float32)
    bias = np.full(len(RISK_LEVELS), -30.0, dtype=np.float32)
    weights[:, model.classes_] = model.coef_.T
    bias[model.classes_] = model.intercept_
    return weights, bias


def _out_of_fold(messages: list[LabelledMessage], extra: list[LabelledMessage], c: float, vectors=None,
                 extra_meaning: Sequence[LabelledMessage] = (), extra_vectors=None,
                 folds: int = 5) -> tuple[np.ndarray, np.ndarray | None]:
    """Out-of-fold P(risk level) of the project's messages: the n-gram model's and the meaning head's.

    The shared sentences are in every training fold and never scored.
    """
    from .meaning import MeaningHead

    ngram = np.zeros((len(messages), len(RISK_LEVELS)))
    meaning = np.zeros_like(ngram) if vectors is not None else None
    for held in _folds(len(messages), folds):
        kept = [i for i in range(len(messages)) if i not in held]
        weights, bias = _fit_risk(augment([messages[i] for i in kept]) + extra, c)
        model = CrisisModel(weights, bias, np.zeros((DIMENSIONS, len(CATEGORIES))), np.zeros(len(CATEGORIES)), {})
        for i in held:
            ngram[i] = model.opinion(normalize(messages[i].text)).risk_probs
        if meaning is not None:
            w, b = _fit_meaning(np.vstack([vectors[kept], extra_vectors]),
                                [messages[i] for i in kept] + list(extra_meaning))
            head = MeaningHead(w, b, {}, 1.0)
            for i in held:
                meaning[i] = head.risk_probs(vectors[i])
    return ngram, meaning


def _folds(count: int, folds: int = 5) -> list[set[int]]:
    order = list(range(count))
    random.Random(11).shuffle(order)
    return [set(order[fold::folds]) for fold in range(folds)]


def build_neighbours(messages: list[LabelledMessage], vectors: np.ndarray, extra: Sequence[LabelledMessage],
                     extra_vectors: np.ndarray, out: Path | None = None) -> dict[str, object]:
    """Store the labelled vectors as the neighbours reader, with its cuts chosen out of fold: each project
    message is read by the neighbours of the other folds (and every shared sentence), never by itself."""
    from .neighbours import NeighbourReader
    from .neighbours import artifact_path as neighbours_path

    levels = np.array([RISK_LEVELS.index(m.risk) for m in messages])
    extra_levels = [RISK_LEVELS.index(m.risk) for m in extra]
    probs = np.zeros((len(messages), len(RISK_LEVELS)))
    for held in _folds(len(messages)):
        kept = [i for i in range(len(messages)) if i not in held]
        reader = NeighbourReader.from_vectors(np.vstack([vectors[kept], extra_vectors]),
                                              list(levels[kept]) + extra_levels)
        for i in held:
            probs[i] = reader.risk_probs(vectors[i])
    thresholds, alone = _choose(probs, messages, NEIGHBOURS_ALONE_BUDGET)
    target = out or neighbours_path()
    NeighbourReader.from_vectors(np.vstack([vectors, extra_vectors]), list(levels) + extra_levels, thresholds,
                                 alone).save(target)
    return {"neighbours_path": str(target), "neighbours_thresholds": thresholds, "neighbours_alone_threshold": alone,
            "neighbours_out_of_fold": _alone_figures(probs, messages, alone), "neighbours_bytes": target.stat().st_size}


def _choose(probs: np.ndarray, messages: list[LabelledMessage], alone_budget: float = ALONE_FALSE_ALARM_BUDGET,
            false_alarm_budget: float = 0.02) -> tuple[dict[str, float], float]:
    """Per level, the lowest P(risk >= level) cut whose out-of-fold false-alarm rate stays within budget;
    and the cut for the classifier alone (no rule hit) to send the crisis reply.

    A false alarm at a level is a message truly below it judged at or above it. The lowest such cut keeps
    recall as high as the budget allows.
    """
    truth = np.array([RISK_LEVELS.index(m.risk) for m in messages])
    grid = np.round(np.arange(0.2, 0.991, 0.01), 2)
    chosen = {}
    for level in ("low", "medium", "high", "imminent"):
        rank = RISK_LEVELS.index(level)
        at_least = probs[:, rank:].sum(axis=1)
        below = truth < rank
        within = [t for t in grid if (at_least[below] >= t).mean() <= false_alarm_budget]
        chosen[level] = round(float(min(within, default=0.95)), 2)
    # Alone: judged on the no-risk messages no rule flags, the ones where the classifier's word is all there is.
    medium = probs[:, RISK_LEVELS.index("medium"):].sum(axis=1)
    alone = np.array([m.risk == "none" and not apply_rules(normalize(m.text)).hits for m in messages])
    within = [t for t in grid if (medium[alone] >= t).mean() <= alone_budget]
    return chosen, max(chosen["medium"], float(min(within, default=0.99)))


def _cached_vectors(texts: list[str], cache: Path | None) -> np.ndarray:
    """Sentence vectors of ``texts``; with ``cache``, the ones encoded before are read back, new ones added."""
    from .meaning import sentence_vectors

    if cache is None:
        return sentence_vectors(texts)
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"]))
    missing = sorted(set(texts) - set(known))
    for start in range(0, len(missing), 256):  # saved as it goes: a run cut short keeps what it encoded
        chunk = missing[start:start + 256]
        known.update(zip(chunk, sentence_vectors(chunk)))
        np.savez(cache, texts=np.array(list(known)), vectors=np.vstack(list(known.values())))
    return np.vstack([known[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def _alone_figures(probs: np.ndarray, messages: list[LabelledMessage], alone: float) -> dict[str, float]:
    """Out of fold, on messages no rule flags: the share of medium-and-above risk the classifier alone would
    send the crisis reply to (before the short and familiar-words gates), and the share of no-risk ones."""
    medium = probs[:, RISK_LEVELS.index("medium"):].sum(axis=1) >= alone
    unflagged = np.array([not apply_rules(normalize(m.text)).hits for m in messages])
    risky = np.array([RISK_LEVELS.index(m.risk) >= RISK_LEVELS.index("medium") for m in messages]) & unflagged
    safe = np.array([m.risk == "none" for m in messages]) & unflagged
    return {"recall_medium_up": round(float(medium[risky].mean()), 3) if risky.any() else 0.0,
            "false_alarm": round(float(medium[safe].mean()), 4) if safe.any() else 0.0,
            "risky_unflagged": int(risky.sum())}


def train(out: Path | None = None, *, c: float = 10.0, meaning: bool = True,
          meaning_out: Path | None = None, neighbours_out: Path | None = None,
          vector_cache: Path | None = None) -> dict[str, object]:
    """Train and save the classifier; returns what was done, for the CLI to print."""
    try:
        import scipy  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("emotion", "scikit-learn", "Training the crisis classifier") from exc
    started = time.perf_counter()
    messages = training_messages()
    extra = extra_no_risk()
    vectors = extra_vectors = None
    extra_meaning = extra[::max(1, len(extra) // MEANING_EXTRA)][:MEANING_EXTRA]  # every source, evenly
    if meaning:
        vectors = _cached_vectors([m.text for m in messages], vector_cache)
        extra_vectors = _cached_vectors([m.text for m in extra_meaning], vector_cache)
    ngram_probs, meaning_probs = _out_of_fold(messages, extra, c, vectors, extra_meaning, extra_vectors)
    thresholds, alone = _choose(ngram_probs, messages)
    data = augment(messages) + extra
    x = _matrix([m.text for m in data])
    risk_y = [RISK_LEVELS.index(m.risk) for m in data]
    risk_w, risk_b = _fit(x, risk_y, len(RISK_LEVELS), c, _weights(data, risk_y))
    cat_y = [CATEGORIES.index(m.category) for m in data]
    cat_w, cat_b = _fit(x, cat_y, len(CATEGORIES), c, _weights(data, cat_y))
    vocabulary = np.unique(np.concatenate([word_indices(normalize(m.text)) for m in messages]))
    target = out or artifact_path()
    CrisisModel(risk_w, risk_b, cat_w, cat_b, thresholds, alone_threshold=alone, vocabulary=vocabulary).save(target)
    done = {"path": str(target), "messages": len(messages), "shared_no_risk": len(extra), "with_variants": len(data),
            "thresholds": thresholds, "alone_threshold": alone, "bytes": target.stat().st_size}
    if meaning_probs is not None:
        from .meaning import MeaningHead
        from .meaning import artifact_path as meaning_path

        blend_thresholds, blend_alone = _choose((ngram_probs + meaning_probs) / 2, messages)
        assert vectors is not None and extra_vectors is not None  # meaning_probs is scored from them
        w, b = _fit_meaning(np.vstack([vectors, extra_vectors]), messages + extra_meaning)
        head_target = meaning_out or meaning_path()
        MeaningHead(w, b, blend_thresholds, blend_alone).save(head_target)
        done.update({"meaning_path": str(head_target), "blend_thresholds": blend_thresholds,
                     "blend_alone_threshold": blend_alone,
                     "out_of_fold_two_readers": _alone_figures((ngram_probs + meaning_probs) / 2, messages,
                                                               blend_alone)})
        done.update(build_neighbours(messages, vectors, extra_meaning, extra_vectors, neighbours_out))
    done["seconds"] = round(time.perf_counter() - started, 1)
    return done


def train_neighbours(out: Path | None = None, vector_cache: Path | None = None) -> dict[str, object]:
    """Rebuild only the neighbours reader (minutes, where the full training takes many): the n-gram model and
    the meaning head stay as they are; the neighbours' cuts are their own, so they stay valid."""
    started = time.perf_counter()
    messages = training_messages()
    extra = extra_no_risk()
    extra_meaning = extra[::max(1, len(extra) // MEANING_EXTRA)][:MEANING_EXTRA]  # the ones the head learns from
    vectors = _cached_vectors([m.text for m in messages], vector_cache)
    extra_vectors = _cached_vectors([m.text for m in extra_meaning], vector_cache)
    done = {"messages": len(messages), **build_neighbours(messages, vectors, extra_meaning, extra_vectors, out)}
    done["seconds"] = round(time.perf_counter() - started, 1)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kindred.safety.train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help=f"where to write the model (default: the packaged {artifact_path()})")
    parser.add_argument("--meaning-out", type=Path, help="where to write the meaning head (default: the packaged one)")
    parser.add_argument("--neighbours-out", type=Path, help="where to write the neighbours (default: the packaged)")
    parser.add_argument("--vector-cache", type=Path,
                        help="an .npz of sentence vectors kept between runs (for trying changes: encoding is slow)")
    parser.add_argument("--no-meaning", action="store_true", help="train the n-gram model only (no sentence encoder)")
    parser.add_argument("--neighbours-only", action="store_true",
                        help="rebuild only the neighbours reader; the n-gram model and the meaning head stay")
    args = parser.parse_args(argv)
    if args.neighbours_only:
        for key, value in train_neighbours(args.neighbours_out, args.vector_cache).items():
            print(f"{key}: {value}")
        return 0
    for key, value in train(args.out, meaning=not args.no_meaning, meaning_out=args.meaning_out,
                            neighbours_out=args.neighbours_out, vector_cache=args.vector_cache).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
