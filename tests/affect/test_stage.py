import pytest

from kindred.affect.cues import read_cues
from kindred.affect.fusion import from_text
from kindred.affect.stage import read_moment, stage_of, stage_strategies
from kindred.affect.strategy import choose

from .readings import FEAR, NEUTRAL, SAD, text_reading


def moment(text, message, **kwargs):
    return read_moment(text, read_cues(text, "en"), message=message, preference=kwargs.pop("preference", "balanced"),
                       hard_run=kwargs.pop("hard_run", 0), **kwargs)


def test_the_stage_follows_the_count_of_their_messages():
    assert [stage_of(n, "balanced", 0) for n in (1, 2, 3, 4, 5, 6, 12)] == [
        "opening", "exploring", "exploring", "comforting", "comforting", "acting", "acting"]
    assert stage_of(5, "advice", 2) == "acting"  # a hard feeling that lasts, with someone who wants help
    assert stage_of(9, "listen", 0) == "comforting"  # never pushed to act


@pytest.mark.parametrize("text, message, kwargs, act", [
    ("hi there", 1, {}, "greeted"),
    ("My boss yelled at me in front of everyone today and I have not stopped shaking since he walked "
     "out of the room", 2, {}, "told"),
    ("yes, twice", 3, {"her_last_reply": "Has this happened before?"}, "answered"),
    ("what should I do?", 6, {}, "asked_advice"),
    ("have you ever felt like that?", 4, {}, "asked_about_her"),
    ("that really helps, I will try that", 7, {}, "helped"),
    ("thank you so much", 9, {}, "thanked"),
    ("ok bye", 9, {}, "said_goodbye"),
    ("ok", 3, {}, "said_little"),
])
def test_what_the_person_just_did(text, message, kwargs, act):
    assert moment(text, message, **kwargs).act == act


def test_a_worry_said_again_is_a_repeat_only_when_it_is_the_same_worry():
    earlier = ["I'm so worried about the exam results on Friday"]
    again = moment("still worried the exam results will be bad", 4, earlier_texts=earlier,
                   earlier=read_cues(earlier[0], "en"))
    other = moment("now I'm worried about my sister's wedding speech", 4, earlier_texts=earlier,
                   earlier=read_cues(earlier[0], "en"))
    assert again.act == "repeated_worry" and other.act != "repeated_worry"


def test_stage_strategies_fill_the_open_slot_with_the_feeling_and_say_why():
    lead, second, why = stage_strategies(moment("I feel awful", 1), "reflection_of_feelings")
    assert (lead, second) == ("question", "reflection_of_feelings") and "just starting" in why
    lead, second, why = stage_strategies(moment("ok", 8), "reflection_of_feelings")
    assert lead == "providing_suggestions" and "message 8" in why


def test_the_same_words_get_a_different_lead_as_the_conversation_moves_on():
    reading = from_text(text_reading(SAD))
    early = choose(reading, text="I just feel sad about it", message_number=1)
    later = choose(reading, text="I just feel sad about it", message_number=7)
    assert early.strategies[0] == "question" and later.strategies[0] == "providing_suggestions"
    assert early.tone == later.tone == "comforting"


def test_thanks_late_closes_warmly_and_a_listener_is_never_pushed_to_act():
    thanks = choose(from_text(text_reading(NEUTRAL)), text="thank you, this was nice", message_number=8)
    assert thanks.strategies[0] == "others" and "thanking" in thanks.why
    listener = choose(from_text(text_reading(FEAR)), text="I don't know, it just keeps going",
                      message_number=9, advice_vs_listening="listen")
    assert "providing_suggestions" not in listener.strategies
