"""Encryption at rest for the SQLite file: which driver opens it, and with which key.

Without a passphrase the file is plain SQLite (the standard library's driver). With
``KINDRED_PASSPHRASE`` set it is opened through SQLCipher (AES-256, every page and the
WAL encrypted and authenticated). Opening never changes a file that cannot be read:
a wrong passphrase, a missing one, or a plaintext file while a passphrase is set each
give a coded ``StoreError`` and leave the file exactly as it was. ``connect_sqlite``
(``sqlite.py``) is the only caller: the key is set before any other statement runs.
PostgreSQL has no part in this; its data at rest is the server's to encrypt.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from enum import Enum
from pathlib import Path
from typing import Any, Final

from ..errors import MissingExtraError, StoreError

# Where the key comes from (the environment, never config.toml) is the privacy domain's rule;
# keys.py imports nothing of Kindred's, so the layer does not depend on any domain through it.
from ..privacy.keys import PASSPHRASE_ENV, configured_passphrase, derive_key, new_salt, sqlcipher_key_pragma

try:  # the `privacy` extra; only needed once a passphrase is set
    import sqlcipher3.dbapi2 as sqlcipher
except ImportError:  # pragma: no cover - depends on the installed extras
    sqlcipher = None

PLAINTEXT_HEADER = b"SQLite format 3\x00"
CIPHER_PAGE_BYTES = 4096  # SQLCipher 4's page size: an encrypted file is always whole pages
# What the engine catches: the two drivers have parallel exception classes, not shared ones.
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError, *([sqlcipher.DatabaseError] if sqlcipher else []))
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError,
                                               *([sqlcipher.IntegrityError] if sqlcipher else []))


class Key(Enum):
    """``passphrase`` values for connect_sqlite besides None (plaintext) and a passphrase itself."""

    FROM_ENVIRONMENT = "KINDRED_PASSPHRASE decides (everyone but the encrypt/decrypt converters)"
    PLAINTEXT_VIA_SQLCIPHER = "a plain file opened by SQLCipher's driver, to export it encrypted"


# Final: the type checker then narrows ``passphrase is FROM_ENVIRONMENT`` like the member itself.
FROM_ENVIRONMENT: Final = Key.FROM_ENVIRONMENT
PLAINTEXT_VIA_SQLCIPHER: Final = Key.PLAINTEXT_VIA_SQLCIPHER


def file_header(path: Path) -> bytes:
    """The first 16 bytes: the SQLite magic string for a plaintext file, SQLCipher's salt otherwise."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(PLAINTEXT_HEADER))
    except FileNotFoundError:
        return b""


# Why the header is read once per file and process: POSIX drops every lock a process holds on a
# file when it closes any descriptor of it, SQLite's own locks included. Reading the header
# while this process had the database open would let another process's closing connection
# think it was the last, checkpoint, and delete the WAL and shared memory that replicas were
# still writing through: their later commits then vanish. Keyed by path and inode, so a file
# replaced by `memory encrypt`/`decrypt` (a rename: a new inode) is read again.
_known_headers: dict[str, tuple[int, int, bytes]] = {}
_known_lock = threading.Lock()


def _header_for_opening(path: Path) -> bytes:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return b""
    with _known_lock:
        known = _known_headers.get(str(path))
        if known is not None and known[:2] == (status.st_dev, status.st_ino):
            return known[2]
    return file_header(path)  # no connection of this process has this file open yet: safe to open and close


def _remember_header(path: Path, header: bytes) -> None:
    """After a successful open: what the header is (or, for a file just created, will be)."""
    status = os.stat(path)
    with _known_lock:
        _known_headers[str(path)] = (status.st_dev, status.st_ino, header)


def is_encrypted(path: Path) -> bool:
    header = file_header(Path(path))
    return bool(header) and header != PLAINTEXT_HEADER


def require_sqlcipher():
    if sqlcipher is None:
        raise MissingExtraError("privacy", "sqlcipher3", "Encrypting the database")
    return sqlcipher


def open_keyed(path: Path, passphrase: str | Key | None, *, timeout: float):
    """A connection to ``path`` with its key already set, in autocommit mode.

    ``passphrase``: FROM_ENVIRONMENT, None (plaintext, whatever the environment says: the
    converters), PLAINTEXT_VIA_SQLCIPHER, or the passphrase itself.
    """
    if passphrase is FROM_ENVIRONMENT:
        passphrase = configured_passphrase()
    options: dict[str, Any] = {"check_same_thread": False, "isolation_level": None, "timeout": timeout}
    if passphrase is PLAINTEXT_VIA_SQLCIPHER:
        return require_sqlcipher().connect(str(path), **options)
    header = _header_for_opening(path)
    if passphrase is None:
        if header and header != PLAINTEXT_HEADER and _whole_pages(path):
            raise StoreError(
                f"The database {path} looks encrypted, and no passphrase is set.",
                f"Set {PASSPHRASE_ENV} to the passphrase it was encrypted with. If it was never encrypted, the "
                "file is damaged: move it aside (it is never deleted for you); `kindred doctor` checks it.",
                code="store-locked")
        connection = sqlite3.connect(path, **options)
        _remember_header(path, header or PLAINTEXT_HEADER)
        return connection
    if header == PLAINTEXT_HEADER:
        raise StoreError(
            f"{PASSPHRASE_ENV} is set, but the database {path} is not encrypted yet.",
            "Encrypt it once with `kindred memory encrypt` (stop other Kindred processes first), "
            f"or unset {PASSPHRASE_ENV} to keep using it unencrypted.", code="store-not-encrypted")
    return _open_encrypted(path, passphrase, header, options)


def _whole_pages(path: Path) -> bool:
    """An encrypted file, or (without the key, no way to tell) random bytes of the same shape."""
    size = path.stat().st_size
    return size > 0 and size % CIPHER_PAGE_BYTES == 0


def _open_encrypted(path: Path, passphrase: str, header: bytes, options: dict):
    driver = require_sqlcipher()
    salt = header if len(header) == len(PLAINTEXT_HEADER) else new_salt()  # a new (or empty) file gets a new salt
    connection = driver.connect(str(path), **options)
    try:
        # SQLCipher logs a failed key to stderr; the coded error below says it better.
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(sqlcipher_key_pragma(derive_key(passphrase, salt), salt))
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the first read checks the key
    except driver.DatabaseError as exc:
        connection.close()
        raise StoreError(
            f"The database {path} cannot be opened with this passphrase: {exc}.",
            f"Check {PASSPHRASE_ENV} (a wrong passphrase changes nothing in the file). If the passphrase is right, "
            "the file is damaged: restore it from a backup or `kindred memory export`.",
            code="store-wrong-key") from exc
    _remember_header(path, salt)
    return connection
