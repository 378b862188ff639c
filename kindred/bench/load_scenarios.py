"""Two people `kindred bench load` follows closely, each on their own socket (issue #21's "Must show").

* **Quick replier**: sends the next message the moment the ``reply`` event arrives, as someone who
  reads fast does on the page, not waiting for the run's ``done``. Whatever the turn still does after
  the reply (memory extraction, storing) must not turn them away: every ``turn-busy`` is counted, the
  refused message is sent again once the turn is ``done`` (so the run goes on), and the time from
  ``reply`` to ``done`` is how long the turn held the socket after the person had their answer.
* **Long message**: sends 100,000 characters, then an everyday message; the second must get a normal
  reply, whatever the first left in the history the model reads.

The functions take an open socket (anything with async ``send(str)`` and ``recv() -> str``), so the
counting is tested against scripted events as well as against a real server.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from .load_users import SAYINGS, TURN_TIMEOUT_S, TurnResult, take_turn

LONG_MESSAGE_CHARS = 100_000
QUICK_MESSAGES = 4
BUSY = "turn-busy"
# Words, not one repeated letter: the model's tokenizer sees a long message as people write one.
_LONG_UNIT = "I keep going over what happened at work, again and again, and I cannot stop. "
LONG_MESSAGE = (_LONG_UNIT * (LONG_MESSAGE_CHARS // len(_LONG_UNIT) + 1))[:LONG_MESSAGE_CHARS]


class Socket(Protocol):
    async def send(self, message: str) -> None: ...

    async def recv(self) -> Any: ...


@dataclass
class QuickReplies:
    messages: int = 0  # how many the person meant to say
    tries: int = 0  # messages sent the moment a reply arrived
    busy: int = 0  # ``turn-busy`` refusals of those
    replies: int = 0  # turns that ended with a non-empty reply
    error_codes: list[str] = field(default_factory=list)  # every other error event, by code
    holds_s: list[float] = field(default_factory=list)  # per turn: from its reply to its done


@dataclass
class LongMessage:
    long: TurnResult = field(default_factory=TurnResult)
    after: TurnResult = field(default_factory=TurnResult)

    @property
    def replied_after(self) -> bool:
        return self.after.ok


def _say(text: str) -> str:
    return json.dumps({"type": "say", "text": text})


async def quick_replies(socket: Socket, messages: int = QUICK_MESSAGES, offset: int = 0) -> QuickReplies:
    """Say ``messages`` things, each the moment the last reply arrived; ends when every one is settled
    (its turn done, or the message refused for good with an error other than ``turn-busy``)."""
    out = QuickReplies(messages=messages)
    texts = [SAYINGS[(offset + i) % len(SAYINGS)] for i in range(messages)]
    await socket.send(_say(texts[0]))
    sent, settled = 1, 0
    turn_open = True  # counted from the send: the server says "start" only once it has taken the message
    refused = False  # the last message was turned away as busy and waits to be sent again
    replied_at: float | None = None
    answered = False  # this turn's reply came (and with it the next message)
    while settled < messages:
        try:
            event = json.loads(await asyncio.wait_for(socket.recv(), TURN_TIMEOUT_S))
        except TimeoutError:  # a turn that never ended: say so, keep what was counted
            out.error_codes.append("client-TimeoutError")
            return out
        kind = event.get("event")
        if kind == "start":
            turn_open = True
        elif kind == "reply":
            replied_at, answered = time.perf_counter(), True
            out.replies += bool(event.get("text"))
            if sent < messages:  # the person's next message, at once
                await socket.send(_say(texts[sent]))
                sent, out.tries = sent + 1, out.tries + 1
        elif kind == "error" and event.get("code") == BUSY:
            out.busy += 1
            if turn_open:
                refused = True
            else:  # the refusal crossed the done on the wire: the turn is over already
                await socket.send(_say(texts[sent - 1]))
        elif kind == "error":
            out.error_codes.append(str(event.get("code") or "error"))
            if not event.get("turn_id"):  # refused before any turn began (rate-limited, ...): the person moves on
                settled += 1
                if sent < messages and not turn_open:
                    await socket.send(_say(texts[sent]))
                    sent += 1
        elif kind in ("done", "cancelled"):
            settled, turn_open = settled + 1, False
            if replied_at is not None:
                out.holds_s.append(time.perf_counter() - replied_at)
                replied_at = None
            if refused:  # as a person would: try again once it has finished
                refused, turn_open = False, True
                await socket.send(_say(texts[sent - 1]))
            elif not answered and sent < messages:  # no reply came to send on: the person moves on at done
                turn_open = True
                await socket.send(_say(texts[sent]))
                sent += 1
            answered = False
    return out


async def long_message(socket: Socket, offset: int = 0) -> LongMessage:
    """100,000 characters, then an everyday message, each waiting for its turn's done.

    When the long turn never ends (no done within the wait), the everyday message is sent anyway, as
    the person would: what it gets (a reply, or ``turn-busy``) is the figure."""
    out = LongMessage()
    for text, result in ((LONG_MESSAGE, out.long), (SAYINGS[offset % len(SAYINGS)], out.after)):
        try:
            await take_turn(socket, text, result)
        except TimeoutError:
            result.error = result.error or "client-TimeoutError"
    return out


async def run_scenarios(url: str, quick_token: str, long_token: str, messages: int = QUICK_MESSAGES,
                        ) -> tuple[QuickReplies, LongMessage]:
    """One after the other, each on its own account's socket: on one CPU they would only slow each other.

    A broken socket or a wait past TURN_TIMEOUT_S is a figure (an error code), not the end of the bench."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    def opened(token: str):
        return connect(url.replace("http", "ws", 1) + "/api/conversation", open_timeout=60, max_size=None,
                       additional_headers={"Authorization": f"Bearer {token}"})

    quick, long = QuickReplies(messages=messages), LongMessage()
    try:
        async with opened(quick_token) as socket:
            await asyncio.wait_for(socket.recv(), TURN_TIMEOUT_S)  # ready
            quick = await quick_replies(socket, messages)
    except (OSError, TimeoutError, WebSocketException) as exc:
        quick.error_codes.append(f"client-{type(exc).__name__}")
    try:
        async with opened(long_token) as socket:
            await asyncio.wait_for(socket.recv(), TURN_TIMEOUT_S)
            long = await long_message(socket, offset=1)
    except (OSError, TimeoutError, WebSocketException) as exc:
        long.after.error = long.after.error or f"client-{type(exc).__name__}"
    return quick, long


