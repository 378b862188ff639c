"""`kindred chat`: talk with Kindred in the terminal, or one turn with --once."""
from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
from datetime import UTC, datetime

from ..events import Cancelled, Event, Failed, Heard, Replied, Token, serialize
from ..events.log import EventLog
from ..learning import apply_feedback, describe_preferences
from ..recommend import deliver_due
from ..runtime import open_companion
from ..turn import Companion, run_turn
from .common import add_llm_options, assembling_progress, finish_memory, settings_from

HELP = """Commands:
  /good [why]   that reply was good (a reason teaches too: "/good short like this")
  /bad [why]    that reply missed ("/bad too long", "/bad don't call me buddy")
  /note TEXT    tell Kindred how to talk with you ("just listen, no advice", "반말로 해줘")
  /help         show this help
  /new          start a new session (Kindred still remembers earlier ones)
  /quit         leave (Ctrl-D works too)
Ctrl-C while Kindred is answering stops the answer; Ctrl-C at the prompt leaves."""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="talk with Kindred", description="Talk with Kindred.")
    parser.add_argument("--once", metavar="TEXT", help="say one thing, print the reply and exit")
    parser.add_argument("--json", action="store_true", help="with --once: print the turn's events as JSON lines")
    parser.add_argument("--new-session", action="store_true", help="start a new session")
    parser.add_argument("--log-events", metavar="FILE", help="append every event to FILE as JSON lines")
    add_llm_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    log = EventLog(args.log_events) if args.log_events else None
    companion = open_companion(settings, assembling_progress())
    try:
        if args.once is not None:
            return asyncio.run(_once(companion, args.once, args.json, args.new_session, log))
        return _interactive(companion, args.new_session, log)
    finally:
        if log is not None:
            log.close()


async def _events(companion: Companion, text: str, new_session: bool, log: EventLog | None):
    """The run's events, each written to the event log (when there is one) as it passes."""
    async for event in run_turn(companion, text, new_session=new_session):
        if log is not None:
            log.write(event)
        yield event


async def _once(companion: Companion, text: str, as_json: bool, new_session: bool,
                log: EventLog | None = None) -> int:
    code = 0
    async for event in _events(companion, text, new_session, log):
        if as_json:
            print(serialize(event), flush=True)
        elif isinstance(event, Token):
            print(event.text, end="", flush=True)
        elif isinstance(event, Replied) and not event.tokens:
            print(event.text, end="", flush=True)  # a safety reply is given whole, not streamed
        if isinstance(event, Failed):
            if not as_json:
                print(f"\nkindred: [{event.code}] {event.message}\n  how to fix: {event.hint}", file=sys.stderr)
            code = _exit_code(event)
    if not as_json and code == 0:
        print()
    await finish_memory(companion)
    return code


def _exit_code(failed: Failed) -> int:
    """2 for input that cannot be used (as InputError exits), 4 for a turn that failed later."""
    return 2 if failed.stage == "perceive" and failed.code.startswith("input-") else 4


def _read_line(loop: asyncio.AbstractEventLoop, prompt: str) -> str:
    """input() on a thread while the loop runs: memory work queued after the last reply goes on meanwhile,
    and stops (giving the model back) as soon as the next message starts its turn."""
    future: asyncio.Future[str] = loop.create_future()

    def settle(line: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line or "")

    def read() -> None:
        try:
            line = input(prompt)
        except Exception as exc:  # noqa: BLE001 — EOFError (Ctrl-D) and friends end the chat in the main thread
            loop.call_soon_threadsafe(settle, None, exc)
        else:
            loop.call_soon_threadsafe(settle, line, None)
    # A daemon: after Ctrl-C at the prompt the process leaves without waiting for a line nobody will type.
    threading.Thread(target=read, name="chat-input", daemon=True).start()
    return loop.run_until_complete(future)


def _interactive(companion: Companion, new_session: bool, log: EventLog | None = None) -> int:
    # That she is an AI is said in her first reply of every conversation (turn.py), in the person's language.
    print("Type /help for commands.", file=sys.stderr)
    user = companion.settings.user
    for checkin in deliver_due(companion.store, user, datetime.now(UTC), default_zone=companion.settings.timezone):
        print(f"kindred> {checkin.message}")
    last_reply = {"turn_id": ""}
    loop = asyncio.new_event_loop()
    try:
        while True:
            try:
                line = _read_line(loop, "you> ")
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
            if command.split(" ", 1)[0] in {"/good", "/bad", "/note"}:
                print(_feedback(companion, last_reply["turn_id"], line.strip()))
                continue
            task = loop.create_task(_say(companion, line, new_session, last_reply, log))
            new_session = False
            if _run_until_done_or_ctrl_c(loop, task):
                print("\n(stopped)", file=sys.stderr)
    finally:
        try:
            loop.run_until_complete(finish_memory(companion))
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: leave now; the words are stored, only their facts are not extracted
        loop.close()


def _run_until_done_or_ctrl_c(loop: asyncio.AbstractEventLoop, task: asyncio.Task) -> bool:
    """Run the turn; Ctrl-C cancels it at its next await and says so (True).

    A KeyboardInterrupt raised wherever the main thread happens to be can land inside the event
    loop's own bookkeeping and lose the result of a pending future, so the turn would wait
    forever; a handler that only asks the loop to cancel the task cannot.
    """
    stopped = False

    def on_sigint(signum, frame) -> None:
        nonlocal stopped
        stopped = True
        loop.call_soon_threadsafe(task.cancel)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        loop.run_until_complete(task)
    except asyncio.CancelledError:
        pass
    finally:
        signal.signal(signal.SIGINT, previous)
    return stopped


def _feedback(companion: Companion, turn_id: str, line: str) -> str:
    kind, _, text = line[1:].partition(" ")
    if kind in {"good", "bad"} and not turn_id:
        return "(There is no reply to rate yet.)"
    prefs = apply_feedback(companion.store, companion.settings.user, turn_id, kind, text.strip())
    learned = "; ".join(describe_preferences(prefs)) or "nothing specific yet"
    return f"(Thank you. What I've learned about you: {learned})"


async def _say(companion: Companion, line: str, new_session: bool, last_reply: dict[str, str],
               log: EventLog | None = None) -> None:
    event: Event | None = None
    try:
        async for event in _events(companion, line, new_session, log):
            if isinstance(event, Heard):
                last_reply["turn_id"] = event.turn_id  # /good and /bad rate this turn's reply
                print("kindred> ", end="", flush=True)
            elif isinstance(event, Token):
                print(event.text, end="", flush=True)
            elif isinstance(event, Replied):
                if not event.tokens:
                    print(event.text, end="")
                print(flush=True)
            elif isinstance(event, Failed) and event.stage == "perceive":
                print(f"({event.message} {event.hint})", flush=True)  # nothing was said to answer
            elif isinstance(event, Failed):
                print(f"\n(I couldn't answer: [{event.code}] {event.message}. {event.hint})", flush=True)
    except asyncio.CancelledError:
        if log is not None and event is not None:
            log.write(Cancelled(event.turn_id))
        raise
