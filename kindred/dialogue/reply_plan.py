"""How this reply should be shaped for this person: learned preferences, a suggestion, care notes.

Gathers what the learning, recommend and safety domains say about the coming
reply into one plain plan the prompt and generation options are built from.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ..config import Settings
from ..database.tables import DatabaseSource
from ..events import Felt
from ..learning import Preferences, apply_feedback, load_preferences, parse_corrections, reply_shape
from ..memory.records import StoredTurn
from ..recommend import (
    Recommendation,
    asks_for_suggestion,
    outcome_from_reply,
    pending_recommendation,
    recommend,
    record_outcome,
    wants_to_be_heard,
)
from .korean import speech_level
from .reply_guard import ReplyRules, greets

# How many sentences a reply may have, by the length the person prefers (learning/preferences).
SENTENCES = {"very_short": 1, "short": 2, "normal": 3, "long": 6}
MORE_SENTENCES = 6  # when this message asks for a fuller answer
_ASKS_FOR_MORE = re.compile(
    r"\b(?:tell me (?:more|everything|all about|in detail)|in (?:more )?detail|explain|walk me through|"
    r"(?:a )?(?:longer|detailed|full) (?:answer|reply|version)|step by step)\b|"
    r"자세히|길게|상세하게|더 (?:말해|얘기해|설명)|설명해|하나하나", re.IGNORECASE)


def asks_for_more(text: str) -> bool:
    """The person asks for a fuller answer than the usual two or three sentences."""
    return bool(_ASKS_FOR_MORE.search(text))


@dataclass(frozen=True)
class ReplyPlan:
    guidance: tuple[str, ...]
    max_tokens: int
    register_ko: str
    suggestion: Recommendation | None
    max_sentences: int = SENTENCES["normal"]
    may_suggest: bool = False  # advice wording is allowed: they asked, or a suggestion is offered


def learn_preferences(store: DatabaseSource, user: str, turn_id: str, text: str,
                      now: datetime | None = None) -> Preferences:
    """The person's preferences, updated first when this message asks for a change."""
    if parse_corrections(text):  # "반말로 해줘", "just listen": said in conversation, learned at once
        return apply_feedback(store, user, turn_id, "note", text, now=now or datetime.now(UTC))
    return load_preferences(store, user)


def plan_reply(store: DatabaseSource, settings: Settings, *, user: str, turn_id: str, text: str, language: str,
               felt: Felt | None, prefs: Preferences, care: tuple[str, ...] = (), plan_suggests: bool = False,
               grieving: bool = False, earlier_texts: tuple[str, ...] = (), now: datetime | None = None) -> ReplyPlan:
    """``plan_suggests``: the chosen strategies include a suggestion. ``grieving``: they are telling of a
    loss, when no suggestion is offered unasked, whatever the mood (comfort comes before any action).
    ``earlier_texts``: their earlier messages in this conversation: someone who writes to her in 존댓말
    is answered in 존댓말 unless they chose a speech level."""
    now = now or datetime.now(UTC)
    default_register = settings.register_ko
    if language == "ko" and not prefs.register_ko and speech_level((*earlier_texts[-3:], text)) == "jondaetmal":
        default_register = "jondaetmal"
    shape = reply_shape(prefs, language, default_max_tokens=settings.max_reply_tokens,
                        default_register=default_register)
    _learn_from_answer(store, user, text, felt, now)
    suggestion = None
    asked = asks_for_suggestion(text)
    if felt is not None and felt.confidence >= 0.3:
        affect = {"valence": felt.state_valence, "arousal": felt.state_arousal, "labels": felt.labels}
        suggestion = recommend(store, user, affect, now, wants_listening=wants_to_be_heard(text) or grieving,
                               asked=asked, language=language, turn_id=turn_id)
    guidance = [*care, *shape.guidance]
    if suggestion is not None:
        guidance.append(f"If it fits, offer this once, briefly: {suggestion.title} ({suggestion.why}).")
    sentences = MORE_SENTENCES if asks_for_more(text) else SENTENCES.get(prefs.reply_length, SENTENCES["normal"])
    heard = wants_to_be_heard(text) or prefs.advice_vs_listening == "listen"
    may_suggest = asked or suggestion is not None or (plan_suggests and not heard and not grieving)
    return ReplyPlan(tuple(guidance), shape.max_tokens, shape.register_ko, suggestion, sentences, may_suggest)


def reply_rules(plan: ReplyPlan, *, text: str, language: str, history: Sequence[StoredTurn],
                first_exchange: bool, strategies: tuple[str, ...] = ()) -> ReplyRules:
    """What the guard holds this reply to: the plan's length, question and advice, the person's words, her own
    before. ``strategies``: the chosen support strategies; with "question" among them the reply ends on one."""
    earlier = tuple(t.text for t in history if t.role == "assistant" and t.text.strip())
    return ReplyRules(language=language, register_ko=plan.register_ko, person_text=text,
                      earlier_replies=earlier[-6:], max_sentences=plan.max_sentences, may_suggest=plan.may_suggest,
                      may_greet=first_exchange and greets(text), wants_question="question" in strategies)


def _learn_from_answer(store: object, user: str, text: str, felt: Felt | None, now: datetime) -> None:
    """Implicit feedback: "I tried the walk, it helped" rewards the last suggestion; so does a lifted mood."""
    pending = pending_recommendation(store, user, now)
    outcome = outcome_from_reply(text) if pending is not None else None
    if outcome is None:
        return
    # This message against the conversation's smoothed mood: positive when the person feels better now.
    change = felt.valence - felt.state_valence if felt is not None and felt.confidence >= 0.3 else None
    record_outcome(store, user, pending, outcome, now=now, valence_change=change)
