"""One place where a turn's readings become a way to respond: fusion, trajectory, strategy, her presence.

Keeps, per conversation, the readings so far (the trajectory the strategy looks at)
and, per person, the companion's own slowly changing mood.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .fusion import FusedReading, VoiceReading, fuse
from .guidance import guidance_lines
from .presence import Presence, after_turn, presence_lines
from .reading import EmotionReading
from .strategy import ResponsePlan, choose

TRAJECTORY_LENGTH = 8


@dataclass(frozen=True)
class EmpathyResult:
    fused: FusedReading
    plan: ResponsePlan
    presence: Presence
    guidance: tuple[str, ...]


class EmpathyEngine:
    def __init__(self) -> None:
        self._readings: dict[str, list[FusedReading]] = defaultdict(list)
        self._texts: dict[str, list[str]] = defaultdict(list)
        self._presence: dict[str, Presence] = {}

    def presence_of(self, user: str) -> Presence:
        return self._presence.get(user, Presence())

    # The engine's memory is a cache of what the database carries between turns (see carried.py):
    # loaded at a turn's start, stored and dropped at its end, so any replica can serve the next one.
    def load(self, user: str, session_id: str, trajectory: Sequence[FusedReading], texts: Sequence[str],
             presence: Presence) -> None:
        self._readings[session_id] = list(trajectory)[-TRAJECTORY_LENGTH:]
        self._texts[session_id] = list(texts)[-TRAJECTORY_LENGTH:]
        self._presence[user] = presence

    def session_history(self, session_id: str) -> tuple[list[FusedReading], list[str]]:
        return list(self._readings.get(session_id, ())), list(self._texts.get(session_id, ()))

    def drop(self, user: str, session_id: str) -> None:
        self._readings.pop(session_id, None)
        self._texts.pop(session_id, None)
        self._presence.pop(user, None)

    def respond_to(self, *, user: str, session_id: str, text: str, language: str,
                   reading: EmotionReading | None, face: object | None = None, voice: VoiceReading | None = None,
                   memories: Sequence[str] = (), advice_vs_listening: str = "balanced",
                   message_number: int | None = None, her_last_reply: str = "",
                   now: datetime | None = None) -> EmpathyResult:
        """``message_number``: the person's messages in this conversation, this one included (the
        trajectory kept here is capped, so the caller counts); ``her_last_reply``: her last words."""
        fused = fuse(text=reading, face=face, voice=voice)  # type: ignore[arg-type]
        trajectory = self._readings[session_id]
        earlier = self._texts[session_id]
        plan = choose(fused, text=text, trajectory=tuple(trajectory), earlier_texts=tuple(earlier),
                      memories=memories, advice_vs_listening=advice_vs_listening,
                      message_number=message_number, her_last_reply=her_last_reply)
        presence = after_turn(self.presence_of(user), fused, now or datetime.now(UTC))
        self._presence[user] = presence
        trajectory.append(fused)
        earlier.append(text)
        del trajectory[:-TRAJECTORY_LENGTH], earlier[:-TRAJECTORY_LENGTH]
        guidance = (*guidance_lines(plan, language), *presence_lines(presence, plan.tone))
        return EmpathyResult(fused, plan, presence, guidance)
