"""`kindred bench emotion`: GoEmotions test F1 (en, ko) of the committed model, against a TF-IDF baseline.

In the same run the baseline is trained from scratch: a word 1–2-gram (50k most frequent) +
character 2–5-gram (100k) TF-IDF logistic regression (liblinear, C=4, one per label), with per-label
thresholds tuned on dev, like the model's. The two languages' baselines train in two processes.
Latency is that of single-utterance ``read()`` calls (language detection, tokenizing, the
fine-tuned encoder on onnxruntime, the n-gram features and linear models), measured after the
baselines have finished so nothing else competes for the two cores.
"""
from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np

from ..perception.emotion import data as gd
from ..perception.emotion.metrics import decide, f1_per_label, micro_f1, tune_thresholds
from ..perception.emotion.model import load_emotion_model
from ..perception.emotion.taxonomy import LABELS

QUICK_TEST = 400
QUICK_TRAIN = 4000
LATENCY_SAMPLES = 200
TARGETS = {"en": 0.50, "ko": 0.46}
BASE_WORDS, BASE_CHARS = 50_000, 100_000  # the baseline's feature budget (most frequent n-grams)


def _splits(lang: str, quick: bool) -> tuple[gd.Split, gd.Split, gd.Split]:
    train, dev, test = (gd.load_split(lang, name) for name in ("train", "dev", "test"))
    if quick:
        return train.subset(QUICK_TRAIN), dev.subset(QUICK_TEST), test.subset(QUICK_TEST)
    return train, dev, test


