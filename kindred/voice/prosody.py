"""How each tone sounds: a small table from the reply's tone to prosody.

The tone comes from affect/strategy (comforting, celebrating, curious, playful,
calm, serious; neutral when none was chosen). Values follow the usual findings
on vocal emotion (Scherer 2003; Juslin & Laukka 2003): sadness-directed comfort
is slower, lower, softer, with longer pauses; joy is faster, higher, louder with
a wider range; seriousness is slower and flat. Kept mild on purpose: a caring
voice, not an actor's.

| tone        | rate | pitch (semitones) | energy | sentence pause s | clause pause s | style blend |
|-------------|------|-------------------|--------|------------------|----------------|-------------|
| comforting  | 0.88 | -1.0              | 0.80   | 0.55             | 0.25           | 70% main, 30% soft |
| celebrating | 1.10 | +1.5              | 1.15   | 0.30             | 0.12           | 70% main, 30% bright |
| curious     | 1.03 | +1.0              | 1.00   | 0.40             | 0.18           | 85% main, 15% bright |
| playful     | 1.08 | +1.0              | 1.10   | 0.30             | 0.12           | 60% main, 40% bright |
| calm        | 0.92 | -0.5              | 0.85   | 0.50             | 0.22           | 80% main, 20% soft |
| serious     | 0.93 | -1.5              | 0.95   | 0.50             | 0.22           | 100% main |
| neutral     | 1.00 |  0.0              | 1.00   | 0.40             | 0.18           | 100% main |

rate multiplies speaking speed; pitch shifts the voice (done by the backend, or by resampling with the
rate compensated); energy is a gain on the samples; the style blend mixes Kokoro voice styles (the "soft"
and "bright" voices are set per backend).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prosody:
    tone: str = "neutral"
    rate: float = 1.0
    pitch_semitones: float = 0.0
    energy: float = 1.0
    sentence_pause_s: float = 0.40
    clause_pause_s: float = 0.18
    blend: tuple[tuple[str, float], ...] = (("main", 1.0),)  # (voice role, weight): main | soft | bright

    @property
    def pitch_factor(self) -> float:
        return 2.0 ** (self.pitch_semitones / 12.0)


TONE_PROSODY: dict[str, Prosody] = {
    "comforting": Prosody("comforting", 0.88, -1.0, 0.80, 0.55, 0.25, (("main", 0.7), ("soft", 0.3))),
    "celebrating": Prosody("celebrating", 1.10, 1.5, 1.15, 0.30, 0.12, (("main", 0.7), ("bright", 0.3))),
    "curious": Prosody("curious", 1.03, 1.0, 1.00, 0.40, 0.18, (("main", 0.85), ("bright", 0.15))),
    "playful": Prosody("playful", 1.08, 1.0, 1.10, 0.30, 0.12, (("main", 0.6), ("bright", 0.4))),
    "calm": Prosody("calm", 0.92, -0.5, 0.85, 0.50, 0.22, (("main", 0.8), ("soft", 0.2))),
    "serious": Prosody("serious", 0.93, -1.5, 0.95, 0.50, 0.22, (("main", 1.0),)),
    "neutral": Prosody(),
}
TONES = tuple(TONE_PROSODY)


def prosody_for(tone: str | None) -> Prosody:
    """The prosody of a tone; an unknown or missing tone sounds neutral rather than failing a reply."""
    return TONE_PROSODY.get((tone or "neutral").lower(), TONE_PROSODY["neutral"])
