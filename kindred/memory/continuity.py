"""What was open last time: at the start of a session, the threads worth following up.

An upcoming event whose day has come ("How did the interview go?"), a worry, a
promise. Each is offered once as a memory plus a short guidance line, then
marked done, so the companion asks about it naturally and does not nag.
Events still in the future stay open until their day. The session that just
ended also gets its summary here, so sessions are summarised without a timer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dialogue.chat_model import ChatMessage, ChatModel, GenerationOptions, complete
from ..errors import KindredError
from ..events import RecalledMemory
from .book import Memory, MemoryBook, NewMemory
from .terms import terms


@dataclass(frozen=True)
class Opening:
    memories: tuple[RecalledMemory, ...] = ()
    guidance: tuple[str, ...] = ()  # lines for PromptContext.guidance


async def session_opening(book: MemoryBook, user: str, session_id: str, *, limit: int = 3) -> Opening:
    """Call once when a new session starts (Session.started_at == last_active_at). Only reads: the summary of
    the session before (:func:`summarise_previous`) is written after the first reply, not before it, since
    with the LLM it costs seconds the person would wait for a first word."""
    today = book.today_of(user)  # an event "today" is theirs, not UTC's
    threads = [m for m in await book.list(user, kind="open", status="active", limit=50)
               if m.session_id != session_id]
    due = [m for m in threads if not m.event_date or m.event_date <= today.isoformat()]
    upcoming = [m for m in threads if m.event_date and m.event_date > today.isoformat()]
    chosen = (sorted(due, key=lambda m: (-(m.importance + m.salience), m.happened_at)) + upcoming)[:limit]
    memories, guidance = [], []
    for index, memory in enumerate(chosen, start=1):
        memories.append(RecalledMemory(index, memory.text[:300], _why(memory, today), memory.event_date or
                                       memory.happened_at[:10]))
        guidance.append(_guidance(memory, today, index))
    await book.set_status(user, [m.id for m in chosen if m not in upcoming], "done")
    return Opening(tuple(memories), tuple(guidance))


def _why(memory: Memory, today: date) -> str:
    kind = memory.topic.split(":")[0] or "thread"
    if kind == "event" and memory.event_date and memory.event_date > today.isoformat():
        return f"an upcoming event on {memory.event_date}"
    return f"left open last time ({kind})"


def _guidance(memory: Memory, today: date, index: int) -> str:
    kind = memory.topic.split(":")[0]
    if kind == "event" and memory.event_date and memory.event_date > today.isoformat():
        return f"Memory {index} is coming up for them on {memory.event_date}; mention it only if it fits."
    if kind == "event":
        return f"Memory {index} was coming up for them; if it fits, ask how it went, once, warmly."
    if kind == "worry":
        return f"Last time they were worried (memory {index}); check in gently, once, if the moment allows."
    return f"Memory {index} was a promise; follow up on it naturally."


async def summarise_previous(book: MemoryBook, user: str, session_id: str, *,
                             model: ChatModel | None = None) -> int | None:
    """A summary memory for the user's last session before this one, unless it has one already."""
    previous = await book.previous_session(user, session_id)
    if previous is None or await book.has_summary(user, previous):
        return None
    turns = [t for t in await book.store.recent_turns(user, session_id=previous, limit=200)
             if t.role == "user" and t.text.strip()]
    if not turns:
        return None
    when = turns[0].created_at[:10]
    text, origin = None, "rules"
    if model is not None:
        text, origin = await _summary_by_model(model, turns), "llm"
    if not text:
        # The turns richest in content words stand for the session; each one is credited as a source.
        picked = sorted(turns, key=lambda t: -len(set(terms(t.text))))[:3]
        picked.sort(key=lambda t: t.id)
        text, origin = f"Conversation on {when}: " + " / ".join(t.text[:140] for t in picked), "rules"
        sources = tuple(t.turn_id for t in picked)
    else:
        sources = tuple(t.turn_id for t in turns)
    ids = await book.add(user, [NewMemory("summary", text, turns[-1].created_at, importance=0.4, session_id=previous,
                                          source_turns=sources, origin=origin, event_date=when)])
    return ids[0]


async def _summary_by_model(model: ChatModel, turns) -> str | None:
    said = "\n".join(f"- {t.text[:300]}" for t in turns[-30:])
    messages = [ChatMessage("system", "Summarise what the person talked about in two short sentences, "
                                      "in the language they used. Facts only."),
                ChatMessage("user", said)]
    try:
        options = GenerationOptions(max_tokens=120, temperature=0.2, background=True)
        text = (await complete(model, messages, options)).strip()
    except KindredError:
        return None
    return text or None


def started_now(started_at: str, last_active_at: str) -> bool:
    """True for a session that ``session_for`` has just created."""
    return started_at == last_active_at

