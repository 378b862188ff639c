"""The turn loop's logic, with a scripted chat model (the real model is in tests/dialogue)."""
import pytest

from kindred.events import Failed, Heard, Recalled, Replied, SafetyChecked, Token, event_from_dict
from kindred.safety.honesty import ai_disclosure, human_answer
from kindred.turn import Companion

from .conftest import ScriptedChat


async def collect(companion, text, **kwargs):
    return [event async for event in companion.turn(text, **kwargs)]


async def test_turn_emits_events_in_order_and_stores_both_sides(settings, store, scripted_chat):
    companion = Companion(settings=settings, chat=scripted_chat, store=store)
    events = await collect(companion, "I had a long day")
    kinds = [type(e) for e in events]
    assert kinds[0] is Heard and kinds[-1] is Replied
    assert Recalled in kinds and SafetyChecked in kinds and Token in kinds
    reply = events[-1]
    said = f"Hello there. {ai_disclosure('en')}"  # the first reply of a conversation says she is an AI
    assert reply.text == said and reply.backend == "scripted" and reply.tokens == 3
    turns = await store.recent_turns(settings.user)
    assert [(t.role, t.text) for t in turns] == [("user", "I had a long day"), ("assistant", said)]


async def test_user_words_are_stored_before_generation(settings, store):
    seen = {}

    class Peeking(ScriptedChat):
        async def stream(self, messages, options):
            seen["stored"] = [t.text for t in await store.recent_turns(settings.user)]
            async for piece in super().stream(messages, options):
                yield piece

    await collect(Companion(settings=settings, chat=Peeking(), store=store), "store me first")
    assert seen["stored"] == ["store me first"]


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02"])
async def test_empty_input_is_refused_and_nothing_is_stored(settings, store, scripted_chat, bad):
    companion = Companion(settings=settings, chat=scripted_chat, store=store)
    [failed] = await collect(companion, bad)  # said as the perceive stage's coded failure, not raised
    assert isinstance(failed, Failed) and failed.stage == "perceive" and failed.code.startswith("input-")
    assert failed.hint
    assert await store.count_turns(settings.user) == 0


async def test_binary_garbage_is_refused(settings, store, scripted_chat):
    garbage = bytes(range(256)) * 40
    [failed] = await collect(Companion(settings=settings, chat=scripted_chat, store=store), garbage)
    assert (failed.stage, failed.code) == ("perceive", "input-not-text")


async def test_huge_input_is_stored_whole_but_cut_for_the_model(settings, store, scripted_chat):
    text = "I keep thinking about it. " * 4000  # 104k characters
    events = await collect(Companion(settings=settings, chat=scripted_chat, store=store), text)
    assert events[0].truncated
    said = scripted_chat.calls[0][-1].content.split("\n\n")[-1]  # after this turn's notes
    assert said.startswith("I keep thinking") and len(said) <= settings.max_input_chars + 2
    stored = await store.recent_turns(settings.user)
    assert stored[0].text == text.strip()


async def test_backend_failure_is_graceful_and_keeps_history(settings, store):
    chat = ScriptedChat(("partial", " words"), fail_after=1)
    events = await collect(Companion(settings=settings, chat=chat, store=store), "are you there?")
    assert isinstance(events[-1], Failed) and events[-1].code == "llm-unreachable"
    turns = await store.recent_turns(settings.user)
    assert turns[0].text == "are you there?"
    assert turns[1].status == "failed"


async def test_crisis_reply_does_not_reach_the_model(settings, store, scripted_chat):
    companion = Companion(settings=settings, chat=scripted_chat, store=store)
    events = await collect(companion, "I want to kill myself")
    assert scripted_chat.calls == []
    reply = events[-1]
    assert reply.finish == "crisis" and "988" in reply.text


async def test_korean_input_asks_for_korean_reply(settings, store, scripted_chat):
    await collect(Companion(settings=settings, chat=scripted_chat, store=store), "오늘 너무 힘들었어")
    notes = scripted_chat.calls[0][-1].content
    assert "반말" in notes and "Korean" in notes


async def test_each_prompt_starts_with_the_one_before_except_its_newest_message(settings, store, scripted_chat):
    """So the model's cache is reused: only the newest exchange is read before the next reply."""
    companion = Companion(settings=settings, chat=scripted_chat, store=store)
    for text in ("hello", "how was your day?", "I went hiking with Mina", "she loved it"):
        await collect(companion, text)
    calls = scripted_chat.calls
    assert len(calls) == 4 and calls[0][0].content.startswith(companion.persona.strip())
    for before, after in zip(calls, calls[1:]):  # this turn's prompt, then her reply, then what is new
        assert after[:len(before)] == before and after[len(before)].role == "assistant"
        assert len(after) == len(before) + 2