def scenario_figures(quick: QuickReplies, long: LongMessage) -> dict[str, Any]:
    holds = sorted(quick.holds_s)
    return {
        "busy_after_reply": quick.busy,
        "busy_after_reply_tries": quick.tries,
        "busy_after_reply_replies": quick.replies,
        "busy_after_reply_errors": len(quick.error_codes),
        "reply_to_done_max_s": round(holds[-1], 3) if holds else None,
        "reply_to_done_p50_s": round(holds[len(holds) // 2], 3) if holds else None,
        "long_message_chars": LONG_MESSAGE_CHARS,
        "long_message_replied": long.long.replied,
        "long_message_done": long.long.done,
        "long_message_turn_s": round(long.long.total_s, 3),
        "after_long_message_turn_s": round(long.after.total_s, 3),
        "reply_after_long_message": long.replied_after,
        "long_message_errors": sum(1 for r in (long.long, long.after) if r.error),
        "scenario_error_codes": sorted({*quick.error_codes, *(r.error for r in (long.long, long.after) if r.error)}),
    }


def scenario_table(figures: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Scenarios (one person each, on their own socket)",
            "columns": ["scenario", "figure", "value"],
            "rows": [["next message on the reply event", "busy_after_reply (turn-busy)", figures["busy_after_reply"]],
                     ["", "of messages sent on reply", figures["busy_after_reply_tries"]],
                     ["", "replies / other errors",
                      f"{figures['busy_after_reply_replies']} / {figures['busy_after_reply_errors']}"],
                     ["", "reply → done max s", figures["reply_to_done_max_s"]],
                     [f"{LONG_MESSAGE_CHARS:,}-character message", "it replied", figures["long_message_replied"]],
                     ["", "its turn ended (done)", figures["long_message_done"]],
                     ["", "its turn s", figures["long_message_turn_s"]],
                     ["", "reply_after_long_message", figures["reply_after_long_message"]],
                     ["", "next turn s", figures["after_long_message_turn_s"]],
                     ["", "error events", figures["long_message_errors"]]]}
