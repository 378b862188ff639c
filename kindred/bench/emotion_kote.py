"""The native-Korean section of `kindred bench emotion`: KOTE, cross-validated (5 folds).

For each fold the native reader is fitted on the other four exactly as the shipped one
(:func:`~kindred.perception.emotion.native_train.fit_reader`), put into the committed model
(``with_native``) and the held-out comments are read through the model's own
``read_with_native()``, the call behind ``read()`` that the turn loop and ``kindred mood`` use.
Scored: the sign of the reading's valence on KOTE's clear cases (:mod:`~kindred.perception.emotion.kote`)
and macro-F1 over the 44 labels (thresholds tuned on one half of the out-of-fold probabilities,
scored on the other, six times). Beside it, from the same reads, the GoEmotions-trained reading's
own valence (what Korean valence was before), and a TF-IDF baseline trained on the same folds
in another process.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..perception.emotion.kote import KOTE_LABELS, Kote, folds, load_kote, valence_arousal_kote
from ..perception.emotion.native_train import FOLDS, clear_valence_accuracy, cross_validate, pooled_vectors
from ..perception.emotion.taxonomy import LABELS, valence_arousal

TARGET_VALENCE = 0.88
QUICK_COMMENTS = 600


def kote_data(quick: bool) -> Kote:
    kote = load_kote()
    if not quick:
        return kote
    rows = np.sort(np.random.default_rng(0).choice(len(kote), QUICK_COMMENTS, replace=False))
    return Kote([kote.texts[i] for i in rows], kote.labels[rows])


def baseline(quick: bool) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities and valences of the bench's TF-IDF word+char LR, same folds."""
    from .emotion import baseline_probabilities

    kote = kote_data(quick)
    fold = folds(len(kote), FOLDS)
    probs = np.zeros(kote.labels.shape, np.float32)
    for number in range(FOLDS):
        train, held = np.flatnonzero(fold != number), np.flatnonzero(fold == number)
        probs[held] = baseline_probabilities([kote.texts[i] for i in train], kote.labels[train],
                                             [kote.texts[i] for i in held])
    return probs, np.array([valence_arousal_kote(p)[0] for p in probs])


def run(model, base_future, quick: bool, log=lambda message: None) -> dict[str, Any]:
    """Scores of the model's native reader on KOTE next to the baseline's (a future or a pair)."""
    from ..perception.emotion.metrics import cross_validated_macro_f1
    from ..perception.emotion.train import default_cache_dir

    kote = kote_data(quick)
    encoder = model._encoder_reader() if model.use_encoder else None
    pooled = pooled_vectors(encoder, kote.texts, log, default_cache_dir()) if encoder is not None else None
    before: list[float] = []
    korean = [0]

    def read(reader, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        fold_model = model.with_native(reader)
        probs = np.zeros((len(texts), len(KOTE_LABELS)), np.float32)
        valence = np.zeros(len(texts), np.float32)
        for i, text in enumerate(texts):
            reading, native = fold_model.read_with_native(text)
            valence[i] = reading.valence
            if native is not None:  # a comment read as another language keeps zeros: scored as missed
                probs[i], korean[0] = native, korean[0] + 1
            before.append(valence_arousal([dict(reading.labels)[label] for label in LABELS])[0])
        return probs, valence

    probs, valence = cross_validate(kote, pooled, read, log)
    order = np.argsort(folds(len(kote), FOLDS), kind="stable")  # cross_validate reads fold by fold
    before_valence = np.zeros(len(kote), np.float32)
    before_valence[order] = before
    base_probs, base_valence = base_future.result() if hasattr(base_future, "result") else base_future
    accuracy, clear = clear_valence_accuracy(valence, kote.labels)
    figures = {
        "ko_kote_clear_valence_accuracy": round(accuracy, 4),
        "ko_kote_clear_cases": clear,
        "ko_kote_macro_f1": round(cross_validated_macro_f1(probs, kote.labels), 4),
        "ko_kote_goemotions_reader_clear_valence_accuracy": round(clear_valence_accuracy(before_valence,
                                                                                         kote.labels)[0], 4),
        "ko_kote_baseline_clear_valence_accuracy": round(clear_valence_accuracy(base_valence, kote.labels)[0], 4),
        "ko_kote_baseline_macro_f1": round(cross_validated_macro_f1(base_probs, kote.labels), 4),
        "ko_kote_read_as_korean": korean[0], "ko_kote_comments": len(kote),
    }
    figures["ko_kote_target_met"] = bool(accuracy >= TARGET_VALENCE)
    row = lambda name, acc, f1: [name, acc, f1]  # noqa: E731
    return {"figures": figures, "table": {
        "title": f"Native Korean: KOTE, {FOLDS}-fold cross-validated ({len(kote)} comments, {clear} clear cases)",
        "columns": ["reader", "clear-case valence sign accuracy", "KOTE macro-F1 (44 labels)"],
        "rows": [row("model (native reader, through read())", figures["ko_kote_clear_valence_accuracy"],
                     figures["ko_kote_macro_f1"]),
                 row("model's GoEmotions reading alone (before)",
                     figures["ko_kote_goemotions_reader_clear_valence_accuracy"], None),
                 row("TF-IDF word+char LR baseline, same folds", figures["ko_kote_baseline_clear_valence_accuracy"],
                     figures["ko_kote_baseline_macro_f1"])]},
        "note": (f"Target: KOTE clear-case valence accuracy ≥ {TARGET_VALENCE} (cross-validated). Clear: raters "
                 "chose ≥ 4 positive and ≤ 1 negative labels or the reverse (POLARITY in kote.py).")}