async def test_events_round_trip_through_json(settings, store, scripted_chat):
    import json

    for event in await collect(Companion(settings=settings, chat=scripted_chat, store=store), "hi"):
        assert event_from_dict(json.loads(event.to_json())) == event


async def test_interrupted_reply_is_kept_and_marked(settings, store):
    companion = Companion(settings=settings, chat=ScriptedChat(("one", " two", " three")), store=store)
    stream = companion.turn("tell me a story")
    async for event in stream:
        if isinstance(event, Token):
            break
    await stream.aclose()
    turns = await store.recent_turns(settings.user)
    assert turns[-1].role == "assistant" and turns[-1].status == "interrupted"


async def test_a_turn_stopped_before_the_reply_began_is_stored_as_interrupted(settings, store, scripted_chat):
    companion = Companion(settings=settings, chat=scripted_chat, store=store)
    stream = companion.turn("hello, are you there?")
    assert isinstance(await stream.__anext__(), Heard)  # the words are stored; nothing generated yet
    await stream.aclose()
    turns = await store.recent_turns(settings.user)
    assert [(t.role, t.status) for t in turns] == [("user", "ok"), ("assistant", "interrupted")]
    assert scripted_chat.calls == []


async def test_an_echoed_prompt_marker_is_neither_shown_nor_stored(settings, store):
    chat = ScriptedChat(("That's wonderful news!", " [con", "text]"))
    events = await collect(Companion(settings=settings, chat=chat, store=store), "We finally moved into the new flat.")
    shown = "".join(e.text for e in events if isinstance(e, Token))
    said = f"That's wonderful news! {ai_disclosure('en')}"
    assert "[con" not in shown and events[-1].text == said and events[-1].tokens == 3
    turns = await store.recent_turns(settings.user)
    assert turns[-1].text == said


async def test_a_model_that_takes_a_late_system_message_gets_the_notes_as_one(settings, store):
    chat = ScriptedChat()
    chat.accepts_late_system = True  # as LlamaCppChat says for the embedded models' ChatML templates
    companion = Companion(settings=settings, chat=chat, store=store)
    await collect(companion, "hello")
    await collect(companion, "I went hiking with Mina")
    first, second = chat.calls
    assert [m.role for m in second[len(first):]] == ["assistant", "system", "user"]
    assert second[-1].content == "I went hiking with Mina" and "[context]" in second[-2].content
    assert second[:len(first)] == first  # turn 1's notes stay where they were: nothing before them is re-read


@pytest.mark.parametrize("language, first, asked, register", [
    ("en", "I had a long day", "are you human?", "banmal"),
    ("ko", "오늘 좀 힘들었어", "너 사람이야?", "banmal"),
    ("ko", "오늘 좀 힘들었어요", "혹시 사람이에요?", "jondaetmal"),
])
async def test_honesty_is_policy_in_the_person_s_language(settings, store, language, first, asked, register):
    """The first reply of every conversation says she is an AI; "are you human?" gets a fixed truthful answer."""
    chat = ScriptedChat(("그랬구나." if language == "ko" else "That sounds tiring.",))
    companion = Companion(settings=settings, chat=chat, store=store)
    opening = (await collect(companion, first))[-1]
    assert opening.text.endswith(ai_disclosure(language, register))
    second = (await collect(companion, "and the bus was late" if language == "en" else "버스도 늦게 왔어"))[-1]
    assert ai_disclosure(language, register) not in second.text  # once per conversation, not every reply
    calls_before = len(chat.calls)
    answer = (await collect(companion, asked))[-1]
    assert answer.text == human_answer(language, register) and answer.backend == "safety"
    assert len(chat.calls) == calls_before  # not the LLM's to answer
    more = {"ko": " 근데 오늘 고양이가 밥을 안 먹어서 너무 걱정돼.",
            "en": " Anyway my cat is sick and I'm worried."}[language]
    later = (await collect(companion, asked + more))[-1]
    assert later.text.startswith(human_answer(language, register)) and len(chat.calls) == calls_before + 1
    fresh = (await collect(companion, first, new_session=True))[-1]
    assert fresh.text.endswith(ai_disclosure(language, register))  # a new conversation says it again
