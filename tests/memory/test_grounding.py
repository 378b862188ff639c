"""Only facts the person's own words support are kept from the LLM's extraction."""
from datetime import date

import pytest

from kindred.memory.extract import extract
from kindred.memory.grounding import Message, ground, supported
from kindred.memory.rules import Extraction, Fact, OpenThread

TODAY = date(2026, 1, 7)  # a Wednesday


class AnsweringModel:
    backend = model = "scripted"

    def __init__(self, answer: str) -> None:
        self.answer = answer

    async def stream(self, messages, options):
        yield self.answer


def fact(topic: str, value: str, day: str | None = None) -> Fact:
    return Fact(topic, value, "other", f"{topic}: {value}", day)


def kept(text: str, *facts: Fact) -> list[tuple[str, str]]:
    return [(f.topic, f.value) for f in ground(Extraction(facts, (), "llm"), text, TODAY).extraction.facts]


def test_the_inventions_seen_with_the_small_model_are_dropped():
    text = "I had a long day at work and I'm just tired."
    assert kept(text, fact("taste: coffee", "likes"), fact("party", "tomorrow at 9am")) == []


@pytest.mark.parametrize("text,claim", [
    ("My sister Mina is visiting", fact("sister's name", "Mina")),
    ("I've been interviewing for jobs all week", fact("job search", "interviews")),
    ("We got married last spring", fact("marriage", "marry")),
    ("I really love hiking actually.", fact("taste: hiking", "likes")),
    ("나 커피를 정말 좋아해", fact("taste: 커피", "좋아함")),
    ("내 동생은 지수야.", fact("동생 이름", "지수")),
    ("요즘 시험 때문에 걱정돼", fact("worry", "시험 걱정됨")),
    ("My interview is at 9 tomorrow", fact("interview", "9 o'clock")),
])
def test_what_they_said_is_kept_whatever_the_inflection_or_particle(text, claim):
    assert kept(text, claim) == [(claim.topic, claim.value)]


@pytest.mark.parametrize("text,claim", [
    ("My friend Mina is visiting", fact("sister's name", "Mina")),  # the relation is theirs to name
    ("I have an interview tomorrow", fact("interview", "tomorrow at 9am")),  # a time never said
    ("나 차를 좋아해", fact("taste: 커피", "좋아함")),
    ("I have three kids", fact("kids", "4 children")),
])
def test_a_claim_that_goes_beyond_their_words_is_dropped(text, claim):
    assert kept(text, claim) == []


def test_a_date_counts_when_the_relative_word_names_it():
    text = "my job interview is tomorrow"
    found = ground(Extraction((fact("interview", "interview", "2026-01-08"),),
                              (OpenThread("event", "job interview", "2026-01-08"),), "llm"), text, TODAY)
    assert found.extraction.facts[0].date == "2026-01-08" and found.extraction.open[0].date == "2026-01-08"
    assert found.dropped == ()


def test_an_invented_date_is_cleared_and_the_fact_kept():
    found = ground(Extraction((fact("interview", "interview", "2026-03-01"),),
                              (OpenThread("event", "interview", "2026-03-01"),), "llm"), "I have an interview", TODAY)
    assert found.extraction.facts[0].date is None and found.extraction.open[0].date is None
    assert len(found.dropped) == 2


def test_korean_relative_dates_count():
    message = Message.of("다음 주 금요일에 시험이 있어", TODAY)
    assert message.has_date("2026-01-16") and not message.has_date("2026-01-09")


def test_a_paraphrase_may_miss_one_word_in_three_but_not_more():
    message = Message.of("I'm nervous about my driving test on Friday", TODAY)
    assert supported("upcoming driving test", message)
    assert not supported("upcoming piano recital", message)
    assert not supported("likes", message)  # nothing to check is nothing grounded


async def test_extract_grounds_the_models_answer_and_the_baseline_can_skip_it():
    answer = ('{"facts": [{"topic": "taste: coffee", "value": "likes", "category": "preference"}, '
              '{"topic": "work", "value": "nurse", "category": "other"}], '
              '"open": [{"type": "event", "text": "party tomorrow at 9am", "date": "2026-01-08"}]}')
    text = "I work as a nurse and I'm tired."
    found = await extract(text, TODAY, model=AnsweringModel(answer))
    assert [(f.topic, f.value) for f in found.facts] == [("work", "nurse")] and found.open == ()
    raw = await extract(text, TODAY, model=AnsweringModel(answer), grounded=False)
    assert len(raw.facts) == 2 and len(raw.open) == 1


HEARSAY = ["My friend says coffee helps with exams.", "친구가 그러는데 커피가 시험에 도움이 된대."]


@pytest.mark.parametrize("text", HEARSAY)
def test_a_taste_needs_their_own_attitude_not_only_the_things_name(text):
    # The word is theirs, the taste is not: "likes" is kept only when the message states an attitude.
    assert kept(text, fact("taste: coffee", "likes"), fact("taste: 커피", "좋아함")) == []


def test_a_polarity_in_any_wording_needs_their_attitude():
    # Seen from the 1.5B model on "매운 음식은 못 먹어": a taste given in Chinese, with no attitude word said.
    assert kept("매운 음식은 못 먹어.", fact("taste: 음식", "不喜欢")) == []


@pytest.mark.parametrize("text,claim", [
    ("I can't stand spicy food.", fact("taste: spicy food", "dislikes")),
    ("My favourite book is The Little Prince.", fact("taste: the little prince", "likes")),
    ("할머니 김치가 제일 맛있어.", fact("taste: 김치", "좋아함")),
])
def test_an_attitude_in_their_words_keeps_the_taste(text, claim):
    assert kept(text, claim) == [(claim.topic, claim.value)]


def test_a_value_that_only_says_when_needs_its_topic_said_too():
    text = "I play tennis every Sunday."
    assert kept(text, fact("schedule", "Sunday"), fact("weekly plan", "every Sunday")) == []
    assert kept(text, fact("tennis", "every Sunday")) == [("tennis", "every Sunday")]
    assert kept("매주 일요일에 테니스 쳐.", fact("일정", "매주 일요일"), fact("테니스", "매주 일요일")) == [
        ("테니스", "매주 일요일")]


@pytest.mark.parametrize("text", HEARSAY)
def test_what_someone_else_says_supports_only_a_fact_about_that_someone(text):
    said_by_friend = fact("취미", "커피") if "친구" in text else fact("study tip", "coffee helps with exams")
    about_friend = fact("친구", "커피가 시험에 도움이 된대") if "친구" in text else fact("friend", "says coffee helps")
    assert kept(text, said_by_friend, about_friend) == [(about_friend.topic, about_friend.value)]
    found = ground(Extraction((), (OpenThread("worry", "exams" if "exam" in text else "시험"),), "llm"), text, TODAY)
    assert found.extraction.open == ()


def test_their_own_sentence_next_to_a_reported_one_still_counts():
    assert kept("My mom says I work too much. I work as a nurse.", fact("work", "nurse")) == [("work", "nurse")]
