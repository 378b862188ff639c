"""The ``person_timezones`` table: each person's zone and who set it (the person, or their browser)."""
from __future__ import annotations

from ..database.tables import Repository


class ZonesRepo(Repository):
    def get(self, user: str) -> tuple[str, str] | None:
        """(zone name, set_by) as stored, or None."""
        rows = self.db.read("SELECT timezone, set_by FROM person_timezones WHERE user_id = ?", (user,))
        return (rows[0][0], rows[0][1]) if rows else None

    def put(self, user: str, name: str, by: str, stamp: str, *, keep_choice: bool) -> None:
        """Store a zone; ``keep_choice``: a report, which never replaces the person's own choice."""
        # The upsert's WHERE leaves a chosen row as it is.
        unless_chosen = " WHERE person_timezones.set_by = 'browser'" if keep_choice else ""
        self.db.write("INSERT INTO person_timezones(user_id, timezone, set_by, updated_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT(user_id) DO UPDATE SET timezone = excluded.timezone, set_by = excluded.set_by, "
                      f"updated_at = excluded.updated_at{unless_chosen}", (user, name, by, stamp))

    def forget(self, user: str) -> None:
        self.db.write("DELETE FROM person_timezones WHERE user_id = ?", (user,))