def baseline_probabilities(train_texts: list[str], train_labels: np.ndarray,
                           *read: list[str]) -> np.ndarray | tuple[np.ndarray, ...]:
    """Fit the TF-IDF word+char LR baseline; probabilities of each list of texts in ``read``."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=BASE_WORDS,
                            dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                            max_features=BASE_CHARS, dtype=np.float32)
    x_train = sp.hstack([words.fit_transform(train_texts), chars.fit_transform(train_texts)]).tocsr()
    xs = [sp.hstack([words.transform(texts), chars.transform(texts)]).tocsr() for texts in read]
    out = [np.zeros((len(texts), train_labels.shape[1]), np.float32) for texts in read]
    for j in range(train_labels.shape[1]):
        if train_labels[:, j].min() == train_labels[:, j].max():
            continue
        model = LogisticRegression(C=4.0, solver="liblinear", max_iter=200).fit(x_train, train_labels[:, j])
        for x, probs in zip(xs, out, strict=True):
            probs[:, j] = model.predict_proba(x)[:, 1]
    return out[0] if len(out) == 1 else tuple(out)


def baseline_predictions(lang: str, quick: bool) -> np.ndarray:
    """Train the TF-IDF word+char LR baseline on train, tune thresholds on dev; test decisions."""
    train, dev, test = _splits(lang, quick)
    p_dev, p_test = baseline_probabilities(train.texts, train.labels, dev.texts, test.texts)
    return decide(p_test, tune_thresholds(p_dev, dev.labels))


def _latency(model, texts: list[str]) -> tuple[float, float]:
    model.read(texts[0])  # warm-up
    times = []
    for text in texts:
        began = time.perf_counter()
        model.read(text)
        times.append((time.perf_counter() - began) * 1000.0)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def run(options: dict[str, Any]) -> dict[str, Any]:
    from concurrent.futures import ProcessPoolExecutor

    from . import emotion_kote

    quick = bool(options.get("quick"))
    # The two baselines train side by side (two workers: the machine has two cores).
    with ProcessPoolExecutor(max_workers=1 if quick else 2) as pool:
        baselines = {lang: pool.submit(baseline_predictions, lang, quick) for lang in gd.LANGUAGES}
        kote_baseline = pool.submit(emotion_kote.baseline, quick)
        ngram_only = None
        if getattr(load_emotion_model(), "use_encoder", False):
            from ..perception.emotion.model import TextEmotionModel

            ngram_only = TextEmotionModel(use_encoder=False)
        # KOTE first: its baseline must be done before report() times read() on a quiet machine.
        native = emotion_kote.run(load_emotion_model(), kote_baseline, quick)
        result = report(load_emotion_model(), baselines, quick, ngram_only)
    result["figures"].update(native["figures"])
    result["tables"].append(native["table"])
    result["notes"].append(native["note"])
    return result


def _test_f1(model, lang: str, test: gd.Split) -> tuple[np.ndarray, np.ndarray]:
    """(decisions, per-label F1) of ``model`` on ``test``."""
    probs = np.stack([model.probabilities(text, lang) for text in test.texts])
    pred = decide(probs, model.thresholds(lang))
    return pred, f1_per_label(pred, test.labels)


def report(model, baselines: dict[str, Any], quick: bool, ngram_only=None) -> dict[str, Any]:
    """Score ``model`` on test next to the baselines' decisions (arrays, or futures of them), and
    ``ngram_only`` (the same artifact read without the sentence encoder) when given."""
    figures: dict[str, Any] = {"model": model.name, "quick": quick}
    summary_rows: list[list[Any]] = []
    label_rows: dict[str, list[Any]] = {label: [label] for label in LABELS}  # the label, then its F1s
    ngram_rows: list[list[Any]] = []
    scored = {}
    for lang in gd.LANGUAGES:  # F1 while the baselines train in their processes
        test = _splits(lang, quick)[2]
        scored[lang] = (test, *_test_f1(model, lang, test),
                        *(_test_f1(ngram_only, lang, test) if ngram_only is not None else (None, None)))
    base = {lang: future.result() if hasattr(future, "result") else future for lang, future in baselines.items()}
    for lang in gd.LANGUAGES:  # latency only now, on a quiet machine: the baselines are done
        test, pred, per_label, ngram_pred, ngram_label = scored[lang]
        latency_texts = test.subset(30 if quick else LATENCY_SAMPLES, seed=1).texts
        p50, p95 = _latency(model, latency_texts)
        if ngram_only is not None:
            ngram_p50, ngram_p95 = _latency(ngram_only, latency_texts)
            ngram_rows.append([lang, float(ngram_label.mean()), micro_f1(ngram_pred, test.labels),
                               ngram_p50, ngram_p95])
            figures[f"{lang}_ngram_only_macro_f1"] = round(float(ngram_label.mean()), 4)
            figures[f"{lang}_ngram_only_latency_p95_ms"] = round(ngram_p95, 4)
        base_pred = base[lang]
        base_label = f1_per_label(base_pred, test.labels)
        row = {"macro_f1": float(per_label.mean()), "micro_f1": micro_f1(pred, test.labels),
               "baseline_macro_f1": float(base_label.mean()),
               "baseline_micro_f1": micro_f1(base_pred, test.labels),
               "latency_p50_ms": p50, "latency_p95_ms": p95}
        row["margin_over_baseline"] = row["macro_f1"] - row["baseline_macro_f1"]
        figures.update({f"{lang}_{k}": round(v, 4) for k, v in row.items()})
        figures[f"{lang}_target_met"] = bool(row["macro_f1"] >= TARGETS[lang]
                                             and row["margin_over_baseline"] >= 0.03 and p95 <= 25.0)
        figures[f"{lang}_test_size"] = len(test)
        summary_rows.append([lang, row["macro_f1"], row["micro_f1"], row["baseline_macro_f1"],
                             row["baseline_micro_f1"], row["margin_over_baseline"], p50, p95])
        for j, label in enumerate(LABELS):
            label_rows[label] += [float(per_label[j]), float(base_label[j])]
    return {
        "title": f"Emotion: GoEmotions test, {model.name} vs. TF-IDF LR baseline (same run)"
                 + (" [quick subset]" if quick else ""),
        "tables": [
            {"title": "Summary (macro/micro F1; latency of one read() in ms)",
             "columns": ["lang", "macro F1", "micro F1", "baseline macro", "baseline micro", "margin",
                         "p50 ms", "p95 ms"], "rows": summary_rows},
            {"title": "Per-label F1", "columns": ["label", "en model", "en base", "ko model", "ko base"],
             "rows": list(label_rows.values())},
            *([{"title": "The same model without the fine-tuned encoder (n-gram part alone, its own thresholds)",
                "columns": ["lang", "macro F1", "micro F1", "p50 ms", "p95 ms"], "rows": ngram_rows}]
              if ngram_rows else []),
        ],
        "notes": [(f"Targets: macro-F1 en ≥ {TARGETS['en']}, ko ≥ {TARGETS['ko']}, ≥ 0.03 over the baseline, "
                   "p95 ≤ 25 ms."),
                  "Most of a read() is the fine-tuned encoder (12 layers, two onnxruntime threads)."],
        "figures": figures,
    }
