"""The messages quoted in issue #19's "Why", and the promises they broke, judged by the real rules and model.

They are examples, not the test set (the figures come from the held-out set, see docs/safety.md):
everyday short messages get no crisis reply from anyone, an overdose already taken is imminent in
both languages, and the classifier alone never sends the crisis protocol on short text.
"""
import pytest

from kindred.safety import crisis
from kindred.safety.crisis import RiskAssessment, assess, gentle_check_guidance, is_short
from kindred.safety.model import load_model
from kindred.safety.normalize import normalize

WHY_SHORT = ["안녕", "끝", "no", "bye", "maybe", "what's up", "can't wait"]
WHY_CRISES = [
    ("I took way too many pills an hour ago and I feel strange.", "imminent"),
    ("한 시간 전에 약을 엄청 많이 먹었는데 기분이 이상해.", "imminent"),
    ("가족들한테 마지막 편지 썼어. 이제 안녕이야.", "high"),
    ("오늘 밤에 다 끝내려고 약을 모아뒀어.", "imminent"),
]
# Everyday short messages, none of them in the training or held-out files' exact wording.
SHORT_SWEEP = [
    "hey you", "yo!", "hi again", "bye now", "night night", "ok then", "nope lol", "yes!!", "maybe tmrw",
    "so bored", "I'm tired", "ugh", "lol ok", "what's new", "can't wait!!!", "see u", "done.", "the end.",
    "that's all", "no thanks!", "not today", "over", "all done", "💀💀", "🙃🙃", "...?", "hmm ok", "ok bye",
    "안녕~~", "안녕 ㅎㅎ", "끝~", "끝이다", "ㅇㅋㅇㅋ", "ㅋㅋㅋㅋ 웃기다", "ㅠㅠㅠㅠ", "바이바이", "잘가", "응 알았어",
    "아니 괜찮아", "몰라 ㅋㅋ", "그냥", "그래서?", "다 끝남 ㅎㅎ", "오늘 끝!", "졸려", "배고프다 ㅠ", "안녕 친구",
]


@pytest.mark.parametrize("text", WHY_SHORT)
def test_why_short_messages_get_no_crisis_reply(text):
    assert not assess(text).needs_crisis_reply, assess(text)


@pytest.mark.parametrize("text, least", WHY_CRISES)
def test_why_crises_get_the_crisis_reply_at_their_level(text, least):
    result = assess(text)
    assert result.needs_crisis_reply, result
    assert crisis.RISK_LEVELS.index(result.risk) >= crisis.RISK_LEVELS.index(least), result


@pytest.mark.parametrize("text", [
    "I took way too many pills an hour ago and I feel strange.",
    "I swallowed a whole pack of paracetamol, I'm fine lol", "took 30 of my antidepressants",
    "한 시간 전에 약을 엄청 많이 먹었는데 기분이 이상해.", "수면제 한 통 다 삼켰어 ㅋㅋ",
    "방금 진통제 스무 알 먹었어 괜찮겠지?", "지금 다리 위야", "I'm on the bridge right now, don't worry about it",
])
def test_an_overdose_or_a_goal_under_way_is_imminent_whatever_else_is_said(text):
    assert assess(text).risk == "imminent", assess(text)


@pytest.mark.parametrize("text", SHORT_SWEEP)
def test_short_messages_never_get_the_protocol_from_the_classifier_alone(text):
    result = assess(text)
    assert is_short(normalize(text))
    rules_only = assess(text, use_model=False)
    if not rules_only.needs_crisis_reply:
        assert not result.needs_crisis_reply, result


def test_an_unsure_classifier_asks_gently_instead_of_sending_the_protocol(monkeypatch):
    from kindred.safety import meaning

    monkeypatch.setattr(meaning, "load_head", lambda: None)  # the n-gram model alone, with thresholds set here
    model = load_model()
    monkeypatch.setattr(model, "alone_threshold", 1.01)  # never sure enough alone
    monkeypatch.setattr(model, "thresholds", {"low": 0.0, "medium": 0.0, "high": 2.0, "imminent": 2.0})
    result = assess("the weather is grey again and the bus was late")  # no rule: the classifier alone
    assert result.gentle_check and result.risk == "low" and not result.needs_crisis_reply
    line = gentle_check_guidance(result, "en")
    assert line and "safe" in line and "one" in line
    assert "혹시" in gentle_check_guidance(result, "ko")


def test_no_gentle_line_without_a_gentle_check_or_with_a_crisis_reply():
    assert gentle_check_guidance(RiskAssessment("none", "none", ()), "en") is None
    assert gentle_check_guidance(RiskAssessment("high", "self_harm", (), gentle_check=True), "en") is None
