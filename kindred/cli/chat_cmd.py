"""`kindred chat`: talk with Kindred in the terminal, or one turn with --once."""
from __future__ import annotations

import argparse
import asyncio
import sys

from ..events import Failed, Heard, Replied, Token
from ..runtime import open_companion
from ..safety.honesty import ai_disclosure
from ..turn import Companion
from .common import add_llm_options, assembling_progress, settings_from

HELP = """Commands:
  /help   show this help
  /new    start a new session (Kindred still remembers earlier ones)
  /quit   leave (Ctrl-D works too)
Ctrl-C while Kindred is answering stops the answer; Ctrl-C at the prompt leaves."""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="talk with Kindred", description="Talk with Kindred.")
    parser.add_argument("--once", metavar="TEXT", help="say one thing, print the reply and exit")
    parser.add_argument("--json", action="store_true", help="with --once: print the turn's events as JSON lines")
    parser.add_argument("--new-session", action="store_true", help="start a new session")
    add_llm_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    companion = open_companion(settings, assembling_progress())
    if args.once is not None:
        return asyncio.run(_once(companion, args.once, args.json, args.new_session))
    return _interactive(companion, args.new_session)


async def _once(companion: Companion, text: str, as_json: bool, new_session: bool) -> int:
    code = 0
    async for event in companion.turn(text, new_session=new_session):
        if as_json:
            print(event.to_json(), flush=True)
        elif isinstance(event, Token):
            print(event.text, end="", flush=True)
        elif isinstance(event, Replied) and not event.tokens:
            print(event.text, end="", flush=True)  # a safety reply is given whole, not streamed
        if isinstance(event, Failed):
            if not as_json:
                print(f"\nkindred: [{event.code}] {event.message}\n  how to fix: {event.hint}", file=sys.stderr)
            code = 4
    if not as_json and code == 0:
        print()
    return code


def _interactive(companion: Companion, new_session: bool) -> int:
    print(f"{ai_disclosure('en')}\n{ai_disclosure('ko')}\nType /help for commands.", file=sys.stderr)
    loop = asyncio.new_event_loop()
    try:
        while True:
            try:
                line = input("you> ")
            except (EOFError, KeyboardInterrupt):
                print("\nTake care. I'll be here.", file=sys.stderr)
                return 0
            command = line.strip().lower()
            if command in {"/quit", "/exit"}:
                return 0
            if command == "/help":
                print(HELP)
                continue
            if command == "/new":
                new_session = True
                print("(a new session starts with your next message)", file=sys.stderr)
                continue
            if not line.strip():
                continue
            task = loop.create_task(_say(companion, line, new_session))
            new_session = False
            try:
                loop.run_until_complete(task)
            except KeyboardInterrupt:
                task.cancel()
                try:
                    loop.run_until_complete(task)
                except (asyncio.CancelledError, KeyboardInterrupt):
                    pass
                print("\n(stopped)", file=sys.stderr)
    finally:
        loop.close()


async def _say(companion: Companion, line: str, new_session: bool) -> None:
    from ..errors import InputError

    try:
        async for event in companion.turn(line, new_session=new_session):
            if isinstance(event, Heard):
                print("kindred> ", end="", flush=True)
            elif isinstance(event, Token):
                print(event.text, end="", flush=True)
            elif isinstance(event, Replied):
                if not event.tokens:
                    print(event.text, end="")
                print(flush=True)
            elif isinstance(event, Failed):
                print(f"\n(I couldn't answer: [{event.code}] {event.message}. {event.hint})", flush=True)
    except InputError as exc:
        print(f"({exc.message} {exc.hint})", flush=True)
