"""How a turn puts what it felt into words: the fused reading carried by ``Felt``, and the prompt's line."""
from __future__ import annotations

from .affect.fusion import FusedReading
from .events import Felt, FusedFeeling, Sensed


def fused_feeling(fused: FusedReading) -> FusedFeeling:
    """The fused reading as the event carries it: plain numbers and labels, one entry per sense."""
    return FusedFeeling(fused.valence, fused.arousal, fused.confidence, fused.top,
                        tuple(Sensed(c.modality, c.weight, c.arousal, c.confidence, c.valence, c.top)
                              for c in fused.contributions),
                        tuple(str(d) for d in fused.disagreements))


def describe_feeling(felt: Felt | None) -> str:
    """The prompt's "They seem:" line, or "" when the reading is too unsure to tell the model."""
    if felt is None or felt.confidence < 0.3:
        return ""
    top = ", ".join(label for label, p in felt.labels[:3] if p >= 0.2 and label != "neutral")
    mood = "low" if felt.state_valence < -0.2 else "bright" if felt.state_valence > 0.2 else "even"
    return f"{top or 'neutral'}; overall mood {mood}"


__all__ = ["describe_feeling", "fused_feeling"]
