"""The extraction prompt's worked examples teach what grounding keeps, and cannot leak into another turn."""
from datetime import date

import pytest

from kindred.memory.extract import parse_extraction
from kindred.memory.extract_prompt import EXAMPLE_DAY, EXAMPLES, STABLE_PREFIX, extraction_messages
from kindred.memory.grounding import ground

TODAY = date(2026, 1, 7)
OTHER_TURNS = ["My sister Mina is visiting this weekend.", "I have a job interview tomorrow and I'm nervous.",
               "I really love hiking in the mountains.", "내 동생은 지수야.", "나 커피 정말 좋아해.",
               "내일 면접 있어. 너무 긴장돼.", "Good morning!", "What should I eat tonight?"]


@pytest.mark.parametrize("message,answer", EXAMPLES)
def test_each_example_answer_is_all_kept_from_its_own_message(message, answer):
    # An example that grounding would cut teaches the model answers that are then thrown away.
    found = parse_extraction(answer)
    grounded = ground(found, message, EXAMPLE_DAY)
    assert grounded.dropped == ()
    assert len(grounded.extraction.facts) == len(found.facts) and len(grounded.extraction.open) == len(found.open)


@pytest.mark.parametrize("turn", OTHER_TURNS)
def test_an_example_copied_into_another_turn_is_dropped(turn):
    # What the small model did with the old prompt's "sister's name" and "taste: coffee".
    for _, answer in EXAMPLES:
        copied = ground(parse_extraction(answer), turn, TODAY).extraction
        assert copied.facts == () and copied.open == (), (turn, answer)


def test_the_prefix_is_the_same_on_every_day_and_for_every_message():
    one, other = extraction_messages("Hi", TODAY), extraction_messages("나 부산에 살아.", date(2027, 5, 1))
    assert one[:STABLE_PREFIX] == other[:STABLE_PREFIX] and len(one) == STABLE_PREFIX + 1
    assert "2026-01-07 (Wednesday)" in one[-1].content and "나 부산에 살아." in other[-1].content
