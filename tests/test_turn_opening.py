"""A reply starts from the feeling Kindred's readers found; with her question after it, it is whole (opening.py)."""
from kindred.affect.reading import EmotionReading
from kindred.dialogue.opening import phrases
from kindred.events import Chose, Replied, Token
from kindred.turn import Companion

from .conftest import ScriptedChat


class SadReader:
    """A test double for the turn's logic: every message reads as sad (the real model is in tests/perception)."""

    name = "sad-reader"

    def read(self, text: str) -> EmotionReading:
        return EmotionReading((("sadness", 0.7), ("grief", 0.2)), ("sadness", "grief"), -0.7, 0.3, "ko", 0.9,
                              self.name)


class Continuing(ScriptedChat):
    continues_opening = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.openings: list[str] = []

    async def stream(self, messages, options):
        self.openings.append(options.opening)
        self.sentences = options.guard.max_sentences if options.guard else None
        async for piece in super().stream(messages, options):
            yield piece


GRIEF, HER_DAY = phrases("ko")["grief"], phrases("ko")["her_day"]["open"]


async def test_a_korean_loss_is_answered_from_its_feeling_then_her_question_without_the_model(settings, store):
    chat = Continuing((" 지금", " 옆에", " 있을게."))
    companion = Companion(settings=settings, chat=chat, store=store, emotion=SadReader())
    events = [e async for e in companion.turn("어제 할머니가 돌아가셨어")]
    [chose] = [e for e in events if isinstance(e, Chose)]
    assert "question" in chose.strategies, chose.why  # a conversation's start: she asks, after the feeling
    assert chat.openings == []  # the feeling and a question that fits it are her whole reply
    reply = events[-1]
    assert isinstance(reply, Replied) and reply.tokens == 0 and "옆에" not in reply.text
    assert not [e for e in events if isinstance(e, Token)]  # whole, like a safety reply: shown once
    opening = next(v for v in GRIEF["open"] if reply.text.startswith(v))
    assert any(reply.text.startswith(f"{opening} {q}") for q in GRIEF["ask"]), reply.text
    stored = await store.recent_turns(settings.user)
    assert stored[-1].text == reply.text


async def test_when_they_ask_something_the_model_answers_after_the_named_feeling(settings, store):
    chat = Continuing((" 지금", " 옆에", " 있을게."))
    companion = Companion(settings=settings, chat=chat, store=store, emotion=SadReader())
    events = [e async for e in companion.turn("어제 할머니가 돌아가셨어… 나 어떡하지?")]
    [opening] = chat.openings
    assert opening in GRIEF["open"]
    assert chat.sentences == 2  # the named feeling, then one sentence of the model's own
    tokens = [e for e in events if isinstance(e, Token)]
    assert (tokens[0].text, tokens[0].policy) == (opening, True)  # said at once, before the model's words
    reply = events[-1]
    assert isinstance(reply, Replied) and reply.text.startswith(f"{opening} 지금 옆에 있을게.")


async def test_english_words_are_heard_too_and_a_backend_that_cannot_continue_gets_no_opening(settings, store):
    english = Continuing((" I'm", " here."))
    companion = Companion(settings=settings, chat=english, store=store, emotion=SadReader())
    events = [e async for e in companion.turn("My grandmother died yesterday. What do I even do now?")]
    [opening] = english.openings
    assert opening in phrases("en")["grief"]["open"]
    assert events[-1].text.startswith(f"{opening} I'm here.")

    class Plain(ScriptedChat):
        seen: list[str] = []

        async def stream(self, messages, options):
            self.seen.append(options.opening)
            async for piece in super().stream(messages, options):
                yield piece

    plain = Plain()
    other = Companion(settings=settings, chat=plain, store=store, emotion=SadReader())
    events = [e async for e in other.turn("어제 할머니가 돌아가셨어")]
    first = next(e for e in events if isinstance(e, Token))
    assert plain.seen == [""] and (first.text, first.policy) == ("Hello", False)


async def test_what_are_you_doing_is_answered_whole_by_her_own_honest_answer(settings, store):
    # Her answer already asks back: the model is not asked to go on (it made up a day she did not have).
    chat = Continuing((" 오늘", " 산책", " 했어."))
    companion = Companion(settings=settings, chat=chat, store=store, emotion=SadReader())
    events = [e async for e in companion.turn("뭐해?")]
    assert chat.openings == []
    reply = events[-1]
    assert isinstance(reply, Replied) and reply.finish == "stop" and reply.tokens == 0
    # Given whole, like a safety reply: no tokens, so the terminal, the voice and the page say it once.
    assert not [e for e in events if isinstance(e, Token)]
    assert any(reply.text.startswith(v) for v in HER_DAY) and "산책" not in reply.text
    assert [t.text for t in await store.recent_turns(user=settings.user, limit=2)][-1] == reply.text


async def test_with_the_real_readers_what_the_words_say_leads_where_the_reading_alone_misread(settings, store):
    # Seen on a fresh clone: the emotion model read a birth as anger (+0.28) and a firing as glad (+0.13), and the
    # model answered "알았어! 그게 얼마나 힘든 건지…" and "사람들은 회사를 잘하는 것에 대해 걱정하지 않아…".
    from .affect.readings import real_emotion_model

    reader = real_emotion_model()
    cases = [("동생이 딸 낳았어!", "good_news", "ko"), ("오늘 회사에서 잘렸어", "setback", "ko"),
             ("I got the promotion!", "good_news", "en"), ("My cat died this morning.", "grief", "en")]
    for text, feeling, language in cases:
        chat = Continuing((" 음.",))
        companion = Companion(settings=settings, chat=chat, store=store, emotion=reader)
        events = [e async for e in companion.turn(text, user=f"person-{feeling}-{language}")]
        reply = events[-1]
        assert isinstance(reply, Replied), events
        words = phrases(language)[feeling]
        assert any(reply.text.startswith(f"{o} {q}") for o in words["open"] for q in words["ask"]), reply.text
        assert chat.openings == [] and reply.tokens == 0  # her whole reply, the model not asked
