"""How this reply should be shaped for this person: learned preferences, a suggestion, care notes.

Gathers what the learning, recommend and safety domains say about the coming
reply into one plain plan the prompt and generation options are built from.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..config import Settings
from ..events import Felt
from ..learning import Preferences, apply_feedback, load_preferences, parse_corrections, reply_shape
from ..recommend import (
    Recommendation,
    asks_for_suggestion,
    outcome_from_reply,
    pending_recommendation,
    recommend,
    record_outcome,
    wants_to_be_heard,
)


@dataclass(frozen=True)
class ReplyPlan:
    guidance: tuple[str, ...]
    max_tokens: int
    register_ko: str
    suggestion: Recommendation | None


def learn_preferences(store: object, user: str, turn_id: str, text: str, now: datetime | None = None) -> Preferences:
    """The person's preferences, updated first when this message asks for a change."""
    if parse_corrections(text):  # "반말로 해줘", "just listen": said in conversation, learned at once
        return apply_feedback(store, user, turn_id, "note", text, now=now or datetime.now(UTC))
    return load_preferences(store, user)


def plan_reply(store: object, settings: Settings, *, user: str, turn_id: str, text: str, language: str,
               felt: Felt | None, prefs: Preferences, care: tuple[str, ...] = (),
               now: datetime | None = None) -> ReplyPlan:
    now = now or datetime.now(UTC)
    shape = reply_shape(prefs, language, default_max_tokens=settings.max_reply_tokens,
                        default_register=settings.register_ko)
    _learn_from_answer(store, user, text, felt, now)
    suggestion = None
    if felt is not None and felt.confidence >= 0.3:
        affect = {"valence": felt.state_valence, "arousal": felt.state_arousal, "labels": felt.labels}
        suggestion = recommend(store, user, affect, now, wants_listening=wants_to_be_heard(text),
                               asked=asks_for_suggestion(text), language=language, turn_id=turn_id)
    guidance = [*care, *shape.guidance]
    if suggestion is not None:
        guidance.append(f"If it fits naturally, offer this once, briefly, with its reason: "
                        f"{suggestion.title} ({suggestion.why}).")
    return ReplyPlan(tuple(guidance), shape.max_tokens, shape.register_ko, suggestion)


def _learn_from_answer(store: object, user: str, text: str, felt: Felt | None, now: datetime) -> None:
    """Implicit feedback: "I tried the walk, it helped" rewards the last suggestion; so does a lifted mood."""
    pending = pending_recommendation(store, user, now)
    outcome = outcome_from_reply(text) if pending is not None else None
    if outcome is None:
        return
    # This message against the conversation's smoothed mood: positive when the person feels better now.
    change = felt.valence - felt.state_valence if felt is not None and felt.confidence >= 0.3 else None
    record_outcome(store, user, pending, outcome, now=now, valence_change=change)
