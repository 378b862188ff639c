"""Every event Kindred says, in one typed protocol (frozen dataclasses), by domain:

- ``turn``: what one turn says, stage by stage (``Heard`` … ``Replied``, and ``Failed`` from any stage);
- ``run``: the socket ready, a run's start and end (``RunStarted``, ``RunEnded``, ``Cancelled``);
- ``voice``: what was heard, spoken commands, the reply's audio;
- ``notices``: a camera reading, a check-in;
- ``wire``: the one serialiser (``serialize``) and its strict reader (``event_from_dict``).
"""
from __future__ import annotations

from .base import Event
from .notices import CheckIn, Seen
from .run import Cancelled, Ready, RunEnded, RunStarted
from .turn import (
    STAGES,
    Chose,
    Failed,
    Felt,
    FusedFeeling,
    Heard,
    Recalled,
    RecalledMemory,
    Replied,
    SafetyChecked,
    Sensed,
    Suggested,
    Token,
    TurnEvent,
)
from .voice import Audio, AudioDone, Command, NoSpeech, Transcript
from .wire import EVENT_TYPES, EventError, event_from_dict, event_to_dict, serialize

__all__ = [
    "Chose", "Event", "Heard", "Felt", "Recalled", "RecalledMemory", "SafetyChecked", "Suggested", "Token", "Replied",
    "Failed", "FusedFeeling", "Sensed", "TurnEvent", "EVENT_TYPES", "event_from_dict",
    "STAGES", "Audio", "AudioDone", "Cancelled", "CheckIn", "Command", "EventError", "NoSpeech", "Ready",
    "RunEnded", "RunStarted", "Seen", "Transcript", "event_to_dict", "serialize",
]
