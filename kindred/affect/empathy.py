"""One place where a turn's readings become a way to respond: fusion, trajectory, strategy, her presence.

Reads, from the turn's context, the conversation's readings so far (the trajectory the strategy
looks at) and the companion's own slowly changing mood towards the person, and adds this turn's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .context import TurnContext
from .fusion import FusedReading, VoiceReading, fuse
from .guidance import guidance_lines
from .presence import Presence, presence_lines
from .reading import EmotionReading
from .strategy import ResponsePlan, choose


@dataclass(frozen=True)
class EmpathyResult:
    fused: FusedReading
    plan: ResponsePlan
    presence: Presence
    guidance: tuple[str, ...]


class EmpathyEngine:
    """Holds nothing between turns: what a turn carries lives in its ``TurnContext`` (context.py),
    loaded from the database at its start, so one engine serves every socket and replica alike."""

    def respond_to(self, *, context: TurnContext, text: str, language: str,
                   reading: EmotionReading | None = None, face: object | None = None,
                   voice: VoiceReading | None = None, fused: FusedReading | None = None,
                   memories: Sequence[str] = (), advice_vs_listening: str = "balanced",
                   message_number: int | None = None, her_last_reply: str = "",
                   now: datetime | None = None) -> EmpathyResult:
        """``message_number``: the person's messages in this conversation, this one included (the
        trajectory kept here is capped, so the caller counts); ``her_last_reply``: her last words;
        ``fused``: the turn's reading already fused (the one its ``Felt`` carries), else it is fused here
        from ``reading``, ``face`` and ``voice``."""
        if fused is None:
            fused = fuse(text=reading, face=face, voice=voice)  # type: ignore[arg-type]
        plan = choose(fused, text=text, trajectory=context.trajectory, earlier_texts=context.texts,
                      memories=memories, advice_vs_listening=advice_vs_listening,
                      message_number=message_number, her_last_reply=her_last_reply,
                      her_strategies=context.strategies)
        presence = context.heard(fused, text, now or datetime.now(UTC), plan.strategies)
        guidance = (*guidance_lines(plan, language), *presence_lines(presence, plan.tone))
        return EmpathyResult(fused, plan, presence, guidance)
