"""LLM extraction under a JSON schema, retried, with the rules as fallback; the raw turn always kept."""
from datetime import date

import pytest

from kindred.errors import BackendUnavailableError
from kindred.memory.extract import EXTRACTION_SCHEMA, extract, parse_extraction
from kindred.memory.rules import extract_by_rules

from .helpers import Harness

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 1, 7)  # a Wednesday


class AnsweringModel:
    backend = model = "scripted"

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.options = []

    async def stream(self, messages, options):
        self.options.append(options)
        answer = self.answers.pop(0)
        if answer == "DOWN":
            raise BackendUnavailableError("down", "start it", code="llm-unreachable")
        yield answer


GOOD = ('{"facts": [{"topic": "sister\'s name", "value": "Mina", "category": "person"}], '
        '"open": [{"type": "event", "text": "interview", "date": "2026-01-08"}]}')


async def test_the_model_is_asked_for_json_under_the_schema():
    model = AnsweringModel(GOOD)
    found = await extract("My sister Mina says hi; my interview is tomorrow", TODAY, model=model)
    assert found.origin == "llm"
    assert found.facts[0].value == "Mina" and found.open[0].date == "2026-01-08"
    assert model.options[0].json_schema == EXTRACTION_SCHEMA


async def test_broken_json_is_retried_then_the_rules_answer():
    model = AnsweringModel("{not json", "DOWN")
    found = await extract("My sister is called Mina.", TODAY, model=model)
    assert found.origin == "rules" and len(found.notes) == 2
    assert [(f.topic, f.value) for f in found.facts] == [("sister's name", "Mina")]


async def test_a_second_attempt_can_succeed():
    found = await extract("x", TODAY, model=AnsweringModel("", GOOD))
    assert found.origin == "llm"


def test_invalid_items_are_dropped_one_by_one():
    found = parse_extraction('{"facts": [{"topic": "", "value": "x"}, {"topic": "job", "value": "nurse", '
                             '"category": "weird", "date": "soon", "importance": 7}, 3], "open": [{"type": "x"}]}')
    assert [(f.topic, f.value, f.category, f.date, f.importance) for f in found.facts] == [
        ("job", "nurse", "other", None, 1.0)]
    assert found.open == ()
    with pytest.raises(ValueError):
        parse_extraction("no braces here")


async def test_a_failed_extraction_never_drops_the_raw_turn(locate):
    harness = Harness(locate("k.db"), model=AnsweringModel("garbage", "more garbage"))
    _, turn_id, report = await harness.say("u", "I work as a nurse in Incheon.")
    assert report.origin == "rules" and not report.error
    assert (await harness.store.recent_turns("u"))[0].text == "I work as a nurse in Incheon."
    assert any(turn_id in m.source_turns for m in await harness.book.list("u", kind="turn"))
    await harness.close()


async def test_even_a_crash_inside_remembering_is_contained(locate):
    harness = Harness(locate("k.db"))

    async def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    harness.book.add = broken
    _, _, report = await harness.say("u", "hello")
    assert "disk on fire" in report.error
    assert len(await harness.store.recent_turns("u")) == 2
    await harness.close()


@pytest.mark.parametrize("text,expected", [
    ("My sister is called Mina and I live in Busan.", {("sister's name", "Mina"), ("home", "Busan")}),
    ("I really love hiking actually.", {("taste: hiking", "likes")}),
    ("I hate hiking.", {("taste: hiking", "dislikes")}),
    ("내 동생은 지수야.", {("동생 이름", "지수")}),
    ("나 커피 정말 좋아해", {("taste: 커피", "likes")}),
])
def test_rules_find_common_facts(text, expected):
    assert {(f.topic, f.value) for f in extract_by_rules(text, TODAY).facts} == expected


@pytest.mark.parametrize("text,kind,day", [
    ("I have a job interview tomorrow.", "event", "2026-01-08"),
    ("내일 면접 있어.", "event", "2026-01-08"),
    ("I'm so worried about my mom.", "worry", None),
    ("다음 주 금요일 시험이 너무 걱정돼", "worry", "2026-01-16"),
    ("I promise I'll call you back on Friday.", "promise", "2026-01-09"),
])
def test_rules_find_open_threads(text, kind, day):
    (thread,) = extract_by_rules(text, TODAY).open
    assert (thread.type, thread.date) == (kind, day)
