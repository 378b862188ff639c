"""Text emotion: GoEmotions labels, valence and arousal for English and Korean messages.

``load_emotion_model()`` returns the committed :class:`TextEmotionModel` (an
:class:`~kindred.affect.reading.EmotionReader`); ``kindred train emotion`` rebuilds it.
"""
from __future__ import annotations

from .taxonomy import EKMAN_GROUPS, LABELS, ekman_view, valence_arousal

__all__ = ["EKMAN_GROUPS", "LABELS", "TextEmotionModel", "ekman_view", "load_emotion_model", "valence_arousal"]


def __getattr__(name: str):
    if name in ("TextEmotionModel", "load_emotion_model"):
        from . import model

        return getattr(model, name)
    raise AttributeError(name)
