"""Defect 3 of issue 21: one very long message must not break the turns after it.

What is stored is what the person sent; what the model reads is budgeted to its window.
"""
import pytest

from kindred.events import Failed, Heard, Replied
from kindred.turn import Companion

from .conftest import ScriptedChat, requires_small_model

BOOK = "I keep thinking about what she said at dinner. " * 2200  # ~100k characters


async def collect(companion, text, **kwargs):
    return [event async for event in companion.turn(text, **kwargs)]


async def test_the_turns_after_a_100k_message_read_a_prompt_that_fits(settings, store):
    chat = ScriptedChat()
    companion = Companion(settings=settings, chat=chat, store=store)
    await collect(companion, BOOK)
    for text in ("sorry, that was long", "anyway, how are you?", "the bus was late again"):
        events = await collect(companion, text)
        assert isinstance(events[-1], Replied) and events[-1].finish == "stop"
    for prompt in chat.calls:  # English runs 3 or more characters a token: a prompt this long cannot overflow
        assert sum(len(m.content) for m in prompt) <= 3 * (settings.context_tokens - settings.max_reply_tokens)
    stored = [t for t in await store.recent_turns(settings.user, limit=20) if t.role == "user"]
    assert stored[0].text == BOOK.strip()  # stored whole: only what the model reads is cut
    assert any("I keep thinking" in m.content for m in chat.calls[-1])  # still in the history, cut to a paragraph


@pytest.mark.slow
@requires_small_model
async def test_with_the_real_model_the_turns_after_a_100k_message_reply_normally(settings, store, tmp_path):
    """The probe's failure: six turns of "Requested tokens (25,900) exceed context window" after one paste."""
    from kindred.dialogue.llama_cpp import LlamaCppChat
    from kindred.models import ensure_model

    chat = LlamaCppChat(ensure_model("small", settings.models_dir), name="smollm2", context_tokens=2048, threads=2,
                        state_dir=tmp_path / "prefix")
    companion = Companion(settings=settings, chat=chat, store=store)
    first = await collect(companion, BOOK)
    assert isinstance(first[0], Heard) and first[0].truncated
    for text in ("sorry, that was a lot", "the bus was late again"):
        events = await collect(companion, text)
        failed = [e for e in events if isinstance(e, Failed)]
        assert not failed, failed
        assert isinstance(events[-1], Replied) and events[-1].text
    rows = await store.recent_turns(settings.user, limit=20)
    assert [t.status for t in rows if t.role == "assistant"] == ["ok", "ok", "ok"]
