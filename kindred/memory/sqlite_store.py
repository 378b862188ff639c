"""SQLite under KINDRED_HOME, in WAL mode, with the migrations in ``migrations.py``."""
from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..errors import StoreError
from ..privacy.database import DatabaseError, connect
from .migrations import all_migrations
from .records import Session, StoredTurn


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class SQLiteStore:
    def __init__(self, path: Path, *, clock=utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            # Forgetting must be real: overwrite deleted rows instead of leaving them in free pages.
            self._db.execute("PRAGMA secure_delete=ON")
        except DatabaseError as exc:
            raise StoreError(
                f"The database {self.path} cannot be opened: {exc}",
                "If the file is damaged, move it aside (it is never deleted for you) and start again; "
                "`kindred doctor` checks it.", code="store-corrupt",
            ) from exc
        self._lock = threading.RLock()
        try:
            self._migrate()
        except DatabaseError as exc:
            message = str(exc)
            corrupt = "not a database" in message or "malformed" in message
            raise StoreError(
                f"The database {self.path} {'is damaged' if corrupt else 'could not be upgraded'}: {exc}",
                "Move the file aside (it is never deleted for you) and start again; `kindred doctor` checks it."
                if corrupt else "This is a bug in a schema migration; please report it with this message.",
                code="store-corrupt" if corrupt else "store-migration",
            ) from exc

    def _migrate(self) -> None:
        self._db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT)")
        applied = {row[0] for row in self._db.execute("SELECT id FROM schema_migrations")}
        for migration_id, script in all_migrations():
            if migration_id in applied:
                continue
            # executescript: migrations may hold triggers, whose bodies contain semicolons.
            try:
                self._db.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\n;INSERT INTO schema_migrations(id, applied_at) "
                    f"VALUES ('{migration_id}', '{iso(self.clock())}');\nCOMMIT;")
            except Exception:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                # Replicas starting together race to migrate the shared file: if another process
                # applied this one meanwhile, that is success, not a failed upgrade.
                if self._db.execute("SELECT 1 FROM schema_migrations WHERE id = ?", (migration_id,)).fetchone():
                    continue
                raise

    def _write(self, sql: str, params: Sequence[object] = ()):
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except DatabaseError as exc:
                raise StoreError(f"Could not write to {self.path}: {exc}",
                                 "Check the disk has space and the file is writable.") from exc

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    @contextmanager
    def transaction(self):
        """Several writes that land together or not at all (a forget, an import, a wipe)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except DatabaseError as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"Could not write to {self.path}: {exc}",
                                 "Check the disk has space and the file is writable.") from exc
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _ensure_user(self, user: str) -> None:
        self._write("INSERT OR IGNORE INTO users(id, created_at) VALUES (?, ?)", (user, iso(self.clock())))

    async def session_for(self, user: str, *, gap_minutes: int, new: bool = False) -> Session:
        self._ensure_user(user)
        now = self.clock()
        if not new:
            rows = self._read("SELECT id, started_at, last_active_at FROM sessions WHERE user_id = ? "
                              "ORDER BY last_active_at DESC LIMIT 1", (user,))
            if rows:
                sid, started, last = rows[0]
                if now - datetime.fromisoformat(last) <= timedelta(minutes=gap_minutes):
                    self._write("UPDATE sessions SET last_active_at = ? WHERE id = ? AND user_id = ?",
                                (iso(now), sid, user))
                    return Session(sid, user, started, iso(now))
        sid = uuid.uuid4().hex
        self._write("INSERT INTO sessions(id, user_id, started_at, last_active_at) VALUES (?, ?, ?, ?)",
                    (sid, user, iso(now), iso(now)))
        return Session(sid, user, iso(now), iso(now))

    async def add_turn(self, *, user: str, session_id: str, turn_id: str, role: str, text: str,
                       language: str, status: str = "ok", meta: dict | None = None) -> StoredTurn:
        self._ensure_user(user)
        created = iso(self.clock())
        cursor = self._write(
            "INSERT INTO turns(turn_id, user_id, session_id, role, text, language, status, meta, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (turn_id, user, session_id, role, text, language, status,
             json.dumps(meta or {}, ensure_ascii=False), created),
        )
        return StoredTurn(cursor.lastrowid, turn_id, user, session_id, role, text, language, status, created)

    async def set_turn_status(self, user: str, turn_id: str, role: str, status: str) -> None:
        self._write("UPDATE turns SET status = ? WHERE user_id = ? AND turn_id = ? AND role = ?",
                    (status, user, turn_id, role))

    async def recent_turns(self, user: str, *, session_id: str | None = None, limit: int = 10,
                           before_session: str | None = None) -> Sequence[StoredTurn]:
        sql = ("SELECT id, turn_id, user_id, session_id, role, text, language, status, created_at "
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
        return [StoredTurn(*row) for row in reversed(self._read(sql, params))]

    async def count_turns(self, user: str) -> int:
        return self._read("SELECT COUNT(*) FROM turns WHERE user_id = ?", (user,))[0][0]

    async def add_safety_event(self, *, user: str, turn_id: str, risk: str, category: str,
                               reasons: Sequence[str]) -> None:
        self._write("INSERT INTO safety_events(user_id, turn_id, risk, category, reasons, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (user, turn_id, risk, category, json.dumps(list(reasons), ensure_ascii=False),
                     iso(self.clock())))

    async def add_affect(self, *, user: str, turn_id: str, valence: float, arousal: float,
                         labels: Sequence[tuple[str, float]]) -> None:
        self._write("INSERT INTO affect_readings(user_id, turn_id, valence, arousal, labels, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (user, turn_id, valence, arousal, json.dumps([list(x) for x in labels]),
                     iso(self.clock())))

    async def load_feelings(self, user: str, scope: str) -> dict | None:
        rows = self._read("SELECT state FROM conversation_feelings WHERE user_id = ? AND scope = ?", (user, scope))
        return json.loads(rows[0][0]) if rows else None

    async def save_feelings(self, user: str, scope: str, state: dict) -> None:
        self._write("INSERT INTO conversation_feelings(user_id, scope, state, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(user_id, scope) DO UPDATE SET state = excluded.state, "
                    "updated_at = excluded.updated_at",
                    (user, scope, json.dumps(state, ensure_ascii=False), iso(self.clock())))

    def integrity_ok(self) -> bool:
        return self._read("PRAGMA integrity_check")[0][0] == "ok"

    async def close(self) -> None:
        with self._lock:
            self._db.close()
