"""Which speech engines to use: names → modules, a voice per language, and fallbacks.

Settings (``config.toml`` or ``KINDRED_<NAME>``), read with defaults so the voice works before
they exist in ``Settings``: ``voice_tts_en`` (hibari | kokoro | piper | espeak, default hibari),
``voice_tts_ko`` (kokoro | espeak, default kokoro), ``voice_stt_english`` (whisper-tiny.en, or
"" to use base for English too), ``voice_threads`` (0: up to 2), ``voice_end_of_turn``
(smart-turn | silence, default smart-turn). A voice that cannot load falls back along
kokoro → espeak, and an end-of-turn model that cannot load falls back to the fixed silence wait;
the reason is kept for ``kindred doctor`` and the log.
"""
from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import KindredError
from .protocols import SpeechToText, TextToSpeech, TurnDetector

log = logging.getLogger(__name__)

TTS_BACKENDS = {  # name → (module, class, needs models_dir)
    "hibari": ("kindred.voice.hibari_tts", "HibariTextToSpeech", True),
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
    end_of_turn: str = "smart-turn"  # or "silence": the fixed wait alone

    @classmethod
    def from_settings(cls, settings: Settings) -> VoiceConfig:
        return cls(models_dir=settings.models_dir,
                   tts={"en": _setting(settings, "voice_tts_en", "hibari"),
                        "ko": _setting(settings, "voice_tts_ko", "kokoro")},
                   stt_english=_setting(settings, "voice_stt_english", "whisper-tiny.en"),
                   threads=int(_setting(settings, "voice_threads", "0") or 0),
                   end_of_turn=_setting(settings, "voice_end_of_turn", "smart-turn"))


def open_stt(config: VoiceConfig) -> SpeechToText:
    from .whisper_stt import WhisperSpeechToText

    return WhisperSpeechToText(config.models_dir, english_model=config.stt_english, threads=config.threads)


def open_turn_detector(config: VoiceConfig) -> tuple[TurnDetector | None, str]:
    """The end-of-turn model and "" ; or None and why not, where the fixed silence wait decides instead."""
    if config.end_of_turn == "silence":
        return None, ""
    if config.end_of_turn != "smart-turn":
        raise KindredError(f"Unknown end-of-turn setting '{config.end_of_turn}'.", "Use smart-turn or silence.",
                           code="voice-end-of-turn-unknown")
    from .smart_turn import SmartTurn

    try:
        return SmartTurn(config.models_dir), ""
    except KindredError as exc:
        problem = f"smart-turn: [{exc.code}] {exc.message} {exc.hint}"
        log.warning("end of turn falls back to the fixed silence wait: %s", problem)
        return None, problem


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
        wanted = self.config.tts.get(language, self.config.tts.get("en", "hibari"))
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
