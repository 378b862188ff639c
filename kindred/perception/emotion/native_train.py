"""How the native-Korean reader (:mod:`.native`) is made, and how it is cross-validated on KOTE.

1. The fine-tuned emotion encoder reads every KOTE comment once, as Kindred does at run time,
   giving each its pooled sentence vector.
2. Five folds (:func:`.kote.folds`): on four, fit the sparse TF-IDF features and one liblinear
   logistic regression per KOTE label (C=4, as the GoEmotions-ko n-gram part), and a logistic
   regression per label over the standardised pooled vectors (C=0.05); score the fifth. The
   settings and the head's share (0.3) were chosen by this cross-validation (docs/emotion-korean.md).
3. The shipped reader is fitted on all of KOTE with the same settings. It gives Korean valence
   and arousal; the 28 labels stay the GoEmotions reading (see :mod:`.model`).

``kindred train emotion --native-only`` runs this alone against the committed GoEmotions part.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import data as gd
from .features import SparseFeaturizer
from .kote import Kote, clear_polarity, folds, kote_dir, load_kote, valence_arousal_kote
from .metrics import cross_validated_macro_f1
from .native import NativeReader

Log = Callable[[str], None]
NGRAM_C = 4.0
HEAD_C = 0.05
HEAD_WEIGHT = 0.3
FOLDS = 5
NATIVE_FILE = "emotion-v3-kote-ko.npz"


def fit_reader(texts: list[str], labels: np.ndarray, pooled: np.ndarray | None,
               head_weight: float = HEAD_WEIGHT, log: Log = lambda message: None) -> NativeReader:
    """Both members on these rows (``pooled`` None: a head of zeros, the n-grams read alone).

    KOTE is read as written: the irony rewrite applied when reading (:mod:`.korean_irony`)
    changes one of its 5,000 comments, so the committed reader, fitted on KOTE as written, stays
    (a refit took over 15 minutes a fold on the shared machine; docs/emotion-korean.md)."""
    from sklearn.linear_model import LogisticRegression

    from .train import fit_sparse, quantize

    fit = fit_sparse(gd.Split("kote", "train", texts, labels), NGRAM_C, log)
    q, scale = quantize(fit.coef)
    keep = np.flatnonzero(np.abs(q).max(axis=1) > 0)  # rows that quantise to zero say nothing
    vocab = [fit.vocab[i] for i in keep]
    featurizer = SparseFeaturizer(vocab, fit.idf[keep].astype(np.float16), negated_only=True)
    head = np.zeros((384 if pooled is None else pooled.shape[1], labels.shape[1]), np.float32)
    bias = np.full(labels.shape[1], -8.0, np.float32)
    if pooled is not None:
        # Standardise for the fit, then fold the scaling into the weights: reading stays one product.
        mean, std = pooled.mean(axis=0), pooled.std(axis=0) + 1e-6
        x = (pooled - mean) / std
        for j in range(labels.shape[1]):
            if labels[:, j].min() == labels[:, j].max():
                continue
            model = LogisticRegression(C=HEAD_C, max_iter=500).fit(x, labels[:, j])
            head[:, j] = model.coef_[0] / std
            bias[j] = model.intercept_[0] - float(np.dot(model.coef_[0], mean / std))
    return NativeReader(featurizer, q[keep], scale, fit.intercept.astype(np.float32), head, bias,
                        head_weight if pooled is not None else 0.0)


def clear_valence_accuracy(valence: np.ndarray, labels: np.ndarray) -> tuple[float, int]:
    """Share of KOTE's clear cases whose valence has the raters' sign, and how many there are."""
    clear = clear_polarity(labels)
    rows = clear != 0
    return float((np.sign(valence[rows]) == clear[rows]).mean()), int(rows.sum())


def cross_validate(kote: Kote, pooled: np.ndarray | None,
                   read: Callable[[NativeReader, list[str]], tuple[np.ndarray, np.ndarray]],
                   log: Log = lambda message: None, k: int = FOLDS) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold (44 probabilities, valence) per comment: fit on k-1 folds, ``read`` the held-out one.

    ``read(reader, texts)`` returns the probabilities and valences of ``texts`` as the product
    reads them with ``reader`` in place (the bench passes Kindred's own ``read()``).
    """
    fold = folds(len(kote), k)
    probs = np.zeros(kote.labels.shape, np.float32)
    valence = np.zeros(len(kote), np.float32)
    for number in range(k):
        began = time.time()
        train_rows, held_out = np.flatnonzero(fold != number), np.flatnonzero(fold == number)
        reader = fit_reader([kote.texts[i] for i in train_rows], kote.labels[train_rows],
                            None if pooled is None else pooled[train_rows])
        probs[held_out], valence[held_out] = read(reader, [kote.texts[i] for i in held_out])
        log(f"  KOTE fold {number + 1}/{k}: {time.time() - began:.0f}s")
    return probs, valence


