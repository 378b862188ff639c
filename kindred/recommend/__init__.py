"""Recommendations that fit the mood (a contextual bandit over a catalogue) and check-ins Kindred starts.

Entry points: ``recommend``, ``record_outcome``, ``pending_recommendation``,
``wants_to_be_heard`` / ``asks_for_suggestion`` / ``outcome_from_reply``;
``schedule_from_memory``, ``due_checkins``, ``deliver_due``.

Names load lazily: importing one of them (``kindred.recommend.checkins_repo`` for a table) must not pull
in numpy and the whole domain.
"""
from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "checkins": ("CheckIn", "CheckinSettings", "cancel_checkin", "checkin_settings", "configure_checkins",
                 "deliver_due", "due_checkins", "list_checkins", "mark_delivered", "schedule_after_low_mood",
                 "schedule_after_worry", "schedule_from_memory", "stop_checkins"),
    "intent": ("asks_for_suggestion", "outcome_from_reply", "wants_to_be_heard"),
    "recommender": ("Recommendation", "pending_recommendation", "recommend", "recommendation_history",
                    "record_outcome", "record_turn_feedback"),
    "when": ("parse_day",),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}
__all__ = [  # a literal list, for tools; tests/recommend/test_package.py keeps it in step with _WHERE
    "CheckIn", "CheckinSettings", "Recommendation", "asks_for_suggestion", "cancel_checkin", "checkin_settings",
    "configure_checkins", "deliver_due", "due_checkins", "list_checkins", "mark_delivered", "outcome_from_reply",
    "parse_day", "pending_recommendation", "recommend", "recommendation_history", "record_outcome",
    "record_turn_feedback", "schedule_after_low_mood", "schedule_after_worry", "schedule_from_memory",
    "stop_checkins", "wants_to_be_heard",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'kindred.recommend' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
