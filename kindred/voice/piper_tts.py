"""Piper (VITS) text to speech: fast, natural English. GPL-3.0, so only in the ``voice-piper`` extra."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError
from ..models.voice_models import ensure_voice_model
from .audio import Audio, resample
from .prosody import Prosody


class PiperTextToSpeech:
    name = "piper"
    languages = ("en",)

    def __init__(self, models_dir: Path, *, threads: int = 0) -> None:
        try:
            from piper import PiperVoice, SynthesisConfig
        except ImportError as exc:
            raise MissingExtraError("voice-piper", "piper-tts", "The Piper voice") from exc
        weights = ensure_voice_model("piper-joe", models_dir)
        os.environ.setdefault("OMP_NUM_THREADS", str(threads or min(2, os.cpu_count() or 1)))
        self._voice = PiperVoice.load(str(weights), config_path=str(weights) + ".json")
        self._config = SynthesisConfig
        self._lock = threading.Lock()

    def synthesize(self, text: str, language: str, prosody: Prosody) -> Audio:
        factor = prosody.pitch_factor
        # length_scale is duration: >1 is slower. Pitch by resampling, as in the Kokoro backend.
        config = self._config(length_scale=factor / prosody.rate, volume=prosody.energy)
        with self._lock:
            chunks = list(self._voice.synthesize(text, syn_config=config))
        if not chunks:
            return Audio(b"", self._voice.config.sample_rate)
        rate = chunks[0].sample_rate
        samples = np.concatenate([c.audio_float_array for c in chunks])
        gap = np.zeros(int(prosody.sentence_pause_s * rate), dtype=np.float32)
        if len(chunks) > 1:  # Piper splits sentences itself; put the tone's pause between them
            samples = np.concatenate([part for c in chunks for part in (c.audio_float_array, gap)][:-1])
        if abs(factor - 1.0) > 1e-3:
            samples = resample(samples, int(round(rate * factor)), rate)
        return Audio.from_float(samples, rate)