def scores(probs: np.ndarray, valence: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    accuracy, clear = clear_valence_accuracy(valence, labels)
    return {"macro_f1": round(cross_validated_macro_f1(probs, labels), 4),
            "clear_valence_accuracy": round(accuracy, 4), "clear_cases": clear}


def pooled_vectors(encoder, texts: list[str], log: Log, cache: Path | None = None) -> np.ndarray:
    """The encoder's pooled vector of each text; cached by the texts and the encoder's file (a
    full pass is ~1 min on an idle 2-core machine, many on a busy one)."""
    import hashlib

    key = hashlib.sha256("\n".join(texts).encode() + encoder.stamp.encode()).hexdigest()[:16]
    path = cache / f"kote-pooled-{key}.npy" if cache is not None else None
    if path is not None and path.is_file():
        return np.load(path)
    out = np.empty((len(texts), 384), np.float32)
    for i, text in enumerate(texts):
        out[i] = encoder.pooled(text)
        if (i + 1) % 1000 == 0:
            log(f"    encoder: {i + 1}/{len(texts)} KOTE comments")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def train_native(out_dir: Path, log: Log = print, with_encoder: bool = True, cache: Path | None = None) -> dict:
    """Cross-validate on KOTE, fit on all of it, write the file and its entry in the manifest."""
    from .model import MANIFEST, TextEmotionModel

    kote = load_kote()
    model = TextEmotionModel(out_dir, use_encoder=with_encoder)
    encoder = model._encoder_reader() if model.use_encoder else None
    log(f"KOTE: {len(kote)} native Korean comments" + (", reading them with the encoder" if encoder else ""))
    pooled = pooled_vectors(encoder, kote.texts, log, cache) if encoder is not None else None

    vectors = dict(zip(kote.texts, pooled)) if pooled is not None else {}

    def read(reader: NativeReader, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        probs = np.stack([reader.probabilities(text, vectors.get(text)) for text in texts])
        return probs, np.array([valence_arousal_kote(p)[0] for p in probs])

    probs, valence = cross_validate(kote, pooled, read, log)
    cv = scores(probs, valence, kote.labels)
    log(f"  KOTE {FOLDS}-fold: macro-F1 {cv['macro_f1']:.4f}, clear-case valence accuracy "
        f"{cv['clear_valence_accuracy']:.4f} ({cv['clear_cases']} cases)")
    reader = fit_reader(kote.texts, kote.labels, pooled, log=log)
    path = Path(out_dir) / NATIVE_FILE
    np.savez_compressed(path, **reader.to_arrays())
    manifest_path = Path(out_dir) / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["languages"]["ko"]["native"] = {
        "file": NATIVE_FILE, "sha256": gd.sha256_file(path), "labels": "KOTE 44 (kote.py)",
        "head_weight": reader.head_weight,
        "cross_validated": cv, "ngram_c": NGRAM_C, "head_c": HEAD_C, "folds": FOLDS,
        "data_sha256": {"kote/val.tsv": gd.sha256_file(kote_dir() / "val.tsv"),
                        "kote/labels.txt": gd.sha256_file(kote_dir() / "labels.txt")},
        "command": "kindred train emotion --native-only",
    }
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {path}")
    return manifest
