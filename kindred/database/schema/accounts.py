"""Tables of the server domain (see memory.py beside this file).

``accounts``: local users with argon2 password hashes; the account name is the
store's user id. ``auth_tokens``: session tokens, kept only as SHA-256 digests.
``web_reply_ratings``: thumbs up or down on one assistant reply. ``api_keys``: the long-lived keys
OpenAI-compatible clients sign in with (``kindred keys``), kept only as SHA-256 digests; the column is
named ``token_sha256`` so export and wipe treat it as the credential it is (``memory/portable.py``).

Accounts and the terminal's profiles are one namespace: an account owns the profile of its
name, and the terminal (``kindred chat --user NAME``) may write there only once the owner
linked it (``accounts.terminal_linked_at``, set by ``kindred account link``), so a name taken
on the page never collects what someone types in the terminal (see ``kindred/privacy/profiles.py``).
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
    # Accounts made by `serve --add-account` for a profile that already had data were the owner's
    # doing (the page refused such names), so they count as linked; every other stays the page's.
    ("server-0002", """
    ALTER TABLE accounts ADD COLUMN terminal_linked_at TEXT;
    UPDATE accounts SET terminal_linked_at = created_at
        WHERE EXISTS (SELECT 1 FROM users WHERE users.id = accounts.user_id AND users.created_at < accounts.created_at);
    """),
    # Keys for the OpenAI-compatible endpoint (/v1): one account, many keys, each revocable by its public id.
    ("server-0003", """
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES accounts(user_id) ON DELETE CASCADE,
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        last_used_at TEXT
    );
    CREATE INDEX api_keys_user ON api_keys(user_id);
    """),
]
