"""Voice over the WebSocket: 16 kHz PCM in → words and arousal; reply text → speech chunks out.

``Speech`` wraps the project's STT and per-language TTS (kindred.voice), loaded on first use
and shared by every socket. ``Speaker`` turns one reply's tokens into spoken phrases as they
stream (the first phrase is cut early), each sent as an ``Audio`` event
(``{"event": "audio", "wav": base64, ...}`` on the wire).
"""
from __future__ import annotations

import asyncio
import base64
import importlib.util
import shutil
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ..affect.fusion import VoiceReading
from ..config import Settings
from ..events import Audio, AudioDone, Event, Replied, Token
from ..voice.audio import STT_RATE, wav_bytes
from ..voice.audio import Audio as Sound  # the samples; events.Audio is the message that carries them
from ..voice.chunker import SentenceChunker, split_sentences
from ..voice.prosody import prosody_for
from ..voice.tone import spoken_tone, voice_reading

if TYPE_CHECKING:  # the voice engines load only when first used
    from ..voice.backends import Voices
    from ..voice.protocols import SpeechToText, Transcript

MAX_UTTERANCE_S = 30
MAX_UTTERANCE_BYTES = MAX_UTTERANCE_S * STT_RATE * 2
MAX_SPOKEN_CHARS = 2000


def voice_extra_problem() -> str:
    """Why voice cannot work here ("" when the packages are installed)."""
    if importlib.util.find_spec("faster_whisper") is None:
        return "speech recognition (faster-whisper) is not installed: pip install 'kindred[voice]'"
    if importlib.util.find_spec("kokoro_onnx") is None and shutil.which("espeak-ng") is None:
        return "no speech voice (kokoro-onnx or espeak-ng) is installed: pip install 'kindred[voice]'"
    return ""


class Speech:
    """The real engines, built from settings the first time they are needed."""

    def __init__(self, settings: Settings) -> None:
        from ..voice.backends import VoiceConfig

        self.config = VoiceConfig.from_settings(settings)
        self._stt: SpeechToText | None = None
        self._voices: Voices | None = None
        self._lock = threading.Lock()

    def transcribe(self, audio: Sound):
        with self._lock:
            if self._stt is None:
                from ..voice.backends import open_stt

                self._stt = open_stt(self.config)
            stt = self._stt
        return stt.transcribe(audio)

    def synthesize(self, text: str, language: str, tone: str | None) -> Sound:
        with self._lock:
            if self._voices is None:
                from ..voice.backends import Voices

                self._voices = Voices(self.config)
            tts = self._voices.for_language(language if language in ("en", "ko") else "en")
        return tts.synthesize(text, language, prosody_for(tone))


def hear(speech, pcm: bytes) -> tuple[Transcript | None, VoiceReading | None]:
    """(transcript or None when there was no speech, the voice's arousal reading)."""
    from ..voice.features import estimate_arousal
    from ..voice.vad import has_speech

    audio = Sound(pcm[: len(pcm) - len(pcm) % 2], STT_RATE)
    if audio.duration_s < 0.3:
        return None, None
    reading = voice_reading(estimate_arousal(audio))
    if not getattr(speech, "has_speech", has_speech)(audio):
        return None, reading
    transcript = speech.transcribe(audio)
    return (transcript if transcript.is_speech else None), reading


def audio_event(audio: Sound, turn_id: str, seq: int) -> Audio:
    return Audio(turn_id, seq, audio.sample_rate, round(audio.duration_s, 3),
                 base64.b64encode(wav_bytes(audio)).decode("ascii"))


class Speaker:
    """Speaks one reply while it is written: feed it the turn's events, then ``await finish()``."""

    def __init__(self, speech, send: Callable[[Event], Awaitable[None]], language: str = "en") -> None:
        self.speech, self.send, self.language = speech, send, language
        self.tone: str | None = None
        self.turn_id = ""
        self.chunker = SentenceChunker()
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.task = asyncio.create_task(self._run())
        self.seq = 0

    def feed(self, event: Event) -> None:
        self.turn_id = event.turn_id
        self.tone = spoken_tone(self.tone, event)  # the turn's own choice, as `kindred talk` speaks it
        if isinstance(event, Token):
            for phrase in self.chunker.push(event.text):
                self.queue.put_nowait(phrase)
        elif isinstance(event, Replied):
            self.language = event.language if event.language in ("en", "ko") else self.language
            for phrase in (self.chunker.flush() if event.tokens else split_sentences(event.text)):
                self.queue.put_nowait(phrase)

    def say(self, text: str) -> None:
        for phrase in split_sentences(text[:MAX_SPOKEN_CHARS]):
            self.queue.put_nowait(phrase)

    async def finish(self) -> None:
        self.queue.put_nowait(None)
        await self.task
        await self.send(AudioDone(self.turn_id))

    def cancel(self) -> None:
        self.task.cancel()

    async def _run(self) -> None:
        while (phrase := await self.queue.get()) is not None:
            audio = await asyncio.to_thread(self.speech.synthesize, phrase, self.language, self.tone)
            await self.send(audio_event(audio, self.turn_id, self.seq))
            self.seq += 1
