"""Kindred's own speech engines behind the Wyoming endpoint: Whisper in, her voices (in a tone) out.

The engines are the ones ``kindred talk`` and the web page use (kindred.voice.backends), loaded
once when the server starts so that the first request is as quick as the later ones, and shared
by every connection: each engine serves one caller at a time (its own lock), on a worker thread.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import KindredError
from ..voice.audio import STT_RATE, Audio
from ..voice.chunker import split_sentences
from ..voice.prosody import prosody_for

if TYPE_CHECKING:
    from ..voice.backends import Voices
    from ..voice.protocols import SpeechToText, Transcript

LANGUAGES = ("en", "ko")
MAX_UTTERANCE_S = 30  # as the web page's voice: a longer clip is refused, not transcribed for a minute
MAX_SPOKEN_CHARS = 2000


class SpeechOff(KindredError):
    code = "wyoming-speech-off"
    exit_code = 3


class SpeechEngines:
    def __init__(self, settings: Settings) -> None:
        from ..voice.backends import VoiceConfig

        self.config = VoiceConfig.from_settings(settings)
        self._stt: SpeechToText | None = None
        self._voices: Voices | None = None
        self._stt_lock = threading.Lock()
        self._tts_lock = threading.Lock()
        self.problem: KindredError | None = None  # why speech is off (None: it works)

    def load(self) -> None:
        """Load Whisper and a voice for each language now; a missing extra or model turns speech off
        (``problem``) instead of stopping the server, which still handles conversation."""
        from ..voice.backends import Voices, open_stt

        try:
            stt = open_stt(self.config)
            voices = Voices(self.config)
            for language in LANGUAGES:
                voices.for_language(language)
        except KindredError as exc:
            self.problem = exc
            return
        self._stt, self._voices = stt, voices

    @property
    def available(self) -> bool:
        return self._stt is not None and self._voices is not None

    @property
    def stt_name(self) -> str:
        return self._stt.name if self._stt is not None else ""

    def voice_names(self) -> dict[str, str]:
        """language → the engine that speaks it."""
        return {language: self._voices.for_language(language).name for language in LANGUAGES} if self._voices else {}

    def _require(self) -> None:
        if not self.available:
            problem = self.problem or SpeechOff("Speech is not loaded.", "Restart `kindred wyoming`.")
            raise SpeechOff(f"Speech is off on this server: {problem.message}", problem.hint)

    def transcribe(self, audio: Audio, language: str | None) -> Transcript | None:
        """Words in a 16 kHz clip, or None when it holds no speech (silence, noise, Whisper's own doubt)."""
        from ..voice.vad import has_speech

        self._require()
        assert self._stt is not None
        if audio.duration_s > MAX_UTTERANCE_S:
            raise KindredError(f"The audio is {audio.duration_s:.0f} s long; this server takes up to "
                               f"{MAX_UTTERANCE_S} s at a time.", "Send one utterance per audio-start/stop.",
                               code="wyoming-audio-too-long")
        if not has_speech(audio):  # Whisper would make words up from silence
            return None
        with self._stt_lock:
            transcript = self._stt.transcribe(audio.resampled(STT_RATE), language if language in LANGUAGES else None)
        return transcript if transcript.is_speech else None

    def speak(self, text: str, language: str, tone: str | None) -> Iterator[Audio]:
        """``text`` in Kindred's voice for ``language``, in the prosody of ``tone``, one sentence at a time
        (with the tone's pause between), so the first sentence can be sent while the next is made."""
        self._require()
        assert self._voices is not None
        if len(text) > MAX_SPOKEN_CHARS:
            raise KindredError(f"The text is {len(text)} characters; this server speaks up to {MAX_SPOKEN_CHARS}.",
                               "Send a shorter text.", code="wyoming-text-too-long")
        prosody = prosody_for(tone)
        tts = self._voices.for_language(language)
        for index, sentence in enumerate(split_sentences(text) or [text]):
            with self._tts_lock:
                audio = tts.synthesize(sentence, language, prosody)
            if index:
                yield Audio.silence(prosody.sentence_pause_s, audio.sample_rate)
            yield audio
