"""Which speech engines to use: names → modules, a voice per language, and fallbacks.

Settings (``config.toml`` or ``KINDRED_<NAME>``), read with defaults so the voice works before
they exist in ``Settings``: ``voice_tts_en`` (kokoro | piper | espeak, default kokoro),
``voice_tts_ko`` (kokoro | espeak, default kokoro), ``voice_stt_english`` (whisper-tiny.en, or
"" to use base for English too), ``voice_threads`` (0: up to 2). A backend that cannot load
falls back along kokoro → espeak, and the reason is kept for ``kindred doctor``.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import KindredError
from .protocols import SpeechToText, TextToSpeech

TTS_BACKENDS = {  # name → (module, class, needs models_dir)
    "kokoro": ("kindred.voice.kokoro_tts", "KokoroTextToSpeech", True),
    "piper": ("kindred.voice.piper_tts", "PiperTextToSpeech", True),
    "espeak": ("kindred.voice.espeak_tts", "EspeakTextToSpeech", False),
}
FALLBACK = ("kokoro", "espeak")


def _setting(settings: Settings, name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value if value is not None else os.environ.get(f"KINDRED_{name.upper()}", default))


@dataclass
class VoiceConfig:
    models_dir: Path
    tts: dict[str, str]  # language → backend name
    stt_english: str = "whisper-tiny.en"
    threads: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> VoiceConfig:
        return cls(models_dir=settings.models_dir,
                   tts={"en": _setting(settings, "voice_tts_en", "kokoro"),
                        "ko": _setting(settings, "voice_tts_ko", "kokoro")},
                   stt_english=_setting(settings, "voice_stt_english", "whisper-tiny.en"),
                   threads=int(_setting(settings, "voice_threads", "0") or 0))


def open_stt(config: VoiceConfig) -> SpeechToText:
    from .whisper_stt import WhisperSpeechToText

    return WhisperSpeechToText(config.models_dir, english_model=config.stt_english, threads=config.threads)


def _load_tts(name: str, config: VoiceConfig) -> TextToSpeech:
    if name not in TTS_BACKENDS:
        raise KindredError(f"Unknown voice backend '{name}'.", f"Use one of: {', '.join(TTS_BACKENDS)}.",
                           code="voice-backend-unknown")
    module, cls, with_models = TTS_BACKENDS[name]
    backend = getattr(importlib.import_module(module), cls)
    if with_models:
        return backend(config.models_dir, threads=config.threads)
    return backend()


@dataclass
class Voices:
    """One TTS per language, loaded lazily and shared when two languages use the same engine."""

    config: VoiceConfig
    _loaded: dict[str, TextToSpeech] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def for_language(self, language: str) -> TextToSpeech:
        wanted = self.config.tts.get(language, self.config.tts.get("en", "kokoro"))
        for name in (wanted, *(f for f in FALLBACK if f != wanted)):
            if name in self._loaded and language in self._loaded[name].languages:
                return self._loaded[name]
            try:
                tts = _load_tts(name, self.config)
            except KindredError as exc:
                if name == FALLBACK[-1]:
                    raise
                self.problems.append(f"{name}: [{exc.code}] {exc.message} {exc.hint}")
                continue
            self._loaded[name] = tts
            if language in tts.languages:
                return tts
        raise KindredError(f"No voice speaks '{language}'.", "Set voice_tts_en / voice_tts_ko.",
                           code="voice-language-unsupported")
