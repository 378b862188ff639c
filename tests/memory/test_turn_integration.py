"""The hybrid recaller inside the real turn loop: session 1's fact is in session 3's Recalled event."""
from types import SimpleNamespace

import pytest

from kindred.events import Heard, Recalled
from kindred.memory.embedder import HashEmbedder
from kindred.memory.long_term import open_long_term_memory
from kindred.memory.recall import HybridRecaller
from kindred.turn import Companion

from ..conftest import ScriptedChat
from .helpers import Clock

pytestmark = pytest.mark.both_engines


async def test_recalled_event_carries_a_fact_from_two_sessions_ago(settings, monkeypatch):
    from kindred.memory.sql_store import open_sql_store

    # Storage and recall are under test here; the crisis classifier is tested in tests/safety.
    monkeypatch.setattr("kindred.turn.assess", lambda text: SimpleNamespace(
        risk="none", category="none", reasons=(), needs_crisis_reply=False))
    clock = Clock()
    store = open_sql_store(settings.database_location, clock=clock)
    memory = open_long_term_memory(store, settings, embedder=HashEmbedder())
    assert isinstance(memory.recaller, HybridRecaller)
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store, recaller=memory.recaller)

    async def turn(text):
        events = [e async for e in companion.turn(text)]
        heard = next(e for e in events if isinstance(e, Heard))
        await memory.rememberer.after_turn(user=heard.user, session_id=heard.session_id, turn_id=heard.turn_id,
                                    user_text=text, reply_text=events[-1].text, language="en")
        return events

    await turn("My best friend Yuna is moving to Vancouver in March. I'm worried I'll miss her.")
    clock.advance(days=2)
    events = await turn("Work was quiet today.")
    opening = await memory.opening(settings.user, events[0].session_id)
    assert any("miss her" in m.text for m in opening.memories) and opening.guidance
    clock.advance(days=2)
    events = await turn("Where is Yuna moving to?")
    recalled = next(e for e in events if isinstance(e, Recalled))
    assert any("Vancouver" in m.text for m in recalled.memories)
    assert [m.id for m in recalled.memories] == list(range(1, len(recalled.memories) + 1))
    assert await memory.handle_request(settings.user, "hello") is None
    await store.close()


async def test_the_last_session_is_summarised_after_the_first_reply_not_before_it(settings):
    """With the LLM a summary costs seconds: the person's first word of a new session must not wait for it."""
    from kindred.events import Replied
    from kindred.memory.sql_store import open_sql_store

    clock = Clock()
    store = open_sql_store(settings.database_location, clock=clock)
    memory = open_long_term_memory(store, settings, embedder=HashEmbedder())
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store, memory=memory)
    [e async for e in companion.turn("My sister Hana is visiting next week, we're going hiking.")]
    clock.advance(days=1)
    summaries_at_reply = None
    async for event in companion.turn("hi again"):
        if isinstance(event, Replied):
            summaries_at_reply = await memory.book.list(settings.user, kind="summary")
    assert summaries_at_reply == []
    summaries = await memory.book.list(settings.user, kind="summary")
    assert len(summaries) == 1 and "Hana" in summaries[0].text
    await store.close()
