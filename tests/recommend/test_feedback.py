"""Feedback that changes her: /bad too long shortens replies; 반말로 해줘 sticks across sessions."""
import asyncio
import statistics

import pytest

from kindred.config import load_settings
from kindred.dialogue.chat_model import GenerationOptions
from kindred.dialogue.persona import default_persona
from kindred.dialogue.prompt import PromptContext, build_messages
from kindred.learning import (
    PreferenceError,
    apply_feedback,
    describe_preferences,
    feedback_history,
    forget_preferences,
    load_preferences,
    reply_shape,
    set_preference,
)
from kindred.memory.sql_store import open_sql_store

from ..conftest import ScriptedChat, requires_small_model

pytestmark = pytest.mark.both_engines

USER = "local"
PROMPTS = (
    "Tell me about a place where you feel calm, and why it helps.",
    "I can't decide whether to change jobs. Can you walk me through how to think about it?",
    "What are some ways to spend a quiet Sunday?",
    "Describe your ideal morning routine in detail.",
    "How can I get better at sleeping on time?",
)


class TokenLimitedChat(ScriptedChat):
    """Rambles until the token limit, like a small model does: only max_tokens can stop it."""

    def __init__(self) -> None:
        super().__init__(["word "] * 1000)

    async def stream(self, messages, options):
        self.calls.append(list(messages))
        for piece in self.pieces[:options.max_tokens]:
            yield piece


async def reply(chat, settings, db, text: str, language: str = "en") -> tuple[str, str]:
    """One reply shaped by the learned preferences, as the turn loop builds it; (reply, the turn's notes)."""
    shape = reply_shape(load_preferences(db, USER), language, default_max_tokens=settings.max_reply_tokens,
                        default_register=settings.register_ko)
    messages = build_messages(PromptContext(persona=default_persona(), user_text=text, language=language,
                                            register_ko=shape.register_ko, guidance=shape.guidance))
    options = GenerationOptions(max_tokens=shape.max_tokens, temperature=0.0)
    pieces = [piece async for piece in chat.stream(messages, options)]
    return "".join(pieces).strip(), messages[-1].content


async def median_length(chat, settings, db, prompts=PROMPTS) -> float:
    return statistics.median([len((await reply(chat, settings, db, text))[0]) for text in prompts])


async def test_three_bad_too_long_cut_median_reply_length_by_40_percent(settings, store):
    chat = TokenLimitedChat()
    before = await median_length(chat, settings, store)
    for turn in ("t1", "t2", "t3"):
        apply_feedback(store, USER, turn, "bad", "too long")
    after = await median_length(chat, settings, store)
    assert after <= 0.6 * before
    assert "one short sentence" in chat.calls[-1][-1].content  # the prompt says so too, not only the limit


def test_korean_register_switches_and_stays_switched_in_the_next_session(home):
    settings = load_settings(register_ko="jondaetmal")  # the configured default is polite
    first = open_sql_store(settings.database_location)
    apply_feedback(first, USER, "t1", "note", "반말로 해줘")
    asyncio.run(first.close())

    second = open_sql_store(settings.database_location)  # a new session: new process, new store
    chat = ScriptedChat()
    _, notes = asyncio.run(reply(chat, settings, second, "오늘 좀 힘들었어", language="ko"))
    assert "반말" in notes and "존댓말" not in notes
    assert load_preferences(second, USER).register_ko == "banmal"

    apply_feedback(second, USER, "t2", "bad", "존댓말로 해 주세요")
    _, notes = asyncio.run(reply(chat, settings, second, "오늘 좀 힘들었어", language="ko"))
    assert "존댓말" in notes
    asyncio.run(second.close())


def test_feedback_is_stored_with_what_was_learned(store):
    apply_feedback(store, USER, "t1", "good")
    apply_feedback(store, USER, "t2", "bad", "don't call me buddy")
    apply_feedback(store, USER, "t3", "note", "I work night shifts")
    history = feedback_history(store, USER)
    assert [h.kind for h in history] == ["note", "bad", "good"]
    assert history[1].changes[0].field == "never_call"
    prefs = load_preferences(store, USER)
    assert prefs.never_call == ("buddy",) and prefs.notes == ("I work night shifts",)
    lines = describe_preferences(prefs)
    assert any("buddy" in line for line in lines) and any("night shifts" in line for line in lines)
    assert load_preferences(store, "someone-else") == type(prefs)()


def test_preferences_can_be_edited_and_forgotten(store):
    apply_feedback(store, USER, "t1", "bad", "too long")
    assert set_preference(store, USER, "reply_length", "long").reply_length == "long"
    with pytest.raises(PreferenceError):
        set_preference(store, USER, "reply_length", "epic")
    forget_preferences(store, USER)
    assert load_preferences(store, USER).reply_length == "normal"


def test_unknown_feedback_kind_is_refused(store):
    with pytest.raises(PreferenceError) as info:
        apply_feedback(store, USER, "t1", "meh")
    assert info.value.code == "feedback-invalid"


@pytest.mark.slow
@requires_small_model
async def test_three_bad_too_long_shorten_the_real_small_model(home):
    from kindred.dialogue.backends import open_chat_model

    settings = load_settings(llm="small")
    chat = open_chat_model(settings)
    db = settings.database_location
    prompts = PROMPTS[:3]  # three replies each side keep this quick on a busy CI machine
    before = await median_length(chat, settings, db, prompts)
    for turn in ("t1", "t2", "t3"):
        apply_feedback(db, USER, turn, "bad", "too long")
    after = await median_length(chat, settings, db, prompts)
    print(f"median reply length: {before:.0f} -> {after:.0f} characters")
    assert after <= 0.6 * before, (before, after)
