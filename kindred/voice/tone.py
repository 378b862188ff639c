"""The tone a reply is spoken in, and the voice's reading a turn is given: one source for every path.

The web page's voice (server/speech.py) and `kindred talk` (voice/pipeline.py) both hand the voice's
arousal to the turn (``voice_reading``) and both speak in the tone the turn's ``Chose`` event names
(``spoken_tone``): the strategy chose it from the fused reading of words, voice and face, with the
conversation's trajectory and her mood, so neither path second-guesses it from the text alone.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..affect.fusion import VoiceReading
from ..events import Chose, Event, Replied

if TYPE_CHECKING:
    from .features import ArousalEstimate

CRISIS_TONE = "calm"  # the crisis protocol's reply is said whole and chooses nothing: it is spoken calm


def voice_reading(estimate: ArousalEstimate | None) -> VoiceReading | None:
    """What the turn is told about how the user sounded; None when the clip says nothing (no voiced speech)."""
    return VoiceReading(estimate.arousal, estimate.confidence) if estimate and estimate.confidence > 0 else None


def spoken_tone(tone: str | None, event: Event) -> str | None:
    """The tone to speak in once ``event`` has passed, given the tone so far (None: neutral).

    A turn's ``Chose`` names it; a crisis reply without one is spoken calm; the fixed policy replies
    (honesty, wellbeing, a "forget that" confirmed) choose nothing and stay neutral.
    """
    if isinstance(event, Chose):
        return event.tone
    if isinstance(event, Replied) and event.finish == "crisis":
        return tone or CRISIS_TONE
    return tone
