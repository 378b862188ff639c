"""The reply's tone for the voice: the turn's text reading fused with how the user sounded."""
from __future__ import annotations

from ..affect.fusion import VoiceReading, fuse
from ..affect.reading import EmotionReading
from ..events import Felt
from .features import ArousalEstimate


def voice_reading(estimate: ArousalEstimate | None) -> VoiceReading | None:
    return VoiceReading(estimate.arousal, estimate.confidence) if estimate and estimate.confidence > 0 else None


def choose_tone(text: str, language: str, felt: Felt | None, voice: ArousalEstimate | None) -> str:
    """comforting | celebrating | curious | playful | calm | serious, via affect.strategy; neutral if unsure."""
    try:
        from ..affect.strategy import choose
    except ImportError:  # the strategy module is optional in trimmed installs
        return "neutral"
    reading = None
    if felt is not None:
        reading = EmotionReading(labels=felt.labels, active=tuple(label for label, p in felt.labels[:3] if p >= 0.3),
                                 valence=felt.valence, arousal=felt.arousal, language=language,
                                 confidence=felt.confidence, model=felt.model)
    fused = fuse(text=reading, voice=voice_reading(voice))
    if fused.confidence < 0.15 and reading is None:
        return "neutral"
    return choose(fused, text=text).tone
