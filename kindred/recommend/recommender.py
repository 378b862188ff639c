"""Choosing a suggestion that fits the moment, saying why, and learning from how it landed.

Offered sparingly: never when the person wants to be heard or has asked for
listening over advice, only when the mood is low or tense (unless they ask),
and at most once per cooldown.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..database.tables import DatabaseSource
from ..database.timestamps import parse_utc, utc_text
from ..errors import KindredError
from .bandit import LinUCB
from .catalogue import ARM_KIND, ARMS, available_arms, items_for
from .context import DIMENSIONS, Situation, situation_from
from .explain import explain
from .suggestions_repo import SuggestionsRepo

# Reward of each outcome: a suggestion acted on or that helped is worth most.
OUTCOME_REWARD = {"helped": 1.0, "taken": 1.0, "liked": 0.8, "ignored": 0.25, "declined": 0.1, "disliked": 0.0}
IGNORED_AFTER = timedelta(hours=24)  # an unanswered suggestion counts as ignored after this
COOLDOWN = timedelta(hours=6)
LOW_VALENCE = -0.15  # offer unasked only below this, or when tense
TENSE_AROUSAL = 0.65


class RecommendError(KindredError):
    code = "recommend-invalid"
    exit_code = 2


@dataclass(frozen=True)
class Recommendation:
    id: int
    arm: str
    kind: str  # activity | music | reading
    item_id: str
    title: str
    steps: tuple[str, ...]
    why: str
    language: str

    def as_text(self) -> str:
        steps = "".join(f"\n  {i}. {step}" for i, step in enumerate(self.steps, 1))
        return f"{self.title} — {self.why}{steps}"


def recommend(db_path: DatabaseSource, user: str, affect: Mapping[str, Any], now: datetime,
              wants_listening: bool = False, *, asked: bool = False, friends: Sequence[str] = (),
              music_dir: Path | None = None, language: str = "en", turn_id: str = "",
              seed: int | None = None) -> Recommendation | None:
    """A suggestion for this moment, stored as offered; None when one would not be welcome."""
    from ..learning.feedback import load_preferences

    if wants_listening and not asked:
        return None
    if not asked and load_preferences(db_path, user).advice_vs_listening == "listen":
        return None
    situation = situation_from(affect, now)
    tense = situation.arousal >= TENSE_AROUSAL and situation.valence < 0.1
    if not asked and situation.valence >= LOW_VALENCE and not tense:
        return None
    with SuggestionsRepo.opened(db_path) as suggestions:
        history = suggestions.history(user)
        if not asked and history and now - parse_utc(history[-1]["offered_at"]) < COOLDOWN:
            return None
        bandit = _bandit_from(history, now, seed)
        arms = available_arms(friends=friends, night=situation.daypart == "night")
        arm = bandit.choose(situation.vector(), arms)
        item = _pick_item(arm, history, friends, music_dir)
        title, steps = item.localized(language)
        why = explain(arm, situation, history, now, language)
        rec_id = suggestions.offer(user, turn_id, arm, item.id, title, json.dumps(situation.to_dict()),
                                   utc_text(now, timespec="seconds"))
    return Recommendation(rec_id, arm, ARM_KIND.get(arm, "activity"), item.id, title, steps, why, language)


def record_outcome(db_path: DatabaseSource, user: str, recommendation_id: int, outcome: str,
                   now: datetime | None = None, valence_change: float | None = None) -> float:
    """How a suggestion landed; returns the reward the bandit learns from.

    ``valence_change``: the mood after minus before (implicit signal), nudging the reward by up to ±0.2.
    """
    if outcome not in OUTCOME_REWARD:
        raise RecommendError(f"Unknown outcome '{outcome}'.", f"Use one of: {', '.join(OUTCOME_REWARD)}.")
    reward = OUTCOME_REWARD[outcome]
    if valence_change is not None:
        reward = min(1.0, max(0.0, reward + 0.2 * max(-1.0, min(1.0, valence_change))))
    with SuggestionsRepo.opened(db_path) as suggestions:
        if not suggestions.exists(user, recommendation_id):
            raise RecommendError(f"There is no suggestion {recommendation_id} for {user}.",
                                 "`kindred recommend --history` lists them.", code="recommendation-missing")
        suggestions.set_outcome(user, recommendation_id, outcome, reward,
                                utc_text(now or datetime.now(UTC), timespec="seconds"))
    return reward


def record_turn_feedback(db_path: DatabaseSource, user: str, turn_id: str, liked: bool,
                         now: datetime | None = None) -> None:
    """/good or /bad on a reply that carried a suggestion also rates the suggestion (unless acted on)."""
    with SuggestionsRepo.opened(db_path) as suggestions:
        rows = suggestions.for_turn(user, turn_id)
    for rec_id, outcome in rows:
        if outcome not in {"taken", "helped"}:
            record_outcome(db_path, user, rec_id, "liked" if liked else "disliked", now)


def pending_recommendation(db_path: DatabaseSource, user: str, now: datetime) -> int | None:
    """The latest suggestion still waiting for an outcome (to read the user's next message against)."""
    with SuggestionsRepo.opened(db_path) as suggestions:
        latest = suggestions.latest_unanswered(user)
    if latest is not None and now - parse_utc(latest[1]) < IGNORED_AFTER:
        return latest[0]
    return None


def recommendation_history(db_path: DatabaseSource, user: str, limit: int = 20) -> list[dict[str, Any]]:
    with SuggestionsRepo.opened(db_path) as suggestions:
        return suggestions.history(user)[-limit:]


def _bandit_from(history: list[dict[str, Any]], now: datetime, seed: int | None) -> LinUCB:
    bandit = LinUCB(ARMS, DIMENSIONS, seed=seed)
    for row in history:
        reward = row["reward"]
        if reward is None:
            if now - parse_utc(row["offered_at"]) < IGNORED_AFTER:
                continue  # still waiting for an answer
            reward = OUTCOME_REWARD["ignored"]
        if row["arm"] in ARMS:
            bandit.update(row["arm"], Situation.from_dict(json.loads(row["context"])).vector(), float(reward))
    return bandit


def _pick_item(arm: str, history: list[dict[str, Any]], friends: Sequence[str], music_dir: Path | None):
    """Within an arm: something liked before if there is one, else the one offered least lately."""
    items = items_for(arm, friends=friends, music_dir=music_dir)
    liked = {row["item_id"] for row in history if (row["reward"] or 0) >= 0.8}
    disliked = {row["item_id"] for row in history if row["reward"] is not None and row["reward"] <= 0.1}
    fresh = [item for item in items if item.id not in disliked] or list(items)
    last_offered = {row["item_id"]: index for index, row in enumerate(history)}
    return min(fresh, key=lambda item: (item.id not in liked, last_offered.get(item.id, -1)))
