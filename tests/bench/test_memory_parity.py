"""The memory bench stores what the turn loop stores, for the same conversation.

`kindred bench memory` tells LoCoMo to the product through ``LongTermMemory.remember_turn``, the turn
loop's own remember call. Here a tiny LoCoMo-shaped conversation goes through the real turn loop
(kindred/turn.py; the chat model is a double that replays the other speaker's lines, since no model
would say them) and through the bench's ingest, into two stores on clocks set the same way, and every
memory (with its vector) and every turn stored must be the same. A change to what is stored or how,
made in one place only, fails here.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from kindred.bench import memory as bench
from kindred.events import Replied
from kindred.memory.embedder import HashEmbedder, embed_matrix
from kindred.memory.long_term import open_long_term_memory
from kindred.memory.sql_store import open_sql_store
from kindred.turn import Companion

DATE = "%I:%M %p on %d %B, %Y"
SESSIONS = [  # session 2 opens with Melanie: there she is the person, and Caroline's lines are the replies
    ("1:56 pm on 8 May, 2023", [
        ("Caroline", "I have a job interview on Friday and I'm nervous about it."),
        ("Melanie", "You'll do great. What is the job?"),
        ("Caroline", "A teaching post. My sister is called Hana, she teaches too."),
        ("Melanie", "That's lovely, I painted a sunrise last week."),
    ]),
    ("10:00 am on 20 May, 2023", [
        ("Melanie", "We went camping at the lake with the kids. I love the quiet there."),
        ("Caroline", "That sounds wonderful! Did you see any birds?"),
        ("Melanie", "A heron, right by the tent. [shares a photo: a heron standing by a lake]"),
        ("Caroline", "Beautiful. My interview went well, by the way."),
    ]),
]


def tiny_conversation() -> bench.Conversation:
    sessions = []
    for number, (when, lines) in enumerate(SESSIONS, start=1):
        sessions.append((datetime.strptime(when, DATE), tuple(
            bench.Line(f"D{number}:{index}", speaker, text) for index, (speaker, text) in enumerate(lines, 1))))
    return bench.Conversation("tiny", ("Caroline", "Melanie"), tuple(sessions), ())


class Replay:
    """A chat double that says the line it is given for this turn."""

    backend = "replay"
    model = "replay"

    def __init__(self) -> None:
        self.line = ""

    async def stream(self, messages, options) -> AsyncIterator[str]:
        yield self.line


async def through_the_turn_loop(settings, location, conversation: bench.Conversation):
    clock = bench.StoreClock()
    store = open_sql_store(location, clock=clock)
    memory = open_long_term_memory(store, settings, embedder=HashEmbedder())
    chat = Replay()
    companion = Companion(settings=settings, chat=chat, store=store, memory=memory)
    for when, lines in conversation.sessions:
        for exchange in bench.exchanges(lines):
            assert exchange.reply is not None  # every turn of the loop gets a reply: the tiny talk has one each
            clock.now = bench.said_at(when, exchange.index)
            chat.line = exchange.reply.text
            events = [e async for e in companion.turn(exchange.said.text, user=conversation.sample_id,
                                                      turn_id=bench.turn_id_of(conversation, exchange))]
            assert isinstance(events[-1], Replied) and events[-1].text.startswith(exchange.reply.text)
    return store, memory


def as_stored(conversation: bench.Conversation, turns) -> bench.Conversation:
    """The conversation with each line as the turn loop stored it (its first reply of a session also
    says that she is an AI): the bench is given the same messages."""
    said = {(t.turn_id, t.role): t.text for t in turns}
    sessions = []
    for when, lines in conversation.sessions:
        told = {e.reply.dia_id: said[(bench.turn_id_of(conversation, e), "assistant")]
                for e in bench.exchanges(lines) if e.reply}
        sessions.append((when, tuple(replace(line, text=told.get(line.dia_id, line.text)) for line in lines)))
    return replace(conversation, sessions=tuple(sessions))


async def snapshot(store, memory, user: str) -> tuple[list, list, np.ndarray]:
    turns = await store.recent_turns(user, limit=1000)
    sessions = {sid: n for n, sid in enumerate(dict.fromkeys(t.session_id for t in turns))}  # uuids: by order
    stored_turns = [(t.turn_id, t.role, t.text, t.language, t.status, t.created_at, sessions[t.session_id])
                    for t in turns]
    memories = sorted(await memory.book.list(user, limit=1000), key=lambda m: m.id)
    stored = [(m.kind, m.topic, m.text, m.context, m.value, m.importance, m.salience, m.valence, m.arousal,
               m.happened_at, m.event_date, m.status, sessions[m.session_id], m.source_turns, m.mentions,
               m.origin) for m in memories]
    probe = embed_matrix(memory.book.embedder, ["camping with the kids, a job interview, a sunrise"], "query")[0]
    similarity = np.asarray(await memory.book.call(memory.book.vectors.similarity, user, [m.id for m in memories],
                                                   probe))
    return stored_turns, stored, similarity


async def test_the_bench_stores_what_the_turn_loop_stores(settings, tmp_path):
    settings = bench.bench_settings(settings.home)  # the bench's configuration, in the turn loop too
    conversation = tiny_conversation()
    product_store, product_memory = await through_the_turn_loop(settings, tmp_path / "product.db", conversation)
    product = await snapshot(product_store, product_memory, "tiny")

    told = as_stored(conversation, await product_store.recent_turns("tiny", limit=1000))
    clock = bench.StoreClock()
    bench_store = open_sql_store(tmp_path / "bench.db", clock=clock)
    bench_memory = open_long_term_memory(bench_store, settings, embedder=HashEmbedder())
    ingested = await bench.ingest(bench_memory, clock, told, settings)
    benched = await snapshot(bench_store, bench_memory, "tiny")

    assert benched[0] == product[0]  # turns: ids, sides, words, times, sessions
    assert benched[1] == product[1]  # memories: every field but the database's ids and the session uuids
    assert np.allclose(benched[2], product[2], atol=1e-6)  # and the same vectors

    # Not a comparison of two empty stores: each kind the remember path writes is here.
    kinds = {m[0] for m in product[1]}
    assert kinds == {"turn", "fact", "open", "summary"}
    assert {(m[0], m[1]) for m in product[1] if m[0] == "turn"} == {("turn", "user"), ("turn", "assistant")}
    assert any(m[0] == "open" and m[11] == "done" for m in product[1])  # offered when session 2 opened
    assert len({t[6] for t in product[0]}) == 2  # the store's clock made the second session
    assert ingested.sides == {"tiny:D1:1": ("D1:1", "D1:2"), "tiny:D1:3": ("D1:3", "D1:4"),
                              "tiny:D2:1": ("D2:1", "D2:2"), "tiny:D2:3": ("D2:3", "D2:4")}
    await product_store.close()
    await bench_store.close()


def test_whoever_opens_a_session_is_the_person_in_it():
    second = tiny_conversation().sessions[1][1]
    turns = bench.exchanges(second)
    assert [(e.said.speaker, e.reply.speaker if e.reply else None, e.index) for e in turns] == [
        ("Melanie", "Caroline", 0), ("Melanie", "Caroline", 2)]
    ends_on_the_person = bench.exchanges(second[:3])
    assert ends_on_the_person[-1].said.dia_id == "D2:3" and ends_on_the_person[-1].reply is None


@pytest.mark.parametrize(("kind", "topic", "sources", "lines"), [
    ("turn", "user", ("D1:1",), ("D1:1",)),
    ("turn", "assistant", ("D1:1",), ("D1:2",)),  # the reply: the other side of the same turn
    ("fact", "sister's name", ("D1:3",), ("D1:3",)),
    ("summary", "", ("D1:1", "D1:3"), ("D1:1", "D1:3")),
    ("turn", "assistant", ("D2:5",), ()),  # a last line of a session that got no reply
])
def test_a_memory_counts_for_the_lines_it_was_made_from(kind, topic, sources, lines):
    class Stored:
        def __init__(self) -> None:
            self.kind, self.topic, self.source_turns = kind, topic, sources

    sides = {"D1:1": ("D1:1", "D1:2"), "D1:3": ("D1:3", "D1:4"), "D2:5": ("D2:5", "")}
    assert bench.credited(Stored(), sides) == lines
