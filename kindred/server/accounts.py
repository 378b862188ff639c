"""Local accounts with argon2-hashed passwords, and the session tokens that name them.

A token is shown to its owner once and kept here only as its SHA-256 digest, so a
copy of the database does not let anyone sign in.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..database.timestamps import utc_text
from ..errors import ConflictError
from .db import ServerDatabase
from .errors import AccountError, AuthError

NAME_PATTERN = re.compile(r"^[\w.-]{1,40}$")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024
TOKEN_LIFETIME = timedelta(days=30)


def normalise_name(raw: str) -> str:
    name = unicodedata.normalize("NFKC", str(raw or "")).strip()
    if not NAME_PATTERN.match(name):
        raise AccountError("That name cannot be used.",
                           "Use 1 to 40 letters, digits, dots, dashes or underscores.", code="name-invalid")
    return name


def rate_key(raw: object) -> str:
    """The account a sign-in names, as its bucket key: the same for every spelling that names it."""
    return unicodedata.normalize("NFKC", raw if isinstance(raw, str) else "").strip()[:64]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccountBook:
    def __init__(self, db: ServerDatabase, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.hasher = hasher or PasswordHasher()
        self._decoy_hash = ""  # verified against for unknown names, so both failures take as long

    def count(self) -> int:
        return int(self.db.rows("SELECT COUNT(*) FROM accounts")[0][0])

    def exists(self, name: str) -> bool:
        return bool(self.db.rows("SELECT 1 FROM accounts WHERE user_id = ?", (name,)))

    def create(self, raw_name: str, password: str, *, reserved: str | None = None, linked: bool = False) -> str:
        """Add an account for the profile of its name.

        From the page (``linked`` False) only a profile with no data, and never ``reserved`` (the terminal's
        own profile, which may simply not have been used yet): choosing a name must not claim anyone's
        conversations. The owner at the terminal (``kindred account link``) gives an account its profile,
        data and all, and lets the terminal keep using it (``terminal_linked_at``).
        """
        name = normalise_name(raw_name)
        _check_password(password)
        if not linked and (name == reserved or self.db.rows("SELECT 1 FROM users WHERE id = ?", (name,))):
            raise _name_taken(name)
        now = utc_text(timespec="seconds")
        try:
            self.db.execute("INSERT INTO accounts(user_id, password_hash, created_at, terminal_linked_at) "
                            "VALUES (?, ?, ?, ?)", (name, self.hasher.hash(password), now, now if linked else None))
        except ConflictError as exc:
            raise _name_taken(name) from exc
        return name

    def link(self, raw_name: str) -> bool:
        """The owner says the account ``name`` is theirs: the terminal may use its profile. False: no such account."""
        name = normalise_name(raw_name)
        cursor = self.db.execute("UPDATE accounts SET terminal_linked_at = ? WHERE user_id = ?",
                                 (utc_text(timespec="seconds"), name))
        return bool(cursor.rowcount)

    def set_password(self, raw_name: str, password: str) -> None:
        name = normalise_name(raw_name)
        _check_password(password)
        self.db.execute("UPDATE accounts SET password_hash = ? WHERE user_id = ?", (self.hasher.hash(password), name))
        self.db.execute("DELETE FROM auth_tokens WHERE user_id = ?", (name,))

    def authenticate(self, raw_name: str, password: str) -> str:
        """The account's name if the password is right; the same error and time for any failure."""
        try:
            name = normalise_name(raw_name)
        except AccountError:
            name = ""
        rows = self.db.rows("SELECT password_hash FROM accounts WHERE user_id = ?", (name,)) if name else []
        if not rows and not self._decoy_hash:
            self._decoy_hash = self.hasher.hash(secrets.token_hex(16))
        stored = rows[0][0] if rows else self._decoy_hash
        try:
            self.hasher.verify(stored, str(password or "")[:MAX_PASSWORD_CHARS])
            ok = bool(rows)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            raise AuthError("The name or password is not right.", "Check both and try again.",
                            code="login-failed")
        if self.hasher.check_needs_rehash(stored):
            self.db.execute("UPDATE accounts SET password_hash = ? WHERE user_id = ?",
                            (self.hasher.hash(password), name))
        return name

    def issue_token(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        self.db.execute("INSERT INTO auth_tokens(token_sha256, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                        (token_digest(token), name, utc_text(now, timespec="seconds"),
                         utc_text(now + TOKEN_LIFETIME, timespec="seconds")))
        return token

    def user_for_token(self, token: str | None) -> str | None:
        if not token or len(token) > 200:
            return None
        rows = self.db.rows("SELECT user_id, expires_at FROM auth_tokens WHERE token_sha256 = ?",
                            (token_digest(token),))
        if not rows:
            return None
        name, expires = rows[0]
        if datetime.fromisoformat(expires) <= datetime.now(UTC):
            self.revoke(token)
            return None
        return name

    def revoke(self, token: str) -> None:
        self.db.execute("DELETE FROM auth_tokens WHERE token_sha256 = ?", (token_digest(token),))


def _name_taken(name: str) -> AccountError:
    return AccountError("That name is already taken.",
                        f"Choose another name; if '{name}' is your own terminal profile, run "
                        f"`kindred account link {name}` on the server instead.", code="name-taken")


def _check_password(password: str) -> None:
    if not isinstance(password, str) or not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise AccountError(f"A password needs at least {MIN_PASSWORD_CHARS} characters.",
                           "A short sentence you can remember works well.", code="password-weak")
