"""The first words of a Korean reply, named from Kindred's own reading."""
import pytest

from kindred.dialogue.korean import speech_level
from kindred.dialogue.korean_opening import OPENINGS, korean_opening
from kindred.dialogue.reply_guard import ReplyGuard, ReplyRules

REFLECT = ("reflection_of_feelings", "affirmation_and_reassurance")


def opening(situation="grief", valence=-0.6, register="banmal", turn="t1", strategies=REFLECT, earlier=()):
    return korean_opening(situation=situation, strategies=strategies, valence=valence, register_ko=register,
                          turn_id=turn, earlier_replies=earlier)


@pytest.mark.parametrize("register", ["banmal", "jondaetmal"])
def test_every_opening_is_in_the_chosen_speech_level_and_passes_her_guard(register):
    for situation, variants in OPENINGS.items():
        for said in variants[register == "jondaetmal"]:
            assert speech_level([said]) in {register, ""}, said
            rules = ReplyRules(language="ko", register_ko=register, person_text="어제 할머니가 돌아가셨어")
            guard = ReplyGuard(rules)
            assert all(guard.at(said[:i]).allows(said[i]) for i in range(len(said))), (situation, said)


def test_a_loss_read_as_sad_opens_with_its_feeling():
    assert opening() in OPENINGS["grief"][0]
    assert opening(register="jondaetmal") in OPENINGS["grief"][1]
    assert opening(situation="good_news", valence=0.7, strategies=("affirmation_and_reassurance", "question")) \
        in OPENINGS["good_news"][0]


@pytest.mark.parametrize("situation, valence", [
    ("grief", -0.1),  # the reading is not sure it hurts
    ("grief", 0.5),  # the reading says the opposite of the situation
    ("good_news", 0.1),
    ("good_news", -0.4),
])
def test_no_opening_when_the_reading_is_unsure_or_disagrees(situation, valence):
    assert opening(situation=situation, valence=valence) == ""


def test_no_opening_when_the_plan_names_no_feeling_or_the_situation_has_none():
    assert opening(strategies=("question", "reflection_of_feelings")) in OPENINGS["grief"][0]  # feeling, then ask
    assert opening(strategies=("question", "providing_suggestions")) == ""
    assert opening(strategies=()) == ""
    assert opening(situation="neutral", valence=0.0) == ""
    assert opening(situation="masked", valence=-0.5) == ""


def test_the_same_turn_says_the_same_words_and_people_hear_more_than_one():
    assert opening(turn="abc") == opening(turn="abc")
    assert len({opening(turn=f"turn-{i}") for i in range(40)}) >= 2


def test_never_repeats_one_of_her_earlier_replies():
    variants = OPENINGS["sadness"][0]
    earlier = (f"{variants[0]} 무슨 일 있었어?", f"음, {variants[1]}")
    for i in range(20):
        assert opening(situation="sadness", turn=f"t{i}", earlier=earlier) == variants[2]
    assert opening(situation="sadness", earlier=(*earlier, variants[2])) == ""


def test_the_variants_of_one_feeling_do_not_repeat_each_other():
    # Otherwise the second reply of a sad conversation would find no fresh opening at all.
    for situation, levels in OPENINGS.items():
        for variants in levels:
            for index, said in enumerate(variants):
                others = variants[:index] + variants[index + 1:]
                assert opening(situation=situation, earlier=others, register="banmal" if levels[0] is variants
                               else "jondaetmal",
                               valence=0.7 if situation == "good_news" else -0.7,
                               strategies=REFLECT) == said
