"""Hybrid recall: written dates, lending to neighbours, questions asking when, turns that ask."""
from dataclasses import replace
from datetime import date

import pytest

from kindred.memory.book import NewMemory
from kindred.memory.dates import Span
from kindred.memory.recall import HybridRecaller, _falls_in, ends_by_asking, lent_shares

from .helpers import Harness

pytestmark = pytest.mark.both_engines

LINES = [  # (speaker, text, day), stored as the product stores turns: the person's as "user", hers as "assistant"
    ("Caroline", "Thanks, Melanie! That means a lot to me.", "2023-05-08"),
    ("Caroline", "Wow Melanie, great to hear from you!", "2023-05-08"),
    ("Melanie", "I painted a horse on the barn wall last week.", "2023-05-08"),
    ("Caroline", "Melanie, you are so kind, thank you Melanie.", "2023-06-02"),
    ("Melanie", "We went camping at the lake with the kids.", "2023-06-02"),
]


async def _book_of(harness: Harness) -> None:
    items = [NewMemory("turn", text, f"{day}T12:00:00+00:00", topic="user" if who == "Melanie" else "assistant",
                       session_id=day, source_turns=(str(i),)) for i, (who, text, day) in enumerate(LINES)]
    await harness.book.add("u", items)


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


def test_a_memory_falls_in_a_span_by_when_it_was_said_or_the_day_it_is_about():
    class Said:
        def __init__(self, happened_at: str, event_date: str | None = None) -> None:
            self.happened_at, self.event_date = happened_at, event_date

    may = Span(date(2023, 5, 1), date(2023, 5, 31), "may 2023")
    assert _falls_in(Said("2023-05-31T23:00:00+00:00"), may)
    assert not _falls_in(Said("2023-06-01T00:00:00+00:00"), may)
    assert _falls_in(Said("2023-04-20T10:00:00+00:00", event_date="2023-05-12"), may)
    assert not _falls_in(Said("2023-05-02T10:00:00+00:00"), None)


def test_a_turn_ends_by_asking_when_its_last_words_are_a_question():
    assert ends_by_asking("Caroline: Wow, what a fun moment! What's the band?  ")
    assert ends_by_asking("너는 주말에 뭐 했어？")
    assert not ends_by_asking("Melanie: Did you see it? I loved it.")
    assert not ends_by_asking("Melanie: Look, is that the band? [shares a photo: a band on stage]")


def test_the_share_lent_falls_with_each_turn_further_away():
    assert lent_shares(1, 0.8) == {-1: 1.0, 1: 1.0}
    shares = lent_shares(3, 0.5)
    assert shares == {-1: 1.0, 1: 1.0, -2: 0.5, 2: 0.5, -3: 0.25, 3: 0.25}


MARKET = [  # (speaker, text, session): the answer is two turns after the line that matches the question
    ("Melanie", "We went to the farmers market downtown on Saturday.", "s1"),
    ("Caroline", "Fun! Anything good?", "s1"),
    ("Melanie", "Mostly fresh figs and a jar of honey.", "s1"),
    ("Caroline", "Nice.", "s1"),
    ("Melanie", "Mostly fresh figs and a jar of honey.", "s2"),  # the same words, said in another session
]


async def _market(harness: Harness) -> None:
    items = [NewMemory("turn", f"{who}: {text}", f"2023-05-0{1 + int(session[1])}T12:00:00+00:00", topic=who,
                       session_id=session, source_turns=(str(i),)) for i, (who, text, session) in enumerate(MARKET)]
    await harness.book.add("u", items)


async def test_a_strong_match_lends_to_turns_two_away_in_its_own_session_only(locate):
    harness = Harness(locate("k.db"))
    await _market(harness)
    question = "What did they get at the farmers market downtown?"
    found = {f.memory.source_turns[0]: f for f in await harness.recaller.search("u", question, limit=5)}
    near = HybridRecaller(harness.book, replace(harness.recaller.weights, lend_window=1))
    nearest = {f.memory.source_turns[0]: f for f in await near.search("u", question, limit=5)}
    assert found["0"].score > found["2"].score  # the market line itself matches best
    assert found["2"].score > found["4"].score  # same words, but only "2" was said two turns after it
    assert found["2"].score > nearest["2"].score  # with a window of one turn it got nothing
    assert found["4"].score == nearest["4"].score  # another session: nothing lent either way
    assert "said around something relevant" in found["2"].reason
    await harness.close()


