"""Learning the user: feedback on replies and the preferences it teaches.

Entry points for the turn loop and the CLI: ``load_preferences``,
``apply_feedback``, ``reply_shape`` (or its parts ``preference_guidance``,
``max_tokens_for``, ``register_for``) and ``describe_preferences``.
"""
from __future__ import annotations

from .corrections import parse_corrections
from .feedback import (
    FeedbackRecord,
    apply_feedback,
    feedback_history,
    forget_preferences,
    load_preferences,
    save_preferences,
    set_preference,
)
from .preferences import (
    Change,
    PreferenceError,
    Preferences,
    ReplyShape,
    apply_changes,
    describe_preferences,
    max_tokens_for,
    preference_guidance,
    register_for,
    reply_shape,
)

__all__ = [
    "Change",
    "FeedbackRecord",
    "PreferenceError",
    "Preferences",
    "ReplyShape",
    "apply_changes",
    "apply_feedback",
    "describe_preferences",
    "feedback_history",
    "forget_preferences",
    "load_preferences",
    "max_tokens_for",
    "parse_corrections",
    "preference_guidance",
    "register_for",
    "reply_shape",
    "save_preferences",
    "set_preference",
]
