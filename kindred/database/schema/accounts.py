"""Tables of the server domain (see memory.py beside this file).

``accounts``: local users with argon2 password hashes; the account name is the
store's user id. ``auth_tokens``: session tokens, kept only as SHA-256 digests.
``web_reply_ratings``: thumbs up or down on one assistant reply.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("server-0001", """
    CREATE TABLE accounts (
        user_id TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE auth_tokens (
        token_sha256 TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES accounts(user_id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX auth_tokens_user ON auth_tokens(user_id);
    CREATE TABLE web_reply_ratings (
        user_id TEXT NOT NULL,
        turn_id TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, turn_id)
    );
    """),
]
