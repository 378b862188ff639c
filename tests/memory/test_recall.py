"""Hybrid recall: names in the question, written dates, and turns stored as LoCoMo-style speakers."""
from datetime import date

import pytest

from kindred.memory.book import NewMemory
from kindred.memory.dates import Span
from kindred.memory.recall import _falls_in, _without_speakers

from .helpers import Harness

pytestmark = pytest.mark.both_engines

LINES = [  # (speaker, text, day): the greetings name Melanie, only her own line says what she painted
    ("Caroline", "Thanks, Melanie! That means a lot to me.", "2023-05-08"),
    ("Caroline", "Wow Melanie, great to hear from you!", "2023-05-08"),
    ("Melanie", "I painted a horse on the barn wall last week.", "2023-05-08"),
    ("Caroline", "Melanie, you are so kind, thank you Melanie.", "2023-06-02"),
    ("Melanie", "We went camping at the lake with the kids.", "2023-06-02"),
]


async def _book_of(harness: Harness) -> None:
    items = [NewMemory("turn", f"{who}: {text}", f"{day}T12:00:00+00:00", topic=who, session_id=day,
                       source_turns=(str(i),)) for i, (who, text, day) in enumerate(LINES)]
    await harness.book.add("u", items)


async def test_a_named_speaker_is_found_by_what_they_said_not_by_greetings_to_them(locate):
    harness = Harness(locate("k.db"))
    await _book_of(harness)
    found = await harness.recaller.search("u", "What has Melanie painted?", limit=2)
    assert "painted a horse" in found[0].memory.text
    await harness.close()


async def test_a_written_date_in_the_question_favours_what_was_said_that_day(locate):
    harness = Harness(locate("k.db"))
    await _book_of(harness)
    def place(found, words: str) -> int:
        return next(i for i, f in enumerate(found) if words in f.memory.text)

    undated = await harness.recaller.search("u", "What happened?", limit=5)
    dated = await harness.recaller.search("u", "What happened on 2 June, 2023?", limit=5)
    assert "from 2 june, 2023" in dated[place(dated, "camping")].reason
    assert "from" not in dated[place(dated, "horse")].reason
    assert place(dated, "camping") < place(undated, "camping")
    await harness.close()


def test_speaker_names_leave_the_keyword_query_but_other_words_stay():
    class Turn:
        def __init__(self, topic: str) -> None:
            self.kind, self.topic = "turn", topic

    assert _without_speakers("What has Melanie painted?", [Turn("Melanie"), Turn("Caroline")]) == "What has painted"
    assert _without_speakers("What has Melanie painted?", []) == "What has Melanie painted?"


def test_a_memory_falls_in_a_span_by_when_it_was_said_or_the_day_it_is_about():
    class Said:
        def __init__(self, happened_at: str, event_date: str | None = None) -> None:
            self.happened_at, self.event_date = happened_at, event_date

    may = Span(date(2023, 5, 1), date(2023, 5, 31), "may 2023")
    assert _falls_in(Said("2023-05-31T23:00:00+00:00"), may)
    assert not _falls_in(Said("2023-06-01T00:00:00+00:00"), may)
    assert _falls_in(Said("2023-04-20T10:00:00+00:00", event_date="2023-05-12"), may)
    assert not _falls_in(Said("2023-05-02T10:00:00+00:00"), None)
