"""Feedback on replies (/good, /bad, /note) and the per-user preferences it teaches.

Every piece of feedback is stored as given, with the changes read from it, so
"what I've learned about you" can always say where a preference came from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from ..database.tables import DatabaseSource
from .corrections import parse_corrections
from .preferences import Change, PreferenceError, Preferences, apply_changes
from .preferences_repo import PreferencesRepo

FEEDBACK_KINDS = ("good", "bad", "note")


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    turn_id: str
    kind: str
    text: str
    changes: tuple[Change, ...]
    created_at: str


def load_preferences(db_path: DatabaseSource, user: str) -> Preferences:
    with PreferencesRepo.opened(db_path) as prefs:
        return prefs.load(user)


def save_preferences(db_path: DatabaseSource, user: str, prefs: Preferences,
                     now: datetime | None = None) -> None:
    with PreferencesRepo.opened(db_path) as repo:
        repo.save(user, prefs, now)


def apply_feedback(db_path: DatabaseSource, user: str, turn_id: str, kind: str, text: str = "",
                   now: datetime | None = None) -> Preferences:
    """Store one piece of feedback and return the preferences after it.

    The text of any kind is read for corrections ("/good but shorter" teaches too);
    a note that matches no rule is kept as a free note. A thumbs up or down on a
    reply that carried a suggestion also rewards or penalises that suggestion.
    """
    if kind not in FEEDBACK_KINDS:
        raise PreferenceError(f"Unknown feedback kind '{kind}'.", "Use good, bad or note.",
                              code="feedback-invalid")
    text = " ".join(text.split())[:500]
    changes = parse_corrections(text) if text else ()
    if kind == "note" and text and not changes:
        changes = (Change("notes", f"+{text}", text),)
    with PreferencesRepo.opened(db_path) as repo:
        prefs = apply_changes(repo.load(user), changes)
        repo.log_feedback(user, turn_id, kind, text, changes, now)
        if changes:
            repo.save(user, prefs, now)
    if kind in {"good", "bad"} and turn_id:
        from ..recommend.recommender import record_turn_feedback

        record_turn_feedback(db_path, user, turn_id, liked=kind == "good", now=now)
    return prefs


def set_preference(db_path: DatabaseSource, user: str, field: str, value: str,
                   now: datetime | None = None) -> Preferences:
    """Edit one preference by hand (the "what I've learned" screen); same rules as feedback."""
    with PreferencesRepo.opened(db_path) as repo:
        prefs = apply_changes(repo.load(user), [Change(field, value, "set by hand")])
        repo.save(user, prefs, now)
    return prefs


def forget_preferences(db_path: DatabaseSource, user: str) -> None:
    """Forget everything learned from feedback (the feedback log stays, marked by nothing new)."""
    with PreferencesRepo.opened(db_path) as repo:
        repo.forget(user)


def feedback_history(db_path: DatabaseSource, user: str, limit: int = 20) -> list[FeedbackRecord]:
    with PreferencesRepo.opened(db_path) as repo:
        rows = repo.feedback(user, limit)
    return [FeedbackRecord(r[0], r[1], r[2], r[3], tuple(Change(**c) for c in json.loads(r[4])), r[5])
            for r in rows]

