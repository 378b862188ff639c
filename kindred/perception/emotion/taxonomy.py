"""The GoEmotions taxonomy: 27 emotions + neutral, their Ekman groups, and valence/arousal per label.

Labels and their order are those of GoEmotions (Demszky et al., ACL 2020, arXiv:2005.00547); the
label ids in the data files index this tuple. The Ekman grouping is the one published with the
data set (``ekman_mapping.json`` in google-research/goemotions); "neutral" stays on its own.

Valence and arousal of each label are the NRC Valence, Arousal, and Dominance Lexicon v1.0
values for the label word itself (Saif M. Mohammad, "Obtaining Reliable Human Ratings of Valence,
Arousal, and Dominance for 20,000 English Words", ACL 2018; https://saifmohammad.com/WebPages/nrc-vad.html).
The lexicon scores lie in 0…1; valence is rescaled to −1…1 (``2·v − 1``), arousal is kept in 0…1.
The reading of one message is the probability-weighted mean of its labels' values
(:func:`valence_arousal`), so "grief 0.8, sadness 0.5" reads strongly negative and fairly calm,
and a message the model finds plainly neutral reads near 0 valence and low arousal.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

LABELS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity",
    "desire", "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear",
    "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride", "realization", "relief",
    "remorse", "sadness", "surprise", "neutral",
)
LABEL_INDEX = {name: i for i, name in enumerate(LABELS)}

EKMAN_GROUPS: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "joy": ("joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism", "relief",
            "pride", "admiration", "desire", "caring"),
    "sadness": ("sadness", "disappointment", "embarrassment", "grief", "remorse"),
    "surprise": ("surprise", "realization", "confusion", "curiosity"),
    "neutral": ("neutral",),
}
EKMAN_OF = {label: group for group, members in EKMAN_GROUPS.items() for label in members}

# NRC VAD Lexicon v1.0 (0…1): (valence, arousal) of the label word.
NRC_VAD: dict[str, tuple[float, float]] = {
    "admiration": (0.969, 0.583), "amusement": (0.929, 0.837), "anger": (0.167, 0.865),
    "annoyance": (0.167, 0.718), "approval": (0.854, 0.460), "caring": (0.635, 0.469),
    "confusion": (0.255, 0.667), "curiosity": (0.750, 0.755), "desire": (0.896, 0.692),
    "disappointment": (0.115, 0.490), "disapproval": (0.085, 0.551), "disgust": (0.052, 0.775),
    "embarrassment": (0.143, 0.685), "excitement": (0.896, 0.684), "fear": (0.073, 0.840),
    "gratitude": (0.885, 0.441), "grief": (0.070, 0.640), "joy": (0.980, 0.824),
    "love": (1.000, 0.519), "nervousness": (0.163, 0.915), "optimism": (0.949, 0.565),
    "pride": (0.729, 0.634), "realization": (0.554, 0.510), "relief": (0.844, 0.278),
    "remorse": (0.103, 0.673), "sadness": (0.052, 0.288), "surprise": (0.875, 0.875),
    "neutral": (0.469, 0.184),
}
VALENCE = {label: round(2.0 * v - 1.0, 3) for label, (v, _) in NRC_VAD.items()}
AROUSAL = {label: a for label, (_, a) in NRC_VAD.items()}


def valence_arousal(probabilities: Sequence[float]) -> tuple[float, float]:
    """Probability-weighted mean valence (−1…1) and arousal (0…1) over the 28 labels."""
    total = float(sum(probabilities))
    if total <= 0.0:
        return VALENCE["neutral"], AROUSAL["neutral"]
    valence = sum(p * VALENCE[label] for p, label in zip(probabilities, LABELS)) / total
    arousal = sum(p * AROUSAL[label] for p, label in zip(probabilities, LABELS)) / total
    return max(-1.0, min(1.0, valence)), max(0.0, min(1.0, arousal))


def ekman_view(probabilities: Sequence[float] | Mapping[str, float]) -> dict[str, float]:
    """Collapse the 28 labels into Ekman's six groups (+ neutral): the largest member probability."""
    if not isinstance(probabilities, Mapping):
        probabilities = dict(zip(LABELS, probabilities))
    return {group: max(float(probabilities.get(m, 0.0)) for m in members)
            for group, members in EKMAN_GROUPS.items()}
