"""How the user seems to feel across a conversation: per-turn readings, smoothed.

Each reading enters a running mean with a weight equal to its *evidence*: the model's confidence
times how far it is from "neutral". Older evidence fades by ``decay`` per turn. So after
"my grandmother died" a plain "ok" (neutral, low evidence) barely moves the state, while a clear
new feeling takes over quickly, and a long run of neutral turns lets the old feeling fade.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .reading import EmotionReading

NEUTRAL_VALENCE = 0.0
NEUTRAL_AROUSAL = 0.2
MIN_EVIDENCE = 0.03


@dataclass(frozen=True)
class AffectSnapshot:
    valence: float  # -1 … 1, smoothed
    arousal: float  # 0 … 1, smoothed
    label: str  # the dominant feeling so far ("neutral" when nothing stands out)
    strength: float  # 0 … 1: how much recent evidence stands behind the state
    turns: int  # readings seen


def evidence(reading: EmotionReading) -> float:
    """How much a reading should move the state (0 … 1)."""
    probs = dict(reading.labels)
    neutral = probs.get("neutral", 0.0)
    non_neutral = max((p for label, p in probs.items() if label != "neutral"), default=0.0)
    signal = non_neutral * (1.0 - 0.8 * neutral)
    if reading.active and reading.active[0] == "neutral":
        signal *= 0.3
    return max(MIN_EVIDENCE, min(1.0, reading.confidence * signal * 1.5))


@dataclass
class AffectState:
    """Per-conversation smoothing of :class:`EmotionReading`\\ s. Pure Python, cheap."""

    decay: float = 0.8  # share of the old evidence kept at each new turn
    prior_mass: float = 0.15  # how strongly the state starts at neutral
    _valence: float = NEUTRAL_VALENCE
    _arousal: float = NEUTRAL_AROUSAL
    _mass: float = field(default=0.0, init=False)
    _labels: dict[str, float] = field(default_factory=dict, init=False)
    _turns: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._mass = self.prior_mass

    def update(self, reading: EmotionReading) -> AffectSnapshot:
        weight = evidence(reading)
        self._mass *= self.decay
        total = self._mass + weight
        self._valence = (self._valence * self._mass + reading.valence * weight) / total
        self._arousal = (self._arousal * self._mass + reading.arousal * weight) / total
        kept = self._mass / total
        self._labels = {label: p * kept for label, p in self._labels.items()}
        for label, p in reading.labels:
            self._labels[label] = self._labels.get(label, 0.0) + p * (weight / total)
        self._mass = total
        self._turns += 1
        return self.snapshot

    @property
    def snapshot(self) -> AffectSnapshot:
        feelings = {k: v for k, v in self._labels.items() if k != "neutral"}
        label = "neutral"
        if feelings:
            best = max(feelings, key=feelings.__getitem__)
            if feelings[best] >= max(0.2, 0.6 * self._labels.get("neutral", 0.0)):
                label = best
        return AffectSnapshot(valence=round(self._valence, 4), arousal=round(self._arousal, 4), label=label,
                              strength=round(min(1.0, self._mass), 4), turns=self._turns)

    def reset(self) -> None:
        self._valence, self._arousal = NEUTRAL_VALENCE, NEUTRAL_AROUSAL
        self._mass, self._labels, self._turns = self.prior_mass, {}, 0
