"""`kindred serve`: the web page and API on this machine (127.0.0.1 unless told otherwise)."""
from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys

from ..errors import InputError, KindredError, MissingExtraError
from .common import add_llm_options, assembling_progress, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="serve the web page and API",
                            description="Serve Kindred's page and API. Listens on 127.0.0.1 unless --host says "
                                        "otherwise; beyond this machine it needs accounts (see --add-account).")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="N server processes on this port sharing one database (default: 1); "
                             "with --llm-url they share the LLM server too")
    add_llm_options(parser)
    parser.add_argument("--log-events", metavar="FILE",
                        help="append every event the sockets send to FILE as JSON lines (workers share it)")
    access = parser.add_argument_group("access")
    access.add_argument("--add-account", metavar="NAME",
                        help="create an account (password from KINDRED_PASSWORD or asked) and exit")
    access.add_argument("--no-auth", action="store_true",
                        help="loopback only: no sign-in, everyone is the local user (--user)")
    signup = access.add_mutually_exclusive_group()
    signup.add_argument("--allow-signup", dest="allow_signup", action="store_true", default=None,
                        help="let the page create accounts (default: only on loopback)")
    signup.add_argument("--no-signup", dest="allow_signup", action="store_false",
                        help="accounts only from the command line")
    access.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="a host name the server is reached by (repeatable)")
    access.add_argument("--allow-origin", action="append", default=[], metavar="URL",
                        help="another page origin allowed to connect, e.g. https://kindred.example (repeatable)")
    access.add_argument("--behind-https", action="store_true",
                        help="a load balancer or proxy serves the page over https: mark sign-in cookies Secure")
    access.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                        help="a reverse proxy or load balancer (IP or network, e.g. 127.0.0.1 or 10.0.0.0/8) whose "
                             "X-Forwarded-For names the client, so limits count people, not the proxy (repeatable)")
    capacity = parser.add_argument_group("capacity (per replica)")
    capacity.add_argument("--micro-batch", action="store_true",
                          help="encode concurrent turns' messages together (emotion encoder, memory passages); "
                               "off by default until measured faster on an idle machine (docs/deploy.md)")
    capacity.add_argument("--running-turns", type=int, metavar="N",
                          help="turns answered at once, up to their reply (default: 256; docs/deploy.md)")
    capacity.add_argument("--waiting-turns", type=int, metavar="N",
                          help="turns more that wait their turn in order; beyond them a turn is refused as "
                               "server-busy with Retry-After (default: 1000)")
    parser.set_defaults(func=run)


def require_server_packages() -> None:
    import importlib

    for module in ("starlette", "uvicorn", "websockets", "argon2"):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise MissingExtraError("server", module, "The web server") from exc


def run(args: argparse.Namespace) -> int:
    require_server_packages()
    from ..server import create_app, options_for_bind
    from ..server.accounts import AccountBook
    from ..server.db import ServerDatabase
    from ..server.runner import serve_forever

    settings = settings_from(args)
    db = ServerDatabase(settings.database_location)
    accounts = AccountBook(db)
    if args.add_account:
        name = accounts.create(args.add_account, ask_password(), linked=True)
        print(f"Account '{name}' created. Sign in at http://{args.host}:{args.port}/")
        return 0
    options = options_for_bind(args.host, args.port, accounts=accounts.count(), no_auth=args.no_auth,
                               allow_signup=args.allow_signup, allowed_hosts=tuple(args.allow_host),
                               extra_origins=tuple(args.allow_origin), trusted_proxies=tuple(args.trusted_proxy))
    options = dataclasses.replace(options, secure_cookie=args.behind_https, limits=_capacity(args, options.limits),
                                  micro_batch=args.micro_batch)
    db.close()
    if args.workers < 1:
        raise InputError("--workers needs at least 1.", "Give --workers 1 or more.", code="workers-invalid")
    if args.workers > 1:
        return _serve_workers(args, settings, options)
    from ..events.log import EventLog
    from ..runtime import open_companion

    # Without sign-in everyone is the terminal's user; with it, each request names its account.
    companion = open_companion(settings, assembling_progress(), with_emotion=_emotion_reader_works(),
                               terminal=not options.auth_required)
    app = create_app(companion, options, event_log=EventLog(args.log_events) if args.log_events else None)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Kindred is listening on http://{shown}:{args.port}/ (model: {companion.chat.model}). "
          "Ctrl-C stops it.", file=sys.stderr)
    serve_forever(app, args.host, args.port)
    return 0


def _capacity(args: argparse.Namespace, limits):
    running = limits.running_turns if args.running_turns is None else args.running_turns
    waiting = limits.waiting_turns if args.waiting_turns is None else args.waiting_turns
    if running < 1 or waiting < 0:
        raise InputError("--running-turns needs at least 1 and --waiting-turns at least 0.",
                         "Give, for example, --running-turns 32 --waiting-turns 1000.", code="capacity-invalid")
    return dataclasses.replace(limits, running_turns=running, waiting_turns=waiting)


def _shared_database(settings) -> str:
    """Where the replicas' data is, for the console: a PostgreSQL URL without its password."""
    if settings.database_url:
        from ..database.postgres import public_name

        return f"PostgreSQL at {public_name(settings.database_url)}"
    return str(settings.database_path)


def _serve_workers(args: argparse.Namespace, settings, options) -> int:
    from ..server.replicas import replica_config, serve_workers

    if not settings.llm_url:
        print(f"kindred: each of the {args.workers} workers loads its own copy of the model; "
              "point --llm-url at one shared LLM server to load it once.", file=sys.stderr)
    overrides = {"llm": args.model, "llm_url": args.llm_url, "llm_model": args.llm_model, "user": args.user}
    config = replica_config(overrides, options, with_emotion=_emotion_reader_works(), event_log=args.log_events)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Kindred is listening on http://{shown}:{args.port}/ with {args.workers} workers sharing "
          f"{_shared_database(settings)}. Ctrl-C stops them.", file=sys.stderr)
    serve_workers(config, args.host, args.port, args.workers)
    return 0


def _emotion_reader_works() -> bool:
    """Serve without feelings rather than not at all when the emotion model is missing."""
    from ..runtime import open_emotion_reader

    try:
        return open_emotion_reader() is not None
    except KindredError as exc:
        print(f"kindred: serving without reading feelings: {exc}", file=sys.stderr)
        return False


def ask_password() -> str:
    password = os.environ.get("KINDRED_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise InputError("No password given for the new account.",
                         "Set KINDRED_PASSWORD, or run the command in a terminal to be asked.",
                         code="password-missing")
    first = getpass.getpass("Password for the new account: ")
    if first != getpass.getpass("Again: "):
        raise InputError("The two passwords differ.", "Run the command again.", code="password-mismatch")
    return first
