"""`kindred forget-me`, and `kindred memory encrypt|decrypt` (registered by memory_cmd)."""
from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys

from ..config import Settings, load_settings
from ..errors import InputError, StoreError
from ..privacy.keys import PASSPHRASE_ENV, configured_passphrase


def register(sub: argparse._SubParsersAction) -> None:
    forget = sub.add_parser(
        "forget-me", help="erase everything Kindred keeps about a user, everywhere, and say what was erased",
        description="Deletes every row about the user in every table (conversations, memories, vectors, "
                    "feelings, safety events, recommendations, preferences, check-ins, the web account and its "
                    "sessions), then scrubs the freed bytes from the SQLite database file. On PostgreSQL the rows are "
                    "deleted the same way; old row versions in the server's files, WAL and backups are the "
                    "server's to clear. This cannot be undone.")
    forget.add_argument("--user", help="whose data (default: the local user)")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation (for scripts)")
    forget.add_argument("--json", action="store_true", help="print the counts as JSON")
    forget.set_defaults(func=forget_me)


def add_encryption_actions(actions: argparse._SubParsersAction) -> None:
    encrypting = actions.add_parser("encrypt", help=f"encrypt the database at rest with the passphrase in "
                                                    f"{PASSPHRASE_ENV} (asked for when unset)")
    encrypting.set_defaults(func=encrypt)
    decrypting = actions.add_parser("decrypt", help="turn an encrypted database back into plain SQLite")
    decrypting.set_defaults(func=decrypt)


def forget_me(args: argparse.Namespace) -> int:
    from ..memory.store import open_store
    from ..privacy.forget import forget_user

    settings = load_settings(user=args.user)
    user = settings.user
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError("Forgetting a user needs confirmation.", "Run it in a terminal, or add --yes.")
        answer = input(f"Erase everything Kindred keeps about '{user}', for good? Type the name to confirm: ")
        if answer.strip() != user:
            print("Nothing erased.")
            return 1
    store = open_store(settings)
    try:
        forgotten = forget_user(store, user, home=settings.home)
    finally:
        asyncio.run(store.close())
    counts = forgotten.counts
    if forgotten.scrubbed is None and counts:
        print("kindred: the rows are deleted from PostgreSQL. Its own files, WAL and backups may keep old row "
              "versions until the server vacuums and reuses the space (and backups expire); that part is the "
              "database operator's to scrub.", file=sys.stderr)
    elif forgotten.scrubbed is False:
        print("kindred: another Kindred process has the database open, so the old pages may remain in its log "
              "until it stops. Stop `kindred serve`/`chat` and run forget-me again to scrub them.", file=sys.stderr)
    if args.json:
        print(json.dumps({"user": user, "erased": counts, "total": sum(counts.values()),
                          "scrubbed": forgotten.scrubbed}))
    elif not counts:
        print(f"Kindred kept nothing about '{user}'.")
    else:
        width = max(len(name) for name in counts)
        print("\n".join(f"  {name:<{width}}  {n:>6}" for name, n in sorted(counts.items())))
        print(f"Erased {sum(counts.values())} rows and files about '{user}'.")
    return 0


def _sqlite_only(settings: Settings, action: str) -> None:
    """SQLCipher encrypts a file: a PostgreSQL database's data at rest is its server's to encrypt."""
    if settings.database_url:
        raise StoreError(f"`kindred memory {action}` works on the SQLite file, and KINDRED_DATABASE_URL points at "
                         "PostgreSQL.", "Encrypt PostgreSQL's storage on the server (disk or volume encryption, or "
                         "the provider's encryption at rest); unset KINDRED_DATABASE_URL to work on the SQLite file.",
                         code="store-encryption-sqlite-only")


def encrypt(args: argparse.Namespace) -> int:
    from ..privacy.migrate import encrypt_database

    settings = load_settings()
    _sqlite_only(settings, "encrypt")
    passphrase = configured_passphrase() or _ask_new_passphrase()
    counts = encrypt_database(settings.database_path, passphrase)
    print(f"Encrypted {settings.database_path} ({sum(counts.values())} rows checked). From now on set "
          f"{PASSPHRASE_ENV} to open it; without the passphrase nobody can read it, and neither can you.")
    return 0


def decrypt(args: argparse.Namespace) -> int:
    from ..privacy.migrate import decrypt_database

    settings = load_settings()
    _sqlite_only(settings, "decrypt")
    passphrase = configured_passphrase() or _ask("Passphrase: ")
    counts = decrypt_database(settings.database_path, passphrase)
    print(f"Decrypted {settings.database_path} ({sum(counts.values())} rows checked); unset {PASSPHRASE_ENV}.")
    return 0


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise InputError(f"No passphrase: {PASSPHRASE_ENV} is not set.", f"Set {PASSPHRASE_ENV}, or run in a terminal.")
    return getpass.getpass(prompt)


def _ask_new_passphrase() -> str:
    first = _ask("New passphrase (at least 8 characters): ")
    if len(first) < 8:
        raise InputError("That passphrase is too short.", "Use at least 8 characters; a few words is best.")
    if _ask("The same again: ") != first:
        raise InputError("The two passphrases differ.", "Run it again.")
    return first