async def test_a_turn_that_ends_by_asking_counts_for_less_than_the_same_words_told(locate):
    harness = Harness(locate("k.db"))
    items = [NewMemory("turn", text, "2023-05-01T12:00:00+00:00", topic="user", session_id=f"s{i}",
                       source_turns=(str(i),)) for i, text in enumerate(["pottery class on Monday?",
                                                                          "pottery class on Monday."])]
    await harness.book.add("u", items)
    found = await harness.recaller.search("u", "pottery class", limit=2)
    assert [f.memory.source_turns[0] for f in found] == ["1", "0"]
    assert found[1].score == pytest.approx(found[0].score * harness.recaller.weights.asking)
    await harness.close()


CIVILIZATION = [  # (speaker, text): only the second says when, and shares fewer words with the question
    ("James", "Civilization is a strategy game where you start small and build an empire."),
    ("James", "Been playing it for a month now, it really challenges me."),
]


async def test_a_question_asking_when_lifts_the_memory_that_says_when(locate):
    harness = Harness(locate("k.db"))
    items = [NewMemory("turn", f"{who}: {text}", "2023-05-01T12:00:00+00:00", topic=who, session_id=f"s{i}",
                       source_turns=(str(i),)) for i, (who, text) in enumerate(CIVILIZATION)]
    await harness.book.add("u", items)
    question = "When did James start playing Civilization?"
    found = {f.memory.source_turns[0]: f for f in await harness.recaller.search("u", question, limit=2)}
    flat = HybridRecaller(harness.book, replace(harness.recaller.weights, tells_when=0.0))
    unlifted = {f.memory.source_turns[0]: f for f in await flat.search("u", question, limit=2)}
    assert found["1"].score == pytest.approx(unlifted["1"].score + harness.recaller.weights.tells_when)
    assert found["0"].score == pytest.approx(unlifted["0"].score)
    assert "says when" in found["1"].reason
    what = {f.memory.source_turns[0]: f for f in await harness.recaller.search("u", "What does James play?", limit=2)}
    assert "says when" not in what["1"].reason  # not asked when: no lift
    await harness.close()


async def test_a_turn_between_two_strong_matches_gets_more_than_one_beside_only_one(locate):
    harness = Harness(locate("k.db"))
    lines = ["the farmers market downtown", "we got figs", "the farmers market downtown again", "nice weather",
             "the farmers market downtown", "a jar of honey"]
    items = [NewMemory("turn", text, "2023-05-01T12:00:00+00:00", topic="user", session_id="s1",
                       source_turns=(str(i),)) for i, text in enumerate(lines)]
    await harness.book.add("u", items)
    single = HybridRecaller(harness.book, replace(harness.recaller.weights, lend_sum=0.0))
    question = "farmers market downtown"
    summed = {f.memory.source_turns[0]: f.score for f in await harness.recaller.search("u", question, limit=6)}
    largest = {f.memory.source_turns[0]: f.score for f in await single.search("u", question, limit=6)}
    assert summed["1"] > largest["1"]  # between matches 0 and 2, and near 4
    assert summed["5"] > largest["5"]  # beside 4, and 2 and 0 further off
    await harness.close()


async def test_turns_are_counted_around_a_strong_match_with_facts_stored_between_them_skipped(locate):
    """As the turn loop stores them: each turn, its reply, then what was learnt from it."""
    harness = Harness(locate("k.db"))
    for i, (who, text, session) in enumerate(MARKET[:3]):
        await harness.book.add("u", [NewMemory("turn", f"{who}: {text}", "2023-05-02T12:00:00+00:00", topic=who,
                                               session_id=session, source_turns=(str(i),))])
        await harness.book.add("u", [NewMemory("fact", f"A note about turn {i} number {n}", "2023-05-02T12:00:00+00:00",
                                               topic=f"note {i} {n}", session_id=session) for n in range(3)])
    turns = [m.id for m in await harness.book.list("u", kind="turn")]
    first, second, third = sorted(turns)
    assert harness.book.turns_around("u", [(first, "s1"), (second, "s1")], 3) == {
        first: {second: 1, third: 2}, second: {first: -1, third: 1}}
    found = {f.memory.source_turns[0]: f for f in await harness.recaller.search(
        "u", "What did they get at the farmers market downtown?", limit=3) if f.memory.kind == "turn"}
    assert "said around something relevant" in found["2"].reason  # eight memories on, two turns on
    await harness.close()
