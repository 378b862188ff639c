"""The learning domain's tables: ``learned_preferences`` (one row per person) and ``reply_feedback`` (the log)."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from ..database.tables import Repository
from ..database.timestamps import utc_text
from .preferences import Change, Preferences


class PreferencesRepo(Repository):
    def load(self, user: str) -> Preferences:
        rows = self.db.read("SELECT data FROM learned_preferences WHERE user_id = ?", (user,))
        return Preferences.from_dict(json.loads(rows[0][0])) if rows else Preferences()

    def save(self, user: str, prefs: Preferences, now: datetime | None = None) -> None:
        self.db.write("INSERT INTO learned_preferences(user_id, data, updated_at) VALUES (?, ?, ?) "
                      "ON CONFLICT(user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                      (user, json.dumps(prefs.to_dict(), ensure_ascii=False), _stamp(now)))

    def forget(self, user: str) -> None:
        self.db.write("DELETE FROM learned_preferences WHERE user_id = ?", (user,))

    def log_feedback(self, user: str, turn_id: str, kind: str, text: str, changes: tuple[Change, ...],
                     now: datetime | None = None) -> None:
        """The feedback as given, with the changes read from it: where each preference came from."""
        self.db.write("INSERT INTO reply_feedback(user_id, turn_id, kind, text, changes, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      (user, turn_id, kind, text, json.dumps([c.__dict__ for c in changes], ensure_ascii=False),
                       _stamp(now)))

    def feedback(self, user: str, limit: int) -> list[tuple]:
        """The newest ``limit`` rows of the log: (id, turn_id, kind, text, changes as JSON, created_at)."""
        return self.db.read("SELECT id, turn_id, kind, text, changes, created_at FROM reply_feedback "
                            "WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user, limit))


def _stamp(now: datetime | None) -> str:
    return utc_text(now or datetime.now(UTC), timespec="seconds")
