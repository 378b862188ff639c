"""Speech to text with faster-whisper: tiny.en for fast English, base for Korean.

Kindred speaks English and Korean, so language identification is a choice between those two
(Whisper base's full 99-way guess calls Kokoro-accented English "ja" and Korean "la"). English is
then transcribed by tiny.en (about 4× cheaper), Korean by base.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from ..errors import MissingExtraError
from ..models.voice_models import ensure_voice_model
from .audio import STT_RATE, Audio
from .protocols import Transcript

SUPPORTED = ("en", "ko")


def _whisper(path: Path, threads: int):
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise MissingExtraError("voice", "faster-whisper", "Speech recognition") from exc
    return WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=threads)


class WhisperSpeechToText:
    def __init__(self, models_dir: Path, *, english_model: str = "whisper-tiny.en", threads: int = 0) -> None:
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.base = _whisper(ensure_voice_model("whisper-base", models_dir).parent, self.threads)
        self.english = (_whisper(ensure_voice_model(english_model, models_dir).parent, self.threads)
                        if english_model else None)
        self.name = "faster-whisper:base" + ("+tiny.en" if self.english else "")

    def detect_language(self, audio: Audio) -> tuple[str, float]:
        """en or ko, and how sure; only the first 30 s are looked at (one encoder pass of base)."""
        samples = audio.resampled(STT_RATE).to_float()
        _, _, ranked = self.base.detect_language(samples)
        scores = {code: p for code, p in ranked if code in SUPPORTED}
        total = sum(scores.values()) or 1.0
        best = max(SUPPORTED, key=lambda code: scores.get(code, 0.0))
        return best, scores.get(best, 0.0) / total

    def transcribe(self, audio: Audio, language: str | None = None, *, prompt: str = "") -> Transcript:
        """``prompt``: words to prime the decoder with (voice/backchannel.py: a short burst's likely words)."""
        started = time.perf_counter()
        probability = 1.0
        if language not in SUPPORTED:
            language, probability = self.detect_language(audio)
        model = self.english if language == "en" and self.english is not None else self.base
        segments, _ = model.transcribe(
            audio.resampled(STT_RATE).to_float(), language=None if model is self.english else language,
            beam_size=1, best_of=1, temperature=0.0, condition_on_previous_text=False,
            without_timestamps=True, vad_filter=False, initial_prompt=prompt or None)
        segments = list(segments)
        text = " ".join(s.text.strip() for s in segments).strip()
        no_speech = min((s.no_speech_prob for s in segments), default=1.0)
        which = "tiny.en" if model is self.english else "base"
        return Transcript(text, language, round(probability, 3), round(no_speech, 3), f"whisper-{which}",
                          time.perf_counter() - started)
