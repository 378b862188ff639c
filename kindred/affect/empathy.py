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

    def respond_to(self, *, user: str, session_id: str, text: str, language: str,
                   reading: EmotionReading | None, face: object | None = None, voice: VoiceReading | None = None,
                   memories: Sequence[str] = (), advice_vs_listening: str = "balanced",
                   now: datetime | None = None) -> EmpathyResult:
        fused = fuse(text=reading, face=face, voice=voice)  # type: ignore[arg-type]
        trajectory = self._readings[session_id]
        earlier = self._texts[session_id]
        plan = choose(fused, text=text, trajectory=tuple(trajectory), earlier_texts=tuple(earlier),
                      memories=memories, advice_vs_listening=advice_vs_listening)
        presence = after_turn(self.presence_of(user), fused, now or datetime.now(UTC))
        self._presence[user] = presence
        trajectory.append(fused)
        earlier.append(text)
        del trajectory[:-TRAJECTORY_LENGTH], earlier[:-TRAJECTORY_LENGTH]
        guidance = (*guidance_lines(plan, language), *presence_lines(presence, plan.tone))
        return EmpathyResult(fused, plan, presence, guidance)
