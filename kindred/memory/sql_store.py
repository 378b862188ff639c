"""The ``Store`` over a ``Database``: the same SQL serves SQLite and PostgreSQL."""
from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from ..database import Database, Location
from ..database.handles import acquire, release_or_close
from ..database.timestamps import utc_text
from ..database.worker import off_loop
from ..errors import ConflictError, StoredStateError, StoreError
from .records import Session, StoredTurn

SET_ASIDE_SCOPE = "set-aside:"  # conversation_feelings rows that could not be read, kept for inspection
REPAIRED = '{"repaired": "start-up"}'  # the meta of an assistant row written for a turn a crash left unanswered
log = logging.getLogger("kindred.store")


def utc_now() -> datetime:
    return datetime.now(UTC)


class SQLStore:
    def __init__(self, database: Database, *, clock=utc_now) -> None:
        self.database = database
        self.clock = clock
        self._closed = False

    @property
    def location(self) -> Location:
        return self.database.location

    # The memory domain's repositories (``book``, ``keywords``, ``vectors``, ``portable``) build on these:
    # public, so nothing reaches into the store's privates or its connection.
    def write(self, sql: str, params: Sequence[object] = ()):
        """One statement on the store's connection; its cursor (``rowcount``, any RETURNING rows)."""
        return self.database.write(sql, params)

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """One query's rows, as tuples."""
        return self.database.read(sql, params)

    async def call(self, fn, /, *args, **kwargs):
        """``fn`` on the database's one thread: every async method here runs its statements there, off the loop."""
        return await self.database.call(fn, *args, **kwargs)

    def transaction(self):
        """Several writes that land together or not at all (a forget, an import, a wipe)."""
        return self.database.transaction()

    def ensure_user(self, user: str) -> None:
        """The ``users`` row every turn, session and memory refers to."""
        self.write("INSERT INTO users(id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    (user, utc_text(self.clock())))

    @off_loop
    def session_for(self, user: str, *, gap_minutes: int, new: bool = False) -> Session:
        self.ensure_user(user)
        now = self.clock()
        if not new:
            rows = self.read("SELECT id, started_at, last_active_at FROM sessions WHERE user_id = ? "
                              "ORDER BY last_active_at DESC LIMIT 1", (user,))
            if rows:
                sid, started, last = rows[0]
                if now - datetime.fromisoformat(last) <= timedelta(minutes=gap_minutes):
                    self.write("UPDATE sessions SET last_active_at = ? WHERE id = ? AND user_id = ?",
                                (utc_text(now), sid, user))
                    return Session(sid, user, started, utc_text(now))
        sid = uuid.uuid4().hex
        self.write("INSERT INTO sessions(id, user_id, started_at, last_active_at) VALUES (?, ?, ?, ?)",
                    (sid, user, utc_text(now), utc_text(now)))
        return Session(sid, user, utc_text(now), utc_text(now))

    @off_loop
    def add_turn(self, *, user: str, session_id: str, turn_id: str, role: str, text: str,
                       language: str, status: str = "ok", meta: dict | None = None) -> StoredTurn:
        self.ensure_user(user)
        created = utc_text(self.clock())
        # A reply replaces the placeholder that a start-up repair wrote while this turn was still running
        # (another process opened the store meanwhile); any other second row for the turn is a conflict.
        row = self.write(
            "INSERT INTO turns(turn_id, user_id, session_id, role, text, language, status, meta, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (turn_id, role) DO UPDATE SET text = excluded.text, "
            "status = excluded.status, meta = excluded.meta, created_at = excluded.created_at "
            "WHERE turns.role = 'assistant' AND turns.user_id = excluded.user_id AND turns.meta = ? RETURNING id",
            (turn_id, user, session_id, role, text, language, status,
             json.dumps(meta or {}, ensure_ascii=False), created, REPAIRED),
        ).fetchone()
        if row is None:
            raise ConflictError(f"Turn {turn_id} already has a {role} row.", "Each turn is stored once per side.")
        return StoredTurn(int(row[0]), turn_id, user, session_id, role, text, language, status, created, meta or {})

    def answer_unanswered(self) -> int:
        """Give every user turn without an assistant row one, marked interrupted; how many it wrote.

        The turn loop writes that row however a turn ends, except when the process itself dies
        (kill -9, power loss) between storing the words and the reply. Run when the store opens.
        """
        return self.write(
            "INSERT INTO turns(turn_id, user_id, session_id, role, text, language, status, meta, created_at) "
            "SELECT u.turn_id, u.user_id, u.session_id, 'assistant', '', u.language, 'interrupted', ?, ? "
            "FROM turns u WHERE u.role = 'user' AND NOT EXISTS "
            "(SELECT 1 FROM turns a WHERE a.turn_id = u.turn_id AND a.role = 'assistant') "
            "ON CONFLICT (turn_id, role) DO NOTHING",
            (REPAIRED, utc_text(self.clock())),
        ).rowcount

    @off_loop
    def set_turn_status(self, user: str, turn_id: str, role: str, status: str) -> None:
        self.write("UPDATE turns SET status = ? WHERE user_id = ? AND turn_id = ? AND role = ?",
                    (status, user, turn_id, role))

    @off_loop
    def recent_turns(self, user: str, *, session_id: str | None = None, limit: int = 10,
                           before_session: str | None = None) -> Sequence[StoredTurn]:
        sql = ("SELECT id, turn_id, user_id, session_id, role, text, language, status, created_at, meta "
               "FROM turns WHERE user_id = ?")
        params: list[object] = [user]
        if session_id is not None:
            sql += " AND session_id = ?"
            params.append(session_id)
        if before_session is not None:
            sql += " AND session_id != ?"
            params.append(before_session)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        # One tuple of ten: mypy counts a starred slice as filling every field, meta too.
        return [StoredTurn(*(row[:9] + (_meta(row[9]),))) for row in reversed(self.read(sql, params))]

    @off_loop
    def count_turns(self, user: str, *, session_id: str | None = None) -> int:
        if session_id is None:
            return int(self.read("SELECT COUNT(*) FROM turns WHERE user_id = ?", (user,))[0][0])
        return int(self.read("SELECT COUNT(*) FROM turns WHERE user_id = ? AND session_id = ?",
                              (user, session_id))[0][0])

    @off_loop
    def add_safety_event(self, *, user: str, turn_id: str, risk: str, category: str,
                               reasons: Sequence[str]) -> None:
        self.write("INSERT INTO safety_events(user_id, turn_id, risk, category, reasons, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (user, turn_id, risk, category, json.dumps(list(reasons), ensure_ascii=False),
                     utc_text(self.clock())))

    @off_loop
    def add_affect(self, *, user: str, turn_id: str, valence: float, arousal: float,
                         labels: Sequence[tuple[str, float]]) -> None:
        self.write("INSERT INTO affect_readings(user_id, turn_id, valence, arousal, labels, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (user, turn_id, float(valence), float(arousal), json.dumps([list(x) for x in labels]),
                     utc_text(self.clock())))

    @off_loop
    def load_feelings(self, user: str, scope: str) -> dict | None:
        rows = self.read("SELECT state FROM conversation_feelings WHERE user_id = ? AND scope = ?", (user, scope))
        return _feelings(scope, rows[0][0]) if rows else None

    @off_loop
    def set_aside_feelings(self, user: str, scope: str, why: dict) -> str | None:
        """Move a row that cannot be read out of the way, kept as it was: under ``set-aside:<when>:<scope>``,
        its text beside why. Returns the new scope, or None when another replica moved it first."""
        now = utc_text(self.clock())
        aside = f"{SET_ASIDE_SCOPE}{now}:{scope}"
        with self.transaction() as db:
            # DELETE … RETURNING hands the row to one caller only, however many replicas found it bad at once.
            rows = db.execute("DELETE FROM conversation_feelings WHERE user_id = ? AND scope = ? RETURNING state",
                              (user, scope)).fetchall()
            if not rows:
                return None
            db.execute("INSERT INTO conversation_feelings(user_id, scope, state, updated_at) VALUES (?, ?, ?, ?)",
                       (user, aside, json.dumps({"set_aside": why, "stored": rows[0][0]}, ensure_ascii=False), now))
        return aside

    @off_loop
    def save_feelings(self, user: str, scope: str, state: dict) -> None:
        # One upsert, so two replicas saving the same conversation at once leave one row, the last. It counts
        # as a save (version + 1): a turn holding an older version then merges instead of overwriting it.
        self.write("INSERT INTO conversation_feelings(user_id, scope, state, updated_at, version) "
                    "VALUES (?, ?, ?, ?, 1) ON CONFLICT(user_id, scope) DO UPDATE SET state = excluded.state, "
                    "updated_at = excluded.updated_at, version = conversation_feelings.version + 1",
                    (user, scope, json.dumps(state, ensure_ascii=False), utc_text(self.clock())))

    @off_loop
    def load_feelings_versioned(self, user: str, scope: str) -> tuple[dict | None, int]:
        """``load_feelings`` and the row's version (0: no row yet), for ``save_feelings_versioned``."""
        # One statement: the state and its version as one save left them, whichever process saved.
        rows = self.read("SELECT state, version FROM conversation_feelings WHERE user_id = ? AND scope = ?",
                         (user, scope))
        return (_feelings(scope, rows[0][0]), int(rows[0][1])) if rows else (None, 0)

    @off_loop
    def save_feelings_versioned(self, user: str, scope: str, state: dict, *, version: int) -> bool:
        """Save only over ``version`` (0: only if there is no row); False when another save came first."""
        text, now = json.dumps(state, ensure_ascii=False), utc_text(self.clock())
        if version == 0:
            cursor = self.write("INSERT INTO conversation_feelings(user_id, scope, state, updated_at, version) "
                                "VALUES (?, ?, ?, ?, 1) ON CONFLICT(user_id, scope) DO NOTHING",
                                (user, scope, text, now))
        else:
            cursor = self.write("UPDATE conversation_feelings SET state = ?, updated_at = ?, version = version + 1 "
                                "WHERE user_id = ? AND scope = ? AND version = ?", (text, now, user, scope, version))
        return cursor.rowcount == 1

    def integrity_ok(self) -> bool:
        return self.database.integrity_problem() is None

    async def close(self) -> None:
        """Let go of the process's handle (the last holder closes it); a database given to the store is closed."""
        if not self._closed:  # a second close must not let go of another holder's share of the handle
            self._closed = True
            release_or_close(self.database)


