"""A reading of feeling from one message, and the interface of anything that produces one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EmotionReading:
    labels: tuple[tuple[str, float], ...]  # (GoEmotions label, probability), most likely first
    active: tuple[str, ...]  # labels above their tuned decision thresholds
    valence: float  # -1 (unpleasant) … 1 (pleasant)
    arousal: float  # 0 (calm) … 1 (excited)
    language: str  # en | ko | other
    confidence: float  # 0 … 1; low for languages the model was not trained on
    model: str  # name and version of what produced it

    @property
    def top(self) -> str:
        return self.active[0] if self.active else (self.labels[0][0] if self.labels else "neutral")


class EmotionReader(Protocol):
    name: str

    def read(self, text: str) -> EmotionReading: ...
