"""Where the database key comes from: a passphrase in the environment, stretched with scrypt.

The passphrase is read from ``KINDRED_PASSPHRASE`` and never from config.toml: a key
written in a file beside the database would protect nothing. The scrypt salt is the
first 16 bytes of the encrypted file itself (SQLCipher keeps its salt there), so the
database needs no side file that could be lost; only the passphrase must be kept.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache

PASSPHRASE_ENV = "KINDRED_PASSPHRASE"
SALT_BYTES = 16
KEY_BYTES = 32
# scrypt at N=2^15, r=8: about 0.2 s and 32 MiB on a laptop core, once per process and file
# (cached below), so a stolen file costs an attacker that much per guessed passphrase.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


def configured_passphrase(env: dict[str, str] | None = None) -> str | None:
    """The passphrase to use, or None: no passphrase means a plaintext database."""
    value = (os.environ if env is None else env).get(PASSPHRASE_ENV, "")
    return value or None


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


@lru_cache(maxsize=16)
def derive_key(passphrase: str, salt: bytes) -> bytes:
    """The 256-bit key for one file. Cached: short-lived connections must not pay the KDF each time."""
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                          maxmem=64 * 1024 * 1024, dklen=KEY_BYTES)


def sqlcipher_key_pragma(key: bytes, salt: bytes) -> str:
    """A raw key with its explicit salt: SQLCipher then skips its own (slow, per-connection) PBKDF2."""
    return f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\""
