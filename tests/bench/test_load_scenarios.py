"""`kindred bench load`'s scenarios, counted against scripted server events (no server, no model)."""
from __future__ import annotations

import asyncio
import json

import pytest

from kindred.bench.load_scenarios import LONG_MESSAGE_CHARS, long_message, quick_replies, scenario_figures


class ScriptedServer:
    """Answers ``say`` as the conversation socket does: start, token, reply, then done, and ``turn-busy``
    to a say that arrives while a turn is still open.

    ``hold``: "none" sends done with the reply (nothing after it); "after-reply" keeps the turn open
    until the client's next frame (work after the reply, today's memory extraction); "crossed" is
    that, but the refusal reaches the client after the done, as it can on the wire; "never" keeps the
    first turn open for good after its reply (the client's wait runs out).
    """

    def __init__(self, hold: str = "none", fail: set[int] = frozenset(), empty: set[int] = frozenset()) -> None:
        self.hold, self.fail, self.empty = hold, fail, empty
        self.events: asyncio.Queue[dict] = asyncio.Queue()
        self.open_turn: str | None = None
        self.said: list[str] = []
        self.turns = 0

    async def send(self, message: str) -> None:
        text = json.loads(message)["text"]
        if self.open_turn is not None:
            busy = {"event": "error", "turn_id": "", "code": "turn-busy"}
            if self.hold == "crossed":
                self._end()
                return await self.events.put(busy)
            await self.events.put(busy)
            return None if self.hold == "never" else self._end()
        self.said.append(text)
        self.turns += 1
        turn = f"t{self.turns}"
        for event in ({"event": "start"}, {"event": "token", "text": "Hi"}):
            await self.events.put({**event, "turn_id": turn})
        if self.turns in self.fail:
            await self.events.put({"event": "error", "turn_id": turn, "code": "llm-unreachable"})
        else:
            reply = "" if self.turns in self.empty else "Hi."
            await self.events.put({"event": "reply", "turn_id": turn, "text": reply})
        self.open_turn = turn
        if self.hold == "none" or self.turns in self.fail:
            self._end()

    def _end(self) -> None:
        if self.open_turn is not None:
            self.events.put_nowait({"event": "done", "turn_id": self.open_turn})
            self.open_turn = None

    async def recv(self) -> str:
        if self.events.empty() and self.hold == "never":
            raise TimeoutError
        if self.events.empty():  # the client waits: whatever the turn still did after its reply is over
            self._end()
        assert not self.events.empty(), "the client waits for an event that will never come"
        return json.dumps(self.events.get_nowait())


def quick(server: ScriptedServer, messages: int = 4):
    return asyncio.run(quick_replies(server, messages))


def test_a_turn_that_is_over_at_its_reply_takes_the_next_message_at_once():
    server = ScriptedServer("none")
    out = quick(server)
    assert (out.tries, out.busy, out.replies, out.error_codes) == (3, 0, 4, [])
    assert len(server.said) == 4 and len(out.holds_s) == 4


@pytest.mark.parametrize("hold", ["after-reply", "crossed"])
def test_each_message_sent_on_a_reply_and_refused_is_counted_and_said_again(hold):
    server = ScriptedServer(hold)
    out = quick(server)
    assert (out.tries, out.busy, out.replies) == (3, 3, 4)  # every quick message met turn-busy
    assert len(server.said) == len(set(server.said)) == 4  # the refused message, not the next one, was said again


def test_error_events_and_empty_replies_are_told_apart_from_busy():
    out = quick(ScriptedServer("none", fail={2}, empty={3}))
    assert out.busy == 0 and out.error_codes == ["llm-unreachable"] and out.replies == 2
    assert out.tries == 2  # no reply came for the second message: the third waited for its done instead
    assert len(out.holds_s) == 3


def test_the_figures_are_the_counts():
    out = quick(ScriptedServer("after-reply"))
    long = asyncio.run(long_message(ScriptedServer("none", fail={2})))
    figures = scenario_figures(out, long)
    assert figures["busy_after_reply"] == 3 and figures["busy_after_reply_tries"] == 3
    assert figures["long_message_replied"] is True and figures["reply_after_long_message"] is False
    assert figures["long_message_errors"] == 1 and figures["scenario_error_codes"] == ["llm-unreachable"]


def test_the_long_message_is_long_and_the_next_one_everyday():
    server = ScriptedServer("none")
    out = asyncio.run(long_message(server))
    assert [len(text) for text in server.said][0] == LONG_MESSAGE_CHARS and len(server.said[1]) < 100
    assert out.long.ok and out.replied_after


def test_a_long_turn_that_never_ends_leaves_the_next_message_busy():
    server = ScriptedServer("never")
    figures = scenario_figures(quick(ScriptedServer("never")), asyncio.run(long_message(server)))
    assert figures["long_message_replied"] is True and figures["long_message_done"] is False
    assert figures["reply_after_long_message"] is False and figures["long_message_errors"] == 2
    assert figures["scenario_error_codes"] == ["client-TimeoutError", "turn-busy"]
    assert figures["busy_after_reply"] == 1 and figures["busy_after_reply_errors"] == 1  # the quick one: stuck too
