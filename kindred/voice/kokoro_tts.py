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
# espeak-ng's Korean writes a few sounds with symbols Kokoro's vocabulary lacks, and Kokoro's tokenizer
# silently drops unknown symbols: the dark "ɫ" of every final ㄹ vanished (오늘 → "오느", 잘 → "자", 내일
# → "내이"). "q" (espeak's tense/unreleased ㄱ, as in 끝, 걱정) is in the vocabulary but no language Kokoro
# learned uses it. Each becomes the nearest sound Kokoro knows.
KOREAN_PHONEME_FIXES = str.maketrans({"ɫ": "l", "q": "k"})
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
        # ONNX Runtime's threads spin for a while after each run; on a 2-core machine that spinning
        # takes the cores from the LLM writing the next phrase and from Whisper.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(str(weights), options, providers=["CPUExecutionProvider"])
        self._kokoro = Kokoro.from_session(session, str(weights.parent / "voices_ja.npz"),
                                           vocab_config=str(weights.parent / "vocab.json"))
        self.roles = {**ROLES, **(roles or {})}
        self._lock = threading.Lock()  # one ONNX run at a time: two would only halve each other's speed

    def _style(self, prosody: Prosody) -> np.ndarray:
        voices = self._kokoro.voices
        total = sum(w for _, w in prosody.blend) or 1.0
        return sum(voices[self.roles.get(role, self.roles["main"])] * (w / total) for role, w in prosody.blend)

    def korean_phonemes(self, text: str) -> str:
        """espeak-ng's Korean phonemes, with the symbols Kokoro would drop mapped to ones it speaks."""
        import phonemizer
        from kokoro_onnx.tokenizer import Tokenizer

        raw = phonemizer.phonemize(Tokenizer.normalize_text(text), "ko", preserve_punctuation=True,
                                   with_stress=True)
        vocab = self._kokoro.tokenizer.vocab
        return "".join(ch for ch in raw.translate(KOREAN_PHONEME_FIXES) if ch in vocab).strip()

    def synthesize(self, text: str, language: str, prosody: Prosody) -> Audio:
        if not text.strip():
            return Audio(b"", RATE)
        factor = prosody.pitch_factor
        # Played back `factor` times faster after resampling, so ask for a `factor` slower delivery.
        speed = float(np.clip(prosody.rate / factor, 0.5, 2.0))
        korean = language == "ko"
        with self._lock:  # also keeps espeak-ng, which has process-global state, to one caller
            samples, rate = self._kokoro.create(self.korean_phonemes(text) if korean else text,
                                                voice=self._style(prosody), speed=speed,
                                                lang=ESPEAK_LANGUAGE.get(language, "en-us"), is_phonemes=korean,
                                                sentence_pause=prosody.sentence_pause_s,
                                                clause_pause=prosody.clause_pause_s)
        if abs(factor - 1.0) > 1e-3:
            samples = resample(samples, int(round(rate * factor)), rate)
        return Audio.from_float(np.asarray(samples) * prosody.energy, rate)
