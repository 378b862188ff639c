"""Thumbs up or down on a reply, kept per user and taught to the learning loop."""
from __future__ import annotations

from ..database.timestamps import utc_text
from ..learning import apply_feedback
from .db import ServerDatabase
from .errors import AccountError

RATINGS = {"up": 1, "down": -1}


class FeedbackBook:
    def __init__(self, db: ServerDatabase) -> None:
        self.db = db

    def rate(self, user: str, turn_id: str, rating: str | None) -> None:
        """Record ``up`` or ``down`` on the user's own reply; ``None`` clears it."""
        if not self._owns_reply(user, turn_id):
            raise AccountError("There is no such reply in your conversation.",
                               "Rate a reply shown on your own page.", code="reply-unknown")
        if rating is None:
            self.db.execute("DELETE FROM web_reply_ratings WHERE user_id = ? AND turn_id = ?", (user, turn_id))
            return
        if rating not in RATINGS:
            raise AccountError("A rating is 'up' or 'down'.", "Send {\"rating\": \"up\"} or \"down\".",
                               code="rating-invalid")
        self.db.execute(
            "INSERT INTO web_reply_ratings(user_id, turn_id, rating, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(user_id, turn_id) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at",
            (user, turn_id, RATINGS[rating], utc_text(timespec="seconds")))
        # The same signal the CLI's /good and /bad give: it rewards or penalises a suggestion in that reply.
        apply_feedback(self.db, user, turn_id, "good" if rating == "up" else "bad")

    def ratings(self, user: str) -> dict[str, str]:
        names = {value: key for key, value in RATINGS.items()}
        rows = self.db.rows("SELECT turn_id, rating FROM web_reply_ratings WHERE user_id = ?", (user,))
        return {turn_id: names[rating] for turn_id, rating in rows}

    def _owns_reply(self, user: str, turn_id: str) -> bool:
        # Read-only look at the memory domain's table: the reply must be this user's own.
        return bool(self.db.rows("SELECT 1 FROM turns WHERE user_id = ? AND turn_id = ? AND role = 'assistant'",
                                 (user, str(turn_id)[:64])))
