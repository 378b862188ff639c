"""`kindred keys create|list|revoke`: API keys for OpenAI-compatible clients (docs/integrations.md).

``create`` prints the new key alone on one line of standard output (so ``KEY=$(kindred keys create
--user mina)`` works) and everything else on standard error; the key is never shown again.
"""
from __future__ import annotations

import argparse
import json
import sys

from .common import settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("keys", help="API keys for OpenAI-compatible clients (Open WebUI, SillyTavern)",
                            description="API keys that let OpenAI-compatible clients talk to `kindred serve` "
                                        "as one account (POST /v1/chat/completions).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make a key for an account and print it (shown only once)")
    create.add_argument("--user", required=True, help="the account the key speaks for")
    create.add_argument("--label", default="", help="what the key is for, e.g. 'open-webui'")
    create.set_defaults(func=_create)
    listing = actions.add_parser("list", help="the keys (ids, accounts, labels, last use; never the keys)")
    listing.add_argument("--user", help="only this account's keys")
    listing.add_argument("--json", action="store_true", help="one JSON object")
    listing.set_defaults(func=_list)
    revoke = actions.add_parser("revoke", help="revoke a key by its id (key_…) or by the key itself")
    revoke.add_argument("key", metavar="KEY_OR_ID")
    revoke.set_defaults(func=_revoke)


def _book(args: argparse.Namespace):
    from .serve_cmd import require_server_packages

    require_server_packages()
    from ..server.api_keys import ApiKeyBook
    from ..server.db import ServerDatabase

    db = ServerDatabase(settings_from(argparse.Namespace()).database_location)
    return db, ApiKeyBook(db)


def _create(args: argparse.Namespace) -> int:
    db, book = _book(args)
    try:
        record, key = book.create(args.user, args.label)
    finally:
        db.close()
    print(key)
    print(f"API key {record.id} for '{record.user}': use it as the Bearer key of an OpenAI-compatible client "
          "(base URL http://127.0.0.1:8765/v1, model 'kindred'). It is not shown again.", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    db, book = _book(args)
    try:
        keys = book.listed(args.user)
    finally:
        db.close()
    if args.json:
        print(json.dumps({"keys": [k.as_json() for k in keys]}, ensure_ascii=False))
        return 0
    if not keys:
        print("No API keys. Make one with `kindred keys create --user NAME`.", file=sys.stderr)
        return 0
    for k in keys:
        print(f"{k.id}  {k.user:<20} created {k.created_at}  last used {k.last_used_at or 'never':<25} {k.label}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from ..server.errors import ApiKeyNotFoundError

    db, book = _book(args)
    try:
        revoked = book.revoke(args.key)
    finally:
        db.close()
    if revoked is None:
        raise ApiKeyNotFoundError("There is no such API key.", "`kindred keys list` shows the keys' ids.")
    print(f"Revoked API key {revoked.id} of '{revoked.user}': clients using it are refused from now on.")
    return 0
