"""Hand-made readings for logic tests of fusion, strategy and presence (no model loaded)."""
from __future__ import annotations

from kindred.affect.reading import EmotionReading
from kindred.perception.emotion.taxonomy import LABELS, valence_arousal
from kindred.perception.face import FaceBox, FaceReading, face_valence_arousal


def text_reading(probs: dict[str, float], confidence: float = 0.8, language: str = "en") -> EmotionReading:
    full = [probs.get(label, 0.01) for label in LABELS]
    valence, arousal = valence_arousal(full)
    ordered = tuple(sorted(zip(LABELS, full), key=lambda item: -item[1]))
    active = tuple(label for label, p in ordered if p >= 0.4) or (ordered[0][0],)
    return EmotionReading(ordered, active, round(valence, 4), round(arousal, 4), language, confidence, "test")


def face_reading(top: str, p: float = 0.9, confidence: float = 0.8) -> FaceReading:
    rest = (1.0 - p) / 6
    probs = {label: (p if label == top else rest)
             for label in ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")}
    valence, arousal = face_valence_arousal(probs)
    labels = tuple(sorted(probs.items(), key=lambda kv: -kv[1]))
    return FaceReading(labels, valence, arousal, confidence, FaceBox(10, 10, 120, 120), 1, (320, 240), "test")


SAD = {"sadness": 0.8, "grief": 0.5, "disappointment": 0.3}
GRIEF = {"grief": 0.7, "sadness": 0.7}
FEAR = {"nervousness": 0.7, "fear": 0.5}
ANGER = {"anger": 0.7, "annoyance": 0.6}
JOY = {"joy": 0.8, "excitement": 0.6, "pride": 0.3}
NEUTRAL = {"neutral": 0.85}


def real_emotion_model():
    """The committed text emotion model.

    TEMPORARY (development only): KINDRED_EMOTION_WEIGHTS_DEV points at a locally trained
    artifact while the packaged weights are not yet committed; unset, the packaged model is used.
    """
    import os

    from kindred.perception.emotion import load_emotion_model

    return load_emotion_model(os.environ.get("KINDRED_EMOTION_WEIGHTS_DEV") or None)
