"""The one way to open Kindred's SQLite file, so that encryption applies to every table.

Without a passphrase the file is plain SQLite (the standard library's driver). With
``KINDRED_PASSPHRASE`` set it is opened through SQLCipher (AES-256, every page and the
WAL encrypted and authenticated). Opening never changes a file that cannot be read:
a wrong passphrase, a missing one, or a plaintext file while a passphrase is set each
give a coded ``StoreError`` and leave the file exactly as it was.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import MissingExtraError, StoreError
from .keys import PASSPHRASE_ENV, configured_passphrase, derive_key, new_salt, sqlcipher_key_pragma

try:  # the `privacy` extra; only needed once a passphrase is set
    import sqlcipher3.dbapi2 as sqlcipher
except ImportError:  # pragma: no cover - depends on the installed extras
    sqlcipher = None

PLAINTEXT_HEADER = b"SQLite format 3\x00"
CIPHER_PAGE_BYTES = 4096  # SQLCipher 4's page size: an encrypted file is always whole pages
# What callers catch: the two drivers have parallel exception classes, not shared ones.
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError, *([sqlcipher.DatabaseError] if sqlcipher else []))
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError,
                                               *([sqlcipher.IntegrityError] if sqlcipher else []))


def file_header(path: Path) -> bytes:
    """The first 16 bytes: the SQLite magic string for a plaintext file, SQLCipher's salt otherwise."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(PLAINTEXT_HEADER))
    except FileNotFoundError:
        return b""


def is_encrypted(path: Path) -> bool:
    header = file_header(Path(path))
    return bool(header) and header != PLAINTEXT_HEADER


def connect(path: str | Path, *, read_only: bool = False, check_same_thread: bool = True, timeout: float = 10.0,
            passphrase: str | None = None):
    """A connection in autocommit mode (``isolation_level=None``); callers open their own transactions.

    ``passphrase``: given explicitly by the encrypt/decrypt commands; everyone else leaves it
    to the environment (``KINDRED_PASSPHRASE``).
    """
    path = Path(path)
    passphrase = passphrase or configured_passphrase()
    header = file_header(path)
    target = f"file:{path}?mode=ro" if read_only else str(path)
    if passphrase is None:
        if header and header != PLAINTEXT_HEADER and _whole_pages(path):
            raise StoreError(
                f"The database {path} looks encrypted, and no passphrase is set.",
                f"Set {PASSPHRASE_ENV} to the passphrase it was encrypted with. If it was never encrypted, the "
                "file is damaged: move it aside (it is never deleted for you); `kindred doctor` checks it.",
                code="store-locked")
        return sqlite3.connect(target, uri=read_only, check_same_thread=check_same_thread, isolation_level=None,
                               timeout=timeout)
    if header == PLAINTEXT_HEADER:
        raise StoreError(
            f"{PASSPHRASE_ENV} is set, but the database {path} is not encrypted yet.",
            "Encrypt it once with `kindred memory encrypt` (stop other Kindred processes first), "
            f"or unset {PASSPHRASE_ENV} to keep using it unencrypted.", code="store-not-encrypted")
    return _open_encrypted(path, target, passphrase, header, read_only=read_only,
                           check_same_thread=check_same_thread, timeout=timeout)


def _whole_pages(path: Path) -> bool:
    """An encrypted file, or (without the key, no way to tell) random bytes of the same shape."""
    size = path.stat().st_size
    return size > 0 and size % CIPHER_PAGE_BYTES == 0


def require_sqlcipher():
    if sqlcipher is None:
        raise MissingExtraError("privacy", "sqlcipher3", "Encrypting the database")
    return sqlcipher


def _open_encrypted(path: Path, target: str, passphrase: str, header: bytes, *, read_only: bool,
                    check_same_thread: bool, timeout: float):
    driver = require_sqlcipher()
    salt = header if len(header) == len(PLAINTEXT_HEADER) else new_salt()  # a new (or empty) file gets a new salt
    connection = driver.connect(target, uri=read_only, check_same_thread=check_same_thread, isolation_level=None,
                                timeout=timeout)
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
    return connection
