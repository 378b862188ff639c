"""A person who answers right after a reply is answered, while memory extraction waits for the model.

The chat double here behaves as one local model does: one generation at a time, replies quick,
extraction (asked under a JSON schema) slow, and a cancelled generation frees the model at once.
"""
import asyncio
import time

import pytest

from kindred.memory.embedder import HashEmbedder
from kindred.memory.long_term import open_long_term_memory
from kindred.turn import Companion

from .conftest import sign_up

ANSWER = '{"facts": [{"topic": "sister\'s name", "value": "Mina", "category": "person"}], "open": []}'


class OneModel:
    backend = model = "one-model"

    def __init__(self, extraction_s: float) -> None:
        self.extraction_s = extraction_s
        self.lock: asyncio.Lock | None = None
        self.extracting = 0  # extraction generations started
        self.extracted = 0  # and finished

    async def stream(self, messages, options):
        self.lock = self.lock or asyncio.Lock()
        async with self.lock:  # one generation at a time, as llama.cpp's model lock
            if options.json_schema is None:
                for piece in ("I'm", " glad", " to", " hear", " that."):
                    yield piece
                return
            self.extracting += 1
            await asyncio.sleep(self.extraction_s)  # cancelled: the lock is released at once
            self.extracted += 1
            yield ANSWER


@pytest.fixture
def model():
    return OneModel(extraction_s=3.0)


@pytest.fixture
def companion(settings, store, model):
    memory = open_long_term_memory(store, settings, chat=model, embedder=HashEmbedder())
    memory.queue.quiet_s = 0.0  # extraction starts the moment a turn ends: the hardest case for the next one
    return Companion(settings=settings, chat=model, store=store, memory=memory)


def events_until(socket, kinds: set[str]) -> list[dict]:
    events = []
    while not events or events[-1]["event"] not in kinds:
        events.append({**socket.receive_json(), "at": time.monotonic()})
    return events


def test_the_next_message_right_after_a_reply_gets_a_reply_and_the_facts_come_later(client, companion, model):
    sign_up(client, "mina")
    with client.websocket_connect("/api/conversation") as socket:
        assert socket.receive_json()["event"] == "ready"
        socket.send_json({"type": "say", "text": "My sister Mina is visiting this weekend."})
        events_until(socket, {"reply"})
        socket.send_json({"type": "say", "text": "We're going to the beach."})  # at once, before "done"
        first = events_until(socket, {"done"})
        assert not [e for e in first if e["event"] == "error"]  # no turn-busy while the first turn remembers
        second = events_until(socket, {"done", "error"})
        assert second[-1]["event"] == "done" and any(e["event"] == "reply" for e in second)

        # A third message while the first turn's extraction holds the model: the turn takes it back.
        deadline = time.monotonic() + 10
        while model.extracting == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert model.extracting and model.extracted == 0
        socket.send_json({"type": "say", "text": "The beach was lovely."})
        third = {e["event"]: e["at"] for e in events_until(socket, {"done", "error"})}
        assert "done" in third and "error" not in third
        assert third["reply"] - third["chose"] < model.extraction_s / 2  # it did not wait out the extraction
        assert model.extracted == 0  # that generation was cancelled, not finished

        deadline = time.monotonic() + 30  # then, in a quiet moment, the first turn's facts are extracted
        facts = []
        while not facts and time.monotonic() < deadline:
            time.sleep(0.1)
            facts = asyncio.run(companion.memory.book.list("mina", kind="fact"))
        assert [f.value for f in facts] == ["Mina"]
