"""Simulated users for `kindred bench load`: one WebSocket each, turns one after another."""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TURN_TIMEOUT_S = 300.0
# Everyday things to say: nothing that the safety policy answers with a fixed reply (no tokens, no TTFT).
SAYINGS = (
    "I had a long day at work today.",
    "What could I cook tonight with rice and eggs?",
    "My sister is visiting this weekend.",
    "I want to start running in the mornings.",
    "오늘 날씨가 좋아서 산책했어.",
    "I finally finished the book I was reading.",
)


MAX_RETRIES = 20  # a turn turned away for now (server-busy, rate-limited) is sent again, at most this often


def person_address(index: int) -> str:
    """Each simulated person's own loopback address (all of 127.0.0.0/8 is this machine), as people reach a
    deployment from addresses of their own; 127.0.0.1 stays the proxy's. Per-address limits then count people."""
    return f"127.{1 + index // 62500}.{index // 250 % 250 + 1}.{index % 250 + 1}"


@dataclass
class TurnResult:
    sent: bool = False
    done: bool = False  # the server said the turn is over, whatever its outcome
    ok: bool = False  # a reply came, with no error
    replied: bool = False  # a non-empty reply event came, whether or not the turn then ended
    ttft_s: float | None = None
    total_s: float = 0.0
    error: str = ""
    retries: int = 0  # times the server said "not now" (with Retry-After) and the turn was sent again

    @property
    def lost(self) -> bool:
        return self.sent and not self.done


async def one_user(url: str, token: str, turns: int, offset: int, address: str | None = None) -> list[TurnResult]:
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    results: list[TurnResult] = []
    place: dict[str, Any] = {"local_addr": (address, 0)} if address else {}  # passed on to create_connection
    try:
        async with connect(url.replace("http", "ws", 1) + "/api/conversation", open_timeout=60,
                           additional_headers={"Authorization": f"Bearer {token}"}, max_size=None,
                           **place) as socket:
            await asyncio.wait_for(socket.recv(), TURN_TIMEOUT_S)  # ready
            for index in range(turns):
                result = TurnResult()
                results.append(result)
                await take_turn(socket, SAYINGS[(offset + index) % len(SAYINGS)], result)
    except (OSError, TimeoutError, WebSocketException) as exc:
        if not results or results[-1].done:
            results.append(TurnResult())
        results[-1].error = results[-1].error or f"client-{type(exc).__name__}"
    return results + [TurnResult(error="client-not-sent") for _ in range(turns - len(results))]


async def take_turn(socket, text: str, result: TurnResult) -> None:
    """Say ``text`` and read the turn to its done. Turned away for now (an error before any turn began, with
    ``retry_after_s``: server-busy, rate-limited), it waits as told and says it again, as the page does;
    the times count from the first try."""
    started = time.perf_counter()
    await socket.send(json.dumps({"type": "say", "text": text}))
    result.sent = True
    replied = False
    while True:
        event = json.loads(await asyncio.wait_for(socket.recv(), TURN_TIMEOUT_S))
        kind = event.get("event")
        if kind == "token" and result.ttft_s is None:
            result.ttft_s = time.perf_counter() - started
        elif kind == "reply":
            replied = result.replied = bool(event.get("text"))
        elif kind == "error" and event.get("retry_after_s") and not event.get("turn_id"):
            if result.retries >= MAX_RETRIES:  # turned away for good: no turn began, so no done will come
                result.error, result.done = str(event.get("code")), True
                return
            result.retries += 1
            await asyncio.sleep(float(event["retry_after_s"]))
            await socket.send(json.dumps({"type": "say", "text": text}))
        elif kind == "error":
            result.error = result.error or str(event.get("code") or "error")
        elif kind == "done":
            result.total_s = time.perf_counter() - started
            result.done = True
            result.ok = replied and not result.error
            return


async def simulate_users(urls: list[str], tokens: list[str], turns: int) -> list[TurnResult]:
    """All users at once, spread round-robin over the replicas; every turn's result, in no order."""
    batches = await asyncio.gather(*(one_user(urls[i % len(urls)], token, turns, i, person_address(i))
                                     for i, token in enumerate(tokens)))
    return [result for batch in batches for result in batch]


def unanswered_turns(database: Path | str) -> int:
    """Stored user words with no assistant row: a turn dropped between hearing and answering."""
    from ..database import held

    with held(database) as db:
        return int(db.read(
            "SELECT COUNT(*) FROM turns AS u WHERE u.role = 'user' AND NOT EXISTS "
            "(SELECT 1 FROM turns AS a WHERE a.turn_id = u.turn_id AND a.role = 'assistant')")[0][0])
