"""The context a suggestion is chosen in: the affect reading and the time of day, as a feature vector."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

# GoEmotions labels grouped into the few moods a suggestion can answer to.
MOOD_GROUPS = {
    "anxious": {"nervousness", "fear", "confusion"},
    "sad": {"sadness", "grief", "disappointment", "remorse"},
    "angry": {"anger", "annoyance", "disgust"},
}
DAYPARTS = ("morning", "afternoon", "evening", "night")
FEATURE_NAMES = ("bias", "valence", "arousal", *MOOD_GROUPS, *DAYPARTS)
DIMENSIONS = len(FEATURE_NAMES)


@dataclass(frozen=True)
class Situation:
    valence: float  # -1 … 1
    arousal: float  # 0 … 1
    moods: tuple[str, ...]  # keys of MOOD_GROUPS present in the labels
    daypart: str

    @property
    def dominant_mood(self) -> str:
        if self.moods:
            return self.moods[0]
        return "low" if self.valence < -0.2 else "even"

    def vector(self) -> np.ndarray:
        x = np.zeros(DIMENSIONS)
        x[0] = 1.0
        x[1] = max(-1.0, min(1.0, self.valence))
        x[2] = 2.0 * (max(0.0, min(1.0, self.arousal)) - 0.5)  # centred, like valence
        for mood in self.moods:
            x[FEATURE_NAMES.index(mood)] = 1.0
        x[FEATURE_NAMES.index(self.daypart)] = 1.0
        return x

    def to_dict(self) -> dict[str, Any]:
        return {"valence": self.valence, "arousal": self.arousal, "moods": list(self.moods),
                "daypart": self.daypart}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Situation:
        return cls(float(data["valence"]), float(data["arousal"]), tuple(data["moods"]), str(data["daypart"]))


def daypart(moment: datetime) -> str:
    hour = moment.hour
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def situation_from(affect: Mapping[str, Any], now: datetime) -> Situation:
    """``affect``: {valence, arousal, labels}; labels as names or (name, probability) pairs."""
    names: list[str] = []
    for label in affect.get("labels", ()) or ():
        if isinstance(label, str):
            names.append(label)
        elif label and (len(label) < 2 or float(label[1]) >= 0.2):  # weak labels say little
            names.append(str(label[0]))
    moods = tuple(dict.fromkeys(mood for name in names for mood, group in MOOD_GROUPS.items() if name in group))
    return Situation(float(affect.get("valence", 0.0) or 0.0), float(affect.get("arousal", 0.5) or 0.5),
                     moods, daypart(now))
