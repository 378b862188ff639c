"""The check-in tables: ``checkins`` (each planned message and its state) and ``checkin_settings`` (opt-in,
quiet hours, daily cap, snooze: one row per person). Rows come back as stored; ``checkins.py`` reads them."""
from __future__ import annotations

from collections.abc import Sequence

from ..database.tables import Repository

COLUMNS = "id, reason, message, language, due_at, expires_at, status, source_text"
SETTINGS = "enabled, quiet_start, quiet_end, daily_cap, snoozed_until"


class CheckinsRepo(Repository):
    def settings(self, user: str) -> tuple | None:
        """(enabled, quiet_start, quiet_end, daily_cap, snoozed_until) as stored, or None: never set."""
        rows = self.db.read(f"SELECT {SETTINGS} FROM checkin_settings WHERE user_id = ?", (user,))
        return rows[0] if rows else None

    def save_settings(self, user: str, values: Sequence[object]) -> None:
        """``values``: the five ``SETTINGS`` columns, in order."""
        self.db.write(f"INSERT INTO checkin_settings(user_id, {SETTINGS}) VALUES (?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(user_id) DO UPDATE SET enabled = excluded.enabled, "
                      "quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, "
                      "daily_cap = excluded.daily_cap, snoozed_until = excluded.snoozed_until", (user, *values))

    def lock_settings(self, user: str) -> bool:
        """Inside a transaction: lock the person's settings row (a no-op update takes PostgreSQL's row lock;
        SQLite's BEGIN IMMEDIATE has locked the file already). False: no row, never opted in."""
        return bool(self.db.write("UPDATE checkin_settings SET daily_cap = daily_cap WHERE user_id = ?", (user,)))

    def delivered_since(self, user: str, start: str) -> int:
        return int(self.db.read("SELECT COUNT(*) FROM checkins WHERE user_id = ? AND status = 'delivered' "
                                "AND delivered_at >= ?", (user, start))[0][0])

    def due(self, user: str, now: str, limit: int) -> list[tuple]:
        """Pending check-ins due by ``now`` and not yet expired, soonest first."""
        return self.db.read(f"SELECT {COLUMNS} FROM checkins WHERE user_id = ? AND status = 'pending' "
                            "AND due_at <= ? AND expires_at > ? ORDER BY due_at LIMIT ?", (user, now, now, limit))

    def claim(self, user: str, checkin_id: int, at: str) -> bool:
        """Pending to delivered in one conditional UPDATE: True only for the one caller whose update changed it."""
        return self.db.write("UPDATE checkins SET status = 'delivered', delivered_at = ? WHERE id = ? "
                             "AND user_id = ? AND status = 'pending' AND delivered_at IS NULL",
                             (at, checkin_id, user)) == 1

    def listed(self, user: str, *, include_done: bool) -> list[tuple]:
        where = "" if include_done else " AND status = 'pending'"
        return self.db.read(f"SELECT {COLUMNS} FROM checkins WHERE user_id = ?{where} ORDER BY due_at", (user,))

    def cancel(self, user: str, checkin_id: int | None) -> int:
        """Cancel one pending check-in, or all (None); how many are cancelled now that were not before."""
        sql = "UPDATE checkins SET status = 'cancelled' WHERE user_id = ? AND status = 'pending'"
        params: list[object] = [user]
        if checkin_id is not None:
            sql += " AND id = ?"
            params.append(checkin_id)
        before = self._cancelled(user)
        self.db.write(sql, params)
        return self._cancelled(user) - before

    def _cancelled(self, user: str) -> int:
        return int(self.db.read("SELECT COUNT(*) FROM checkins WHERE user_id = ? AND status = 'cancelled'",
                                (user,))[0][0])

    def add(self, user: str, reason: str, source: str, message: str, language: str, due: str, expires: str,
            created: str) -> tuple:
        """Plan one check-in; the same reason at the same time is one row (UNIQUE), returned either way."""
        self.db.write("INSERT INTO checkins(user_id, reason, source_text, message, language, due_at, "
                      "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                      (user, reason, source, message, language, due, expires, created))
        return self.db.read(f"SELECT {COLUMNS} FROM checkins WHERE user_id = ? AND reason = ? AND due_at = ?",
                            (user, reason, due))[0]
