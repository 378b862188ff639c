"""Reading the ``affect_readings`` table (the turn loop writes it, through ``Store.add_affect``)."""
from __future__ import annotations

from ..database.tables import Repository


class ReadingsRepo(Repository):
    def timeline(self, user: str, since: str | None = None) -> list[tuple]:
        """(turn_id, valence, arousal, labels as JSON, created_at), oldest first; ``since``: an ISO time."""
        sql = "SELECT turn_id, valence, arousal, labels, created_at FROM affect_readings WHERE user_id = ?"
        params: list[object] = [user]
        if since is not None:
            sql += " AND created_at >= ?"
            params.append(since)
        return self.db.read(sql + " ORDER BY created_at, id", params)

    def latest(self, user: str) -> tuple | None:
        """(valence, arousal, labels as JSON, created_at) of the newest reading, or None."""
        rows = self.db.read("SELECT valence, arousal, labels, created_at FROM affect_readings "
                            "WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user,))
        return rows[0] if rows else None
