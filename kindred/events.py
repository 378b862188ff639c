"""The typed events of one conversation turn.

One turn yields a stream of these frozen dataclasses. The CLI prints them, the
server streams them, logs record them and tests snapshot them, so each one is
plain data: strings, numbers, tuples and other events' plain types.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "event"
    turn_id: str

    def to_dict(self) -> dict[str, Any]:
        data = {"event": self.kind}
        data.update(dataclasses.asdict(self))
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


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
class Felt(Event):
    """How the user seems to feel: this turn's reading and the smoothed state."""

    kind: ClassVar[str] = "felt"
    labels: tuple[tuple[str, float], ...]
    valence: float
    arousal: float
    confidence: float
    state_valence: float
    state_arousal: float
    state_label: str
    model: str


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
    finish: str = "stop"  # stop | length | cancelled | crisis | error


@dataclass(frozen=True)
class Failed(Event):
    """A stage failed; the turn ends gracefully and the user's words stay stored."""

    kind: ClassVar[str] = "error"
    stage: str
    code: str
    message: str
    hint: str = ""


TurnEvent = Heard | Felt | Recalled | SafetyChecked | Chose | Suggested | Token | Replied | Failed

EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls for cls in (Heard, Felt, Recalled, SafetyChecked, Chose, Suggested, Token, Replied, Failed)
}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event from its ``to_dict`` form (for logs and the web client)."""
    data = dict(data)
    cls = EVENT_TYPES[data.pop("event")]
    if cls is Recalled:
        data["memories"] = tuple(RecalledMemory(**m) for m in data["memories"])
    for f in dataclasses.fields(cls):
        if isinstance(data.get(f.name), list):
            data[f.name] = tuple(tuple(x) if isinstance(x, list) else x for x in data[f.name])
    return cls(**data)


__all__ = [
    "Chose", "Event", "Heard", "Felt", "Recalled", "RecalledMemory", "SafetyChecked", "Suggested", "Token", "Replied",
    "Failed", "TurnEvent", "EVENT_TYPES", "event_from_dict",
]