def open_sql_store(location: Location, *, clock=utc_now) -> SQLStore:
    """The store at a SQLite path or a postgresql:// URL, migrated, every stored user turn answered.

    It runs on the process's one handle for that location (``database.handles``): the preferences,
    suggestions and check-ins the turn loop touches, and the server's tables, share its connection."""
    store = SQLStore(acquire(location, migrate=True), clock=clock)
    try:
        repaired = store.answer_unanswered()
    except StoreError as exc:  # a read-only home still opens, for reading and export
        log.warning("could not mark the turns a crash left unanswered: %s", exc.message)
    else:
        if repaired:
            log.info("marked %d turn(s) left unanswered by a crash as interrupted", repaired)
    return store


def _feelings(scope: str, raw: str) -> dict | None:
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise StoredStateError(f"The stored feelings ({scope}) are not valid JSON: {exc}.",
                               "It is set aside and started afresh by whoever reads it (affect/restore.py).",
                               code="carried-json-invalid") from exc


def _meta(raw: object) -> dict:
    """A turn's meta column: JSON text on SQLite, already a dict from PostgreSQL's jsonb; {} when unreadable."""
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, (str, bytes)) and raw else {}
    except (TypeError, ValueError):
        return {}  # a damaged meta costs the notes it held, never the turn
    return value if isinstance(value, dict) else {}
