"""`kindred account link NAME`: the owner, at the terminal, gives a web account its profile.

Accounts and terminal profiles are one namespace (``kindred/privacy/profiles.py``). The page can
only make an account for a name with no data, and the terminal refuses a profile the page made;
linking is how the owner joins the two on purpose: an existing account may then be used from the
terminal too, and a terminal profile with data gets an account (password asked) to sign in with.
"""
from __future__ import annotations

import argparse

from .common import settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("account", help="web accounts and the terminal's profiles",
                            description="Web accounts and the terminal's profiles share one set of names.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    link = actions.add_parser("link", help="join a web account and the terminal profile of the same name",
                              description="Let the terminal use the web account NAME's profile, or give the "
                                          "terminal profile NAME an account (its password from KINDRED_PASSWORD "
                                          "or asked).")
    link.add_argument("name")
    link.set_defaults(func=_link)


def _link(args: argparse.Namespace) -> int:
    from .serve_cmd import ask_password, require_server_packages

    require_server_packages()
    from ..server.accounts import AccountBook
    from ..server.db import ServerDatabase

    db = ServerDatabase(settings_from(args).database_location)
    try:
        accounts = AccountBook(db)
        if accounts.link(args.name):
            print(f"Linked: the terminal may now use the profile of the web account '{args.name}' "
                  f"(`kindred chat --user {args.name}`).")
            return 0
        name = accounts.create(args.name, ask_password(), linked=True)
        print(f"Account '{name}' created for the terminal profile '{name}': sign in on the page with it.")
        return 0
    finally:
        db.close()
