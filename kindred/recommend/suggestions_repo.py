"""The ``recommendations`` table: each suggestion as offered, and how it landed."""
from __future__ import annotations

from typing import Any

from ..database.tables import Repository, Tables

HISTORY = ("id", "arm", "item_id", "title", "context", "offered_at", "outcome", "reward", "turn_id")


class SuggestionsRepo(Repository):
    db: Tables  # ``offer`` needs the new row's id

    def history(self, user: str) -> list[dict[str, Any]]:
        """Every suggestion made to ``user``, oldest first, as dicts keyed by ``HISTORY``."""
        rows = self.db.read(f"SELECT {', '.join(HISTORY)} FROM recommendations WHERE user_id = ? ORDER BY id",
                            (user,))
        return [dict(zip(HISTORY, row)) for row in rows]

    def offer(self, user: str, turn_id: str, arm: str, item_id: str, title: str, context: str,
              offered_at: str) -> int:
        """Store one suggestion as offered; its id."""
        return self.db.insert("INSERT INTO recommendations(user_id, turn_id, arm, item_id, title, context, "
                              "offered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (user, turn_id, arm, item_id, title, context, offered_at))

    def exists(self, user: str, suggestion_id: int) -> bool:
        return bool(self.db.read("SELECT id FROM recommendations WHERE id = ? AND user_id = ?",
                                 (suggestion_id, user)))

    def set_outcome(self, user: str, suggestion_id: int, outcome: str, reward: float, at: str) -> None:
        self.db.write("UPDATE recommendations SET outcome = ?, reward = ?, outcome_at = ? WHERE id = ? AND user_id = ?",
                      (outcome, reward, at, suggestion_id, user))

    def for_turn(self, user: str, turn_id: str) -> list[tuple[int, str | None]]:
        """(id, outcome) of the suggestions a reply carried."""
        return [(int(i), o) for i, o in self.db.read(
            "SELECT id, outcome FROM recommendations WHERE user_id = ? AND turn_id = ?", (user, turn_id))]

    def latest_unanswered(self, user: str) -> tuple[int, str] | None:
        """(id, offered_at) of the newest suggestion with no outcome yet."""
        rows = self.db.read("SELECT id, offered_at FROM recommendations WHERE user_id = ? AND outcome IS NULL "
                            "ORDER BY id DESC LIMIT 1", (user,))
        return (int(rows[0][0]), rows[0][1]) if rows else None

    def count(self, user: str) -> int:
        return int(self.db.read("SELECT COUNT(*) FROM recommendations WHERE user_id = ?", (user,))[0][0])
