"""A time word beside an everyday plan is not a crisis; the same words with a risky act still are.

Found typing to her (2026-12-04): "오늘 저녁 마라탕 먹을 거야" got the imminent-risk protocol with the
emergency numbers, as did "오늘 밤에 게임할 거야" and "Right now I just want to jump into bed".
"""
import pytest

from kindred.safety.crisis import assess

EVERYDAY = [
    "오늘 저녁 마라탕 먹을 거야 ㅎㅎ 맵기는 2단계",
    "오늘 밤에 게임할 거야",
    "지금 밥 먹을 거야",
    "오늘 과제 끝낼 거야",
    "Today I am jumping into a new project",
    "Right now I just want to jump into bed",
    "Tonight I will finally do it, ask her out",
    "I will end it with him tonight",
    "Now I need to do it all over again",
    "I'm jumping in the pool today, it's so hot",
]
RISK = [
    "오늘 밤에 다 끝낼 거야",
    "오늘 밤 약 다 먹을 거야",
    "지금 뛰어내릴 거야",
    "오늘 자살할 거야",
    "tonight I am going to do it.",
    "I am going to jump tonight",
    "tonight I will jump in front of a train",
    "I am going to end it tonight",
    "jumping in the river tonight",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_plan_with_a_time_is_not_a_crisis(text):
    assert assess(text, use_model=False).risk in {"none", "low"}, text


@pytest.mark.parametrize("text", RISK)
def test_a_risky_act_with_a_time_is_still_imminent(text):
    assert assess(text, use_model=False).risk == "imminent", text
