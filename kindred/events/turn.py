"""The typed events of one conversation turn.

One turn yields a stream of these frozen dataclasses. The CLI prints them, the
server streams them, logs record them and tests snapshot them, so each one is
plain data: strings, numbers, tuples and other events' plain types. Whatever
stage fails, the turn says so with a coded ``Failed`` and ends; it raises only
when it is cancelled.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Event


@dataclass(frozen=True)
class Heard(Event):
    """What the user said, after input checks; stored before anything else happens."""

    kind: ClassVar[str] = "heard"
    user: str
    session_id: str
    text: str
    language: str
    source: str = "text"  # text | voice
    truncated: bool = False


@dataclass(frozen=True)
class Sensed:
    """One signal's part in the fused reading: what the words, the voice or the face said."""

    modality: str  # text | voice | face
    weight: float  # its share of the fused arousal (0 … 1)
    arousal: float
    confidence: float
    valence: float | None = None  # None for the voice, which says nothing about valence
    top: str = ""  # the signal's own strongest label ("" for the voice)


@dataclass(frozen=True)
class FusedFeeling:
    """The one reading of the person this turn, words, voice and face together (affect.fusion): what
    the strategy and the tone were chosen from."""

    valence: float
    arousal: float
    confidence: float
    top: str  # the strongest of Ekman's six groups or neutral
    sensed: tuple[Sensed, ...]
    disagreements: tuple[str, ...] = ()  # e.g. "arousal_mismatch: tense voice with calm words"


@dataclass(frozen=True)
class Felt(Event):
    """How the user seems to feel: this turn's reading of the words, the smoothed state, and the
    reading fused with the voice and face where the turn had them."""

    kind: ClassVar[str] = "felt"
    labels: tuple[tuple[str, float], ...]
    valence: float
    arousal: float
    confidence: float
    state_valence: float
    state_arousal: float
    state_label: str
    model: str
    fused: FusedFeeling | None = None


@dataclass(frozen=True)
class RecalledMemory:
    id: int
    text: str
    reason: str
    when: str


@dataclass(frozen=True)
class Recalled(Event):
    kind: ClassVar[str] = "recalled"
    memories: tuple[RecalledMemory, ...]


@dataclass(frozen=True)
class SafetyChecked(Event):
    kind: ClassVar[str] = "safety"
    risk: str  # none | low | medium | high | imminent
    category: str  # none | self_harm | harm_to_others | abuse | medical
    reasons: tuple[str, ...] = ()
    action: str = "continue"  # continue | crisis_reply


@dataclass(frozen=True)
class Chose(Event):
    """How Kindred means to respond, and why: ESConv strategies, a tone, and her own mood."""

    kind: ClassVar[str] = "chose"
    strategies: tuple[str, ...]
    tone: str  # comforting | celebrating | curious | playful | calm | serious
    why: str
    noticed: tuple[str, ...]  # disagreements between words, face and voice (e.g. masking)
    her_mood: str  # the companion's own mood: curious | warm | playful | tender | ...


@dataclass(frozen=True)
class Suggested(Event):
    """A suggestion chosen for this moment (by the recommender), offered in the reply."""

    kind: ClassVar[str] = "suggested"
    recommendation_id: int
    title: str
    category: str  # activity | music | reading
    why: str
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Token(Event):
    kind: ClassVar[str] = "token"
    text: str
    # Said by policy, not generated: the line that she is an AI, or the answer to "are you human?".
    # Shown and spoken like any other words.
    policy: bool = False


@dataclass(frozen=True)
class Replied(Event):
    """The finished reply, with the figures a user or benchmark wants."""

    kind: ClassVar[str] = "reply"
    text: str
    language: str
    backend: str
    model: str
    time_to_first_token_s: float | None
    tokens: int
    tokens_per_s: float | None
    # What ended it, as the turn loop emits it: stop (the model finished) | empty (it said nothing) | crisis
    # (the crisis protocol's reply) | policy (honesty and wellbeing) | memory (a "forget that" confirmed).
    finish: str = "stop"


STAGES = ("perceive", "feel", "recall", "safety", "choose", "respond", "remember")


@dataclass(frozen=True)
class Failed(Event):
    """A stage failed (one of ``STAGES``, or "server" for the socket itself); the turn ends gracefully and
    the user's words stay stored. ``code`` is the error's stable code, ``hint`` how to fix it."""

    kind: ClassVar[str] = "error"
    stage: str
    code: str
    message: str
    hint: str = ""
    retry_after_s: int | None = None  # when the server turned the message away for now (rate-limited)


TurnEvent = Heard | Felt | Recalled | SafetyChecked | Chose | Suggested | Token | Replied | Failed
TURN_EVENTS: tuple[type[Event], ...] = (Heard, Felt, Recalled, SafetyChecked, Chose, Suggested, Token, Replied,
                                        Failed)
