"""Turning an existing database encrypted (or back to plaintext), without ever losing it.

The copy is written beside the original, checked (integrity and the row count of every
table), and only then moved over it in one rename. Any failure before the rename leaves
the original untouched and removes the half-written copy.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..database.encryption import PLAINTEXT_HEADER, PLAINTEXT_VIA_SQLCIPHER, file_header, is_encrypted
from ..database.sqlite import connect_sqlite
from ..errors import StoreError
from .keys import derive_key, new_salt


def encrypt_database(path: Path, passphrase: str) -> dict[str, int]:
    """Encrypt a plaintext database in place. Returns the rows per table that were carried over."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"There is no database at {path} yet.",
                         "Nothing to encrypt: with KINDRED_PASSPHRASE set, a new database is encrypted from the "
                         "start.", code="store-missing")
    if is_encrypted(path):
        raise StoreError(f"{path} is already encrypted.", "Nothing to do.", code="store-already-encrypted")
    counts = _settle_plaintext(path)
    salt = new_salt()
    key = derive_key(passphrase, salt)
    return _copy_over(path, counts, lambda: connect_sqlite(path, passphrase=PLAINTEXT_VIA_SQLCIPHER),
                      f"x'{key.hex()}{salt.hex()}'", lambda copy: connect_sqlite(copy, passphrase=passphrase))


def decrypt_database(path: Path, passphrase: str) -> dict[str, int]:
    """The way back: a plaintext database again (for a backup tool that must read it, say)."""
    path = Path(path)
    if file_header(path) in (b"", PLAINTEXT_HEADER):
        raise StoreError(f"{path} is not encrypted.", "Nothing to do.", code="store-not-encrypted")
    source = connect_sqlite(path, passphrase=passphrase)  # a wrong passphrase stops here, nothing changed
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = _row_counts(source)
    finally:
        source.close()
    return _copy_over(path, counts, lambda: connect_sqlite(path, passphrase=passphrase), "",
                      lambda copy: connect_sqlite(copy, passphrase=None))


def _settle_plaintext(path: Path) -> dict[str, int]:
    """Fold the WAL into the file and check it, so the copy starts from everything that was written."""
    db = connect_sqlite(path, passphrase=None)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise StoreError(f"{path} fails its integrity check ({verdict}); it was not encrypted.",
                             "Restore it from `kindred memory export` first.", code="store-corrupt")
        return _row_counts(db)
    finally:
        db.close()


def _row_counts(db) -> dict[str, int]:
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                      "'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _copy_over(path: Path, counts: dict[str, int], open_source, target_key: str, open_copy) -> dict[str, int]:
    copy = path.with_name(path.name + ".converting")
    for leftover in (copy, *_sidecars(copy)):
        leftover.unlink(missing_ok=True)  # a copy from an earlier, interrupted run: never the original
    try:
        source = open_source()
        try:
            # BEGIN IMMEDIATE: no other process may write while the copy is made.
            source.execute("BEGIN IMMEDIATE")
            source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(copy), target_key))
            source.execute("SELECT sqlcipher_export('converted')")
            source.execute("COMMIT")
            source.execute("DETACH DATABASE converted")
        finally:
            source.close()
        check = open_copy(copy)
        try:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
            copied = _row_counts(check)
        finally:
            check.close()
        if verdict != "ok" or copied != counts:
            raise StoreError(f"The converted copy of {path} did not match the original; the original is unchanged.",
                             "Please report this with `kindred doctor` output.", code="store-convert-failed")
        for sidecar in _sidecars(path):
            sidecar.unlink(missing_ok=True)  # the WAL was folded in above; a stale one must not meet the new file
        os.replace(copy, path)
    except BaseException:
        for leftover in (copy, *_sidecars(copy)):
            leftover.unlink(missing_ok=True)
        raise
    return copied


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
