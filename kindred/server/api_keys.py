"""API keys: how OpenAI-compatible clients (Open WebUI, SillyTavern, the openai package) name an account.

A key is shown once, when it is made (``kindred keys create`` or the page), and kept only as its
SHA-256 digest, like a session token (``accounts.py``); unlike one it does not expire, so each has a
short public id (``key_…``) to list and revoke it by without ever showing the key again. A key
belongs to an account: the owner makes one for a terminal profile by giving it an account first
(``kindred account link NAME``), so a key never opens a profile nobody signed up for.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..database.timestamps import utc_text
from .accounts import normalise_name, token_digest
from .db import ServerDatabase
from .errors import ApiKeyError

KEY_PREFIX = "kindred-"  # says what a pasted key is for; the rest is 256 random bits
ID_PREFIX = "key_"
MAX_LABEL_CHARS = 80
MAX_KEY_CHARS = 200
# last_used_at is a hint for the owner ("is this key still in use?"), not an audit log: written at most
# this often per key, so a busy client does not turn every request into a write.
LAST_USED_RESOLUTION = timedelta(minutes=10)


@dataclass(frozen=True)
class ApiKey:
    id: str
    user: str
    label: str
    created_at: str
    last_used_at: str | None

    def as_json(self) -> dict:
        return {"id": self.id, "user": self.user, "label": self.label, "created_at": self.created_at,
                "last_used_at": self.last_used_at}


class ApiKeyBook:
    def __init__(self, db: ServerDatabase) -> None:
        self.db = db

    def create(self, raw_user: str, label: str = "") -> tuple[ApiKey, str]:
        """A new key for the account ``raw_user``: its record and the key itself (shown once, stored hashed)."""
        user = normalise_name(raw_user)
        if not self.db.rows("SELECT 1 FROM accounts WHERE user_id = ?", (user,)):
            raise ApiKeyError(f"There is no account '{user}'.",
                              f"Give the profile an account first: `kindred account link {user}` "
                              f"(or `kindred serve --add-account {user}`).", code="account-not-found")
        label = " ".join(str(label or "").split())[:MAX_LABEL_CHARS]
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        record = ApiKey(ID_PREFIX + secrets.token_hex(6), user, label, utc_text(timespec="seconds"), None)
        self.db.execute("INSERT INTO api_keys(id, token_sha256, user_id, label, created_at) VALUES (?, ?, ?, ?, ?)",
                        (record.id, token_digest(key), user, label, record.created_at))
        return record, key

    def listed(self, user: str | None = None) -> list[ApiKey]:
        """Every key (the owner at the terminal), or one account's (the page)."""
        sql = "SELECT id, user_id, label, created_at, last_used_at FROM api_keys"
        rows = self.db.rows(sql + " WHERE user_id = ? ORDER BY created_at, id", (user,)) if user is not None \
            else self.db.rows(sql + " ORDER BY user_id, created_at, id")
        return [ApiKey(*row) for row in rows]

    def revoke(self, key_or_id: str, *, user: str | None = None) -> ApiKey | None:
        """Revoke by the key itself or its public id; ``user`` limits it to that account's keys (the page).
        None when there is no such key (another account's looks exactly the same)."""
        text = str(key_or_id or "").strip()
        column, value = ("token_sha256", token_digest(text)) if text.startswith(KEY_PREFIX) else ("id", text)
        found = [k for k in self._find(column, value) if user is None or k.user == user]
        if not found:
            return None
        self.db.execute("DELETE FROM api_keys WHERE id = ?", (found[0].id,))
        return found[0]

    def user_for_key(self, key: str | None) -> str | None:
        """The account a key names, or None for no key, a revoked one or one that never was."""
        if not key or len(key) > MAX_KEY_CHARS or not key.startswith(KEY_PREFIX):
            return None
        rows = self.db.rows("SELECT id, user_id, last_used_at FROM api_keys WHERE token_sha256 = ?",
                            (token_digest(key),))
        if not rows:
            return None
        key_id, user, last_used = rows[0]
        now = datetime.now(UTC)
        if last_used is None or datetime.fromisoformat(last_used) < now - LAST_USED_RESOLUTION:
            self.db.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (utc_text(now, timespec="seconds"),
                                                                                 key_id))
        return user

    def _find(self, column: str, value: str) -> list[ApiKey]:
        rows = self.db.rows(f"SELECT id, user_id, label, created_at, last_used_at FROM api_keys WHERE {column} = ?",
                            (value,))
        return [ApiKey(*row) for row in rows]
