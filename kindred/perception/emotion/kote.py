"""KOTE's 44 labels: their polarity, their GoEmotions counterpart, and the data on disk.

KOTE (Korean Online That-gul Emotions; Jeon et al., arXiv 2205.05300, MIT) holds native Korean
online comments, five raters each, with the labels the raters chose. Kindred's product taxonomy
stays GoEmotions' 28 labels: a KOTE reading reaches it through :data:`GOEMOTIONS_OF` (a GoEmotions
label is as likely as the likeliest KOTE label mapped onto it), and so its valence and arousal are
those of the counterparts (NRC VAD, :mod:`.taxonomy`). Counterparts were chosen for meaning and so
that each label's polarity below agrees with its counterpart's valence sign: 경악 ("appalled", on
comments nearly always with 7–8 negative co-labels) maps to disgust, not to GoEmotions' surprise,
whose valence is positive.

:data:`POLARITY` is the one table that says which KOTE labels are positive and which negative;
the benchmark's clear cases (raters chose at least four positive labels and at most one negative,
or the reverse) are defined by it. The five "neither" labels co-occur with both kinds (깨달음:
3.3 positive, 3.6 negative co-labels on average).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import KindredError
from .taxonomy import AROUSAL, LABEL_INDEX, LABELS, VALENCE

# (KOTE label, polarity +1 / -1 / 0, GoEmotions counterpart); line i is KOTE's label id i.
TABLE: tuple[tuple[str, int, str], ...] = (
    ("불평/불만", -1, "disapproval"), ("환영/호의", 1, "approval"), ("감동/감탄", 1, "admiration"),
    ("지긋지긋", -1, "annoyance"), ("고마움", 1, "gratitude"), ("슬픔", -1, "sadness"),
    ("화남/분노", -1, "anger"), ("존경", 1, "admiration"), ("기대감", 1, "optimism"),
    ("우쭐댐/무시함", -1, "disapproval"), ("안타까움/실망", -1, "disappointment"), ("비장함", 0, "neutral"),
    ("의심/불신", -1, "disapproval"), ("뿌듯함", 1, "pride"), ("편안/쾌적", 1, "relief"),
    ("신기함/관심", 0, "curiosity"), ("아껴주는", 1, "caring"), ("부끄러움", -1, "embarrassment"),
    ("공포/무서움", -1, "fear"), ("절망", -1, "sadness"), ("한심함", -1, "disapproval"),
    ("역겨움/징그러움", -1, "disgust"), ("짜증", -1, "annoyance"), ("어이없음", -1, "annoyance"),
    ("없음", 0, "neutral"), ("패배/자기혐오", -1, "disappointment"), ("귀찮음", -1, "annoyance"),
    ("힘듦/지침", -1, "sadness"), ("즐거움/신남", 1, "excitement"), ("깨달음", 0, "realization"),
    ("죄책감", -1, "remorse"), ("증오/혐오", -1, "disgust"), ("흐뭇함(귀여움/예쁨)", 1, "love"),
    ("당황/난처", -1, "confusion"), ("경악", -1, "disgust"), ("부담/안_내킴", -1, "nervousness"),
    ("서러움", -1, "sadness"), ("재미없음", -1, "disappointment"), ("불쌍함/연민", -1, "sadness"),
    ("놀람", 0, "surprise"), ("행복", 1, "joy"), ("불안/걱정", -1, "nervousness"),
    ("기쁨", 1, "joy"), ("안심/신뢰", 1, "relief"),
)
KOTE_LABELS: tuple[str, ...] = tuple(name for name, _, _ in TABLE)
POLARITY = np.array([polarity for _, polarity, _ in TABLE], dtype=np.int8)
GOEMOTIONS_OF: tuple[int, ...] = tuple(LABEL_INDEX[target] for _, _, target in TABLE)
CLEAR_AT_LEAST, CLEAR_AT_MOST = 4, 1  # a clear case: ≥ 4 labels of one polarity, ≤ 1 of the other


def to_goemotions(kote_probs: np.ndarray) -> np.ndarray:
    """28 GoEmotions probabilities from 44 KOTE ones (rows or one vector): the max over each label's
    KOTE members; a GoEmotions label with none (amusement, desire, grief) gets 0."""
    probs = np.atleast_2d(kote_probs)
    out = np.zeros((len(probs), len(LABELS)), dtype=np.float32)
    for k, g in enumerate(GOEMOTIONS_OF):
        np.maximum(out[:, g], probs[:, k], out=out[:, g])
    return out if kote_probs.ndim == 2 else out[0]


_VALENCE = np.array([VALENCE[LABELS[g]] for g in GOEMOTIONS_OF], dtype=np.float32)
_AROUSAL = np.array([AROUSAL[LABELS[g]] for g in GOEMOTIONS_OF], dtype=np.float32)


def valence_arousal_kote(kote_probs: np.ndarray) -> tuple[float, float]:
    """Probability-weighted mean valence and arousal over the 44 KOTE labels, each with its
    counterpart's NRC values. Weighting each KOTE label (rather than the 28 merged by
    :func:`to_goemotions`) keeps how many negative labels speak: in 5-fold cross-validation the
    clear-case sign accuracy is 0.898 this way, 0.885 through the merged 28."""
    total = float(kote_probs.sum())
    if total <= 0.0:
        return VALENCE["neutral"], AROUSAL["neutral"]
    return (max(-1.0, min(1.0, float(kote_probs @ _VALENCE) / total)),
            max(0.0, min(1.0, float(kote_probs @ _AROUSAL) / total)))


def clear_polarity(labels: np.ndarray) -> np.ndarray:
    """Per row of multi-hot KOTE labels: +1 clearly positive, -1 clearly negative, 0 not clear."""
    labels = np.atleast_2d(labels).astype(bool)
    positive = labels[:, POLARITY > 0].sum(axis=1)
    negative = labels[:, POLARITY < 0].sum(axis=1)
    out = np.zeros(len(labels), dtype=np.int8)
    out[(positive >= CLEAR_AT_LEAST) & (negative <= CLEAR_AT_MOST)] = 1
    out[(negative >= CLEAR_AT_LEAST) & (positive <= CLEAR_AT_MOST)] = -1
    return out


@dataclass(frozen=True)
class Kote:
    texts: list[str]
    labels: np.ndarray  # (n, 44) uint8, multi-hot

    def __len__(self) -> int:
        return len(self.texts)


def kote_dir() -> Path:
    from .data import data_dir

    return data_dir() / "kote"


def _invalid(path: Path, what: str) -> KindredError:
    return KindredError(f"{path} {what}.", "Use KOTE's published files (see ../shared/data/kote/README.md).",
                        code="data-invalid")


def load_kote(path: Path | None = None) -> Kote:
    """KOTE's ``val.tsv`` (``id<TAB>text<TAB>label ids``), checked against ``labels.txt``."""
    folder = kote_dir()
    path = Path(path or folder / "val.tsv")
    names = folder / "labels.txt"
    for needed in (path, names):
        if not needed.is_file():
            raise KindredError(f"The KOTE data file {needed} is not there.",
                               "Put KOTE under ../shared/data/kote next to the project, "
                               "or point KINDRED_DATA_DIR at the folder that holds kote/.", code="data-missing")
    if tuple(line.strip() for line in names.read_text(encoding="utf-8").splitlines() if line.strip()) != KOTE_LABELS:
        raise _invalid(names, "lists labels that differ from KOTE's 44")
    texts: list[str] = []
    rows: list[list[int]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                raise _invalid(path, f"line {number} lacks a column")
            texts.append(parts[1])
            rows.append([int(x) for x in parts[2].split(",") if x.strip()])
    labels = np.zeros((len(texts), len(KOTE_LABELS)), dtype=np.uint8)
    for i, ids in enumerate(rows):
        labels[i, ids] = 1
    return Kote(texts, labels)


def folds(count: int, k: int = 5, seed: int = 0) -> np.ndarray:
    """A fold number (0 … k-1) for each of ``count`` rows, fixed by ``seed``."""
    return np.random.default_rng(seed).permutation(count) % k
