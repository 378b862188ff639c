"""LoCoMo told to the product: each conversation through the turn loop's own remember call, on the
store's clock (`kindred bench memory` scores what it stores)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .memory_data import Conversation, Line

SECONDS_PER_LINE = 30  # LoCoMo dates each session, not each line: its lines are taken to come 30 s apart


class StoreClock:
    """The store's clock, set to when each LoCoMo line was said: every time the product writes (sessions,
    turns, memories, what "today" is for the rules extraction) then comes from it, as from the wall clock
    in a real conversation. Nothing here writes a timestamp itself."""

    def __init__(self, now: datetime = datetime(2020, 1, 1, tzinfo=UTC)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def said_at(session_start: datetime, index: int) -> datetime:
    """When the line at ``index`` of a session was said, in UTC (the bench's zone for everyone)."""
    return (session_start + timedelta(seconds=SECONDS_PER_LINE * index)).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Exchange:
    """One turn as the turn loop hears it: the person's line, and the line that answered it."""

    said: Line
    reply: Line | None  # none when the session ends on the person's line
    index: int  # of ``said`` in its session


def exchanges(lines: tuple[Line, ...]) -> list[Exchange]:
    """A LoCoMo session as turns. The turn loop always hears the person first, so whoever opens a session
    is the person in it and the other speaker's lines are Kindred's replies. A fixed side could not be:
    124 of LoCoMo's 272 sessions open with speaker_b, and nothing in the product stores a reply that
    answers no turn (those opening lines are evidence for 158 of the 1,536 scored questions). LoCoMo's
    speakers alternate, so each of the other's lines answers the person's line before it."""
    person = lines[0].speaker if lines else ""
    found = []
    for index, line in enumerate(lines):
        if line.speaker == person:
            reply = lines[index + 1] if index + 1 < len(lines) and lines[index + 1].speaker != person else None
            found.append(Exchange(line, reply, index))
    return found


@dataclass(frozen=True)
class Ingested:
    where: dict[str, tuple[int, int]]  # dia_id → (session, index in session)
    sides: dict[str, tuple[str, str]]  # turn id → (the person's dia_id, the reply's dia_id or "")


def turn_id_of(conversation: Conversation, exchange: Exchange) -> str:
    """The turn's id: the conversation and the person's dia_id (turn ids are unique across users)."""
    return f"{conversation.sample_id}:{exchange.said.dia_id}"


def bench_settings(home: Path):
    """The product's settings for the bench: facts by the rules (``memory_extraction = "rules"``, as
    kindred/runtime.py opens memory for it: no LLM call after each of ~3,000 turns) and UTC for everyone,
    so the figures read the same on every machine."""
    from ..config import Settings

    return Settings(home=home, timezone="UTC", memory_extraction="rules")


async def ingest(memory, clock: StoreClock, conversation: Conversation, settings) -> Ingested:
    """Tell ``conversation`` to the product, turn by turn, as the turn loop hears one (kindred/turn.py): the
    store's clock at when the line was said, the person's words cleaned as the loop cleans them, the session
    the store picks for that moment, both sides stored verbatim, the threads left open offered when a
    session starts, then ``LongTermMemory.remember_turn`` — the turn loop's own remember call, which indexes
    the turn for recall, keeps its facts and open threads, and summarises the session before. What is not
    told: no emotion reading (affect is None, as in the product without the emotion model), no LLM
    (extraction by the rules), no check-ins planned (not memory)."""
    from ..memory.continuity import started_now
    from ..perception.language import detect_language
    from ..safety.input_limits import clean_user_text

    store = memory.book.store
    user = conversation.sample_id
    where: dict[str, tuple[int, int]] = {}
    sides: dict[str, tuple[str, str]] = {}
    for number, (when, lines) in enumerate(conversation.sessions, start=1):
        where.update((line.dia_id, (number, index)) for index, line in enumerate(lines))
        for exchange in exchanges(lines):
            clock.now = said_at(when, exchange.index)
            heard = clean_user_text(exchange.said.text, settings.max_input_chars).text
            language = detect_language(heard)
            session = await store.session_for(user, gap_minutes=settings.session_gap_minutes)
            started = started_now(session.started_at, session.last_active_at)
            turn_id = turn_id_of(conversation, exchange)
            await store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="user", text=heard,
                                 language=language)
            if started:
                await memory.opening(user, session.id)  # what was left open is offered (and marked done)
            reply = exchange.reply.text.strip() if exchange.reply else ""
            if exchange.reply is not None:
                await store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="assistant",
                                     text=reply, language=language)
            await memory.remember_turn(user=user, session_id=session.id, turn_id=turn_id, user_text=heard,
                                       reply_text=reply, language=language, session_started=started)
            sides[turn_id] = (exchange.said.dia_id, exchange.reply.dia_id if exchange.reply else "")
    return Ingested(where, sides)


def credited(memory, sides: dict[str, tuple[str, str]]) -> tuple[str, ...]:
    """The LoCoMo lines a memory stands for. A memory names the turns it came from, and a person's line and
    the reply to it are one turn: a turn memory is the person's side ("user") or Kindred's ("assistant");
    a fact, an open thread or a summary comes from what the person said."""
    side = 1 if memory.kind == "turn" and memory.topic == "assistant" else 0
    return tuple(sides[turn][side] for turn in memory.source_turns if turn in sides and sides[turn][side])
