"""What the voice path says on the socket: what was heard, spoken commands, and the reply's audio."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Event


@dataclass(frozen=True, kw_only=True)
class Transcript(Event):
    kind: ClassVar[str] = "transcript"
    turn_id: str = ""
    text: str
    language: str


@dataclass(frozen=True, kw_only=True)
class NoSpeech(Event):
    """An utterance with no words in it (too short, or only noise): nothing is said or stored."""

    kind: ClassVar[str] = "no-speech"
    turn_id: str = ""


@dataclass(frozen=True, kw_only=True)
class Command(Event):
    """A spoken command (server/voice_commands.py): the page carries out page actions on receiving it.

    ``text``: words to read out with the confirmation ("read that again"); ``done``: whether a
    server action succeeded, where it can fail ("forget that")."""

    kind: ClassVar[str] = "command"
    turn_id: str = ""
    action: str
    say: str
    language: str
    text: str = ""
    text_language: str = ""
    done: bool | None = None


@dataclass(frozen=True)
class Audio(Event):
    """One spoken phrase of a reply, in order (``seq``), as a base64 WAV."""

    kind: ClassVar[str] = "audio"
    seq: int
    sample_rate: int
    seconds: float
    wav: str


@dataclass(frozen=True)
class AudioDone(Event):
    kind: ClassVar[str] = "audio_done"
