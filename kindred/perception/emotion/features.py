"""Sparse text features: word 1–2-grams with a negation scope, and character 2–5-grams.

One analyzer serves training (as ``TfidfVectorizer(analyzer=analyze)``) and inference
(:class:`SparseFeaturizer`, numpy only), so the two can never drift apart.

Negation: the words after an English "not/never/no/…n't" or a Korean "안/못/않/없" (up to the
next punctuation or four words) are also emitted with a ``NEG_`` prefix, so "not happy" and
"happy" are different features for the linear model.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from itertools import pairwise

import numpy as np

_TOKEN = re.compile(r"[\w']+|[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_EN_NEGATORS = frozenset((
    "not", "no", "never", "nothing", "nobody", "none", "nowhere", "neither", "nor", "cannot", "can't",
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "wouldn't",
    "shouldn't", "couldn't", "haven't", "hasn't", "hadn't", "ain't", "dont", "doesnt", "didnt", "isnt",
    "arent", "wasnt", "wont", "wouldnt", "shouldnt", "couldnt", "havent", "hasnt", "cant",
))
_KO_PRE_NEGATORS = ("안", "못")  # 안 기뻐: negates what follows
_KO_POST_NEGATORS = ("않", "없", "아니", "못하")  # 좋지 않아: negates what precedes
_SCOPE = 4
CHAR_RANGE = (2, 5)


def _is_negator(token: str) -> bool:
    return token in _EN_NEGATORS or token.endswith("n't") or token in _KO_PRE_NEGATORS


def _is_post_negator(token: str) -> bool:
    return any(token.startswith(k) for k in _KO_POST_NEGATORS)


def words(text: str) -> list[str]:
    """Word tokens, lower-cased, with ``NEG_`` copies inside a negation scope."""
    tokens = _TOKEN.findall(text.lower())
    out: list[str] = []
    scope = 0
    for token in tokens:
        if not (token[0].isalnum() or token[0] == "'" or token[0] == "_"):
            scope = 0
            out.append(token)
            continue
        if _is_post_negator(token) and out and not out[-1].startswith("NEG_") and out[-1][0].isalnum():
            out.append("NEG_" + out[-1])
        out.append(token)
        if scope:
            out.append("NEG_" + token)
            scope -= 1
        if _is_negator(token):
            scope = _SCOPE
    return out


def analyze(text: str, negated_only: bool = False) -> list[str]:
    """All feature strings of one text (``w:`` word 1–2-grams, ``c:`` character n-grams).

    With ``negated_only`` (used when reading, see :class:`SparseFeaturizer`), a word inside a
    negation scope speaks only through its ``NEG_`` copy and the bigrams: its plain unigram and
    its character n-grams are left out, so "not happy" is not read as happiness.
    """
    tokens = words(text)
    toks = [t for t in tokens if not t.startswith("NEG_")]
    negated = {t[4:] for t in tokens if t.startswith("NEG_")} if negated_only else set()
    feats = ["w:" + t for t in tokens if t not in negated]
    feats += ["w:" + a + " " + b for a, b in pairwise(toks)]
    lo, hi = CHAR_RANGE
    for word in _SPACE.sub(" ", text.lower()).split():
        if negated and _TOKEN.findall(word) and _TOKEN.findall(word)[0] in negated:
            continue
        padded = f" {word} "
        size = len(padded)
        for n in range(lo, min(hi, size) + 1):
            feats += ["c:" + padded[i:i + n] for i in range(size - n + 1)]
    return feats


class SparseFeaturizer:
    """TF-IDF (sublinear tf, l2-normalised) over a fixed vocabulary, as sklearn computes it."""

    def __init__(self, vocabulary: Iterable[str], idf: np.ndarray, negated_only: bool = False) -> None:
        vocabulary = list(vocabulary)
        self.index = dict(zip(vocabulary, range(len(vocabulary)), strict=True))
        self.idf = np.asarray(idf, dtype=np.float32)
        self.negated_only = negated_only

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of the one-row TF-IDF vector."""
        counts: dict[int, int] = {}
        index = self.index
        for feat in analyze(text, self.negated_only):
            col = index.get(feat)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts))
        values = tf * self.idf[cols]
        norm = float(np.sqrt(np.dot(values, values)))
        return cols, values / norm if norm else values
