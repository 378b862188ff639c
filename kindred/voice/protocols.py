"""The small interfaces every voice backend implements, in plain project types."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .audio import Audio
from .prosody import Prosody


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str  # en | ko | other
    language_probability: float
    no_speech_probability: float  # Whisper's own belief that there was no speech at all
    model: str
    seconds: float  # how long recognition took

    @property
    def is_speech(self) -> bool:
        return bool(self.text.strip()) and self.no_speech_probability < 0.6


class SpeechToText(Protocol):
    name: str

    def transcribe(self, audio: Audio, language: str | None = None, *, prompt: str = "") -> Transcript:
        """``language``: en | ko, or None to detect (among the languages Kindred speaks); ``prompt``:
        words the audio is likely to hold, to prime the decoder (a short burst over her voice)."""
        ...


class TextToSpeech(Protocol):
    name: str
    languages: tuple[str, ...]

    def synthesize(self, text: str, language: str, prosody: Prosody) -> Audio: ...


class TurnDetector(Protocol):
    """Whether a turn that has paused is complete, judged from how it sounds (voice/smart_turn.py)."""

    name: str

    def complete_probability(self, audio: Audio) -> float:
        """``audio``: the turn so far, its pause included; 1.0 is surely complete."""
        ...

    def is_complete(self, audio: Audio) -> bool: ...


class Player(Protocol):
    """Where reply audio goes: a speaker, a file, or a test's buffer."""

    @property
    def playing(self) -> bool: ...

    async def play(self, audio: Audio) -> None:
        """Queue audio; returns at once. Playback itself runs at real-time pace."""
        ...

    async def stop(self) -> None:
        """Stop now and drop what is queued (barge-in)."""
        ...

    async def drain(self) -> None:
        """Wait until everything queued has been played."""
        ...
