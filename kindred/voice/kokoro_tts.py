"""Kokoro-82M (int8 ONNX) text to speech, for English and Korean.

Phonemes come from espeak-ng (the library and data ship in espeakng-loader, so nothing is
fetched): ``en-us`` for English and ``ko`` for Korean. Kokoro was not trained on Korean, and the
only voice styles on PyPI are its Japanese ones, so Korean is intelligible but accented; it still
beats espeak-ng's own Korean voice, which Whisper base could barely read back in our checks.

Tone: ``rate`` sets Kokoro's speed; pitch is raised or lowered by resampling the output and
asking Kokoro for the inverse speed change, so duration stays as the rate says; the blend mixes
voice style vectors.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError
from ..models.voice_models import ensure_voice_model
from .audio import Audio, resample
from .prosody import Prosody

RATE = 24_000
ESPEAK_LANGUAGE = {"en": "en-us", "ko": "ko"}
# Which shipped style plays each role of the prosody blend (all Japanese-trained; jf_alpha is the clearest).
ROLES = {"main": "jf_alpha", "soft": "jf_nezumi", "bright": "jf_tebukuro"}


class KokoroTextToSpeech:
    name = "kokoro"
    languages = ("en", "ko")

    def __init__(self, models_dir: Path, *, threads: int = 0, roles: dict[str, str] | None = None) -> None:
        try:
            import onnxruntime
            from kokoro_onnx import Kokoro
        except ImportError as exc:
            raise MissingExtraError("voice", "kokoro-onnx", "Kokoro speech") from exc
        weights = ensure_voice_model("kokoro", models_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(weights), options, providers=["CPUExecutionProvider"])
        self._kokoro = Kokoro.from_session(session, str(weights.parent / "voices_ja.npz"),
                                           vocab_config=str(weights.parent / "vocab.json"))
        self.roles = {**ROLES, **(roles or {})}
        self._lock = threading.Lock()  # one ONNX run at a time: two would only halve each other's speed

    def _style(self, prosody: Prosody) -> np.ndarray:
        voices = self._kokoro.voices
        total = sum(w for _, w in prosody.blend) or 1.0
        return sum(voices[self.roles.get(role, self.roles["main"])] * (w / total) for role, w in prosody.blend)

    def synthesize(self, text: str, language: str, prosody: Prosody) -> Audio:
        if not text.strip():
            return Audio(b"", RATE)
        factor = prosody.pitch_factor
        # Played back `factor` times faster after resampling, so ask for a `factor` slower delivery.
        speed = float(np.clip(prosody.rate / factor, 0.5, 2.0))
        with self._lock:
            samples, rate = self._kokoro.create(text, voice=self._style(prosody), speed=speed,
                                                lang=ESPEAK_LANGUAGE.get(language, "en-us"),
                                                sentence_pause=prosody.sentence_pause_s,
                                                clause_pause=prosody.clause_pause_s)
        if abs(factor - 1.0) > 1e-3:
            samples = resample(samples, int(round(rate * factor)), rate)
        return Audio.from_float(np.asarray(samples) * prosody.energy, rate)
