"""Rules kept for their figure on ESConv dev's even half (issue #22, docs/empathy.md); each fails without its rule."""
from kindred.affect.cues import read_cues
from kindred.affect.fusion import from_text
from kindred.affect.stage import read_moment, stage_strategies
from kindred.affect.strategy import choose

from .readings import FEAR, NEUTRAL, SAD, text_reading

Q = ("question", "affirmation_and_reassurance")


def moment(text, message, **kwargs):
    return read_moment(text, read_cues(text, "en"), message=message, preference="balanced", hard_run=0, **kwargs)


def test_a_question_late_in_the_talk_is_answered_before_a_step_is_offered():
    asks = moment("do people usually get over this kind of thing?", 7)
    assert asks.stage == "acting" and asks.asks
    lead, second, why = stage_strategies(asks, "reflection_of_feelings")
    assert (lead, second) == ("information", "providing_suggestions") and "asked her something" in why
    # The same moment without a question, and a question while still exploring, are not answered with facts.
    assert stage_strategies(moment("people usually get over this kind of thing", 7), "reflection_of_feelings")[0] \
        == "providing_suggestions"
    assert stage_strategies(moment("do people usually get over it?", 2), "reflection_of_feelings")[0] == "question"


def test_an_early_story_after_two_answered_questions_is_taken_in_and_explored():
    story = ("my manager told me in front of everyone that my work was sloppy and I have been replaying it "
             "all night and I cannot sleep")
    early = moment(story, 3, her_last_reply="What happened?", her_strategies=[Q, Q])
    assert early.stage == "comforting" and early.act == "told"
    assert stage_strategies(early, "reflection_of_feelings")[:2] == ("affirmation_and_reassurance", "question")
    # At message 5 the story gets a step beside the comfort, as before.
    late = moment(story, 5, her_strategies=[Q, Q, Q, Q])
    assert stage_strategies(late, "reflection_of_feelings")[:2] == ("affirmation_and_reassurance",
                                                                    "providing_suggestions")


def test_thanks_is_answered_warmly_with_one_last_thing_to_try():
    lead, second, why = stage_strategies(moment("thank you, this really was nice to talk about", 8), "question")
    assert (lead, second) == ("others", "providing_suggestions") and "last thing to try" in why


def test_an_anxious_person_is_reassured_before_being_asked_more():
    anxious = choose(from_text(text_reading(FEAR)), text="I keep thinking about the interview tomorrow",
                     earlier_texts=["hi"], message_number=2)
    sad = choose(from_text(text_reading(SAD)), text="I keep thinking about the interview tomorrow",
                 earlier_texts=["hi"], message_number=2)
    assert anxious.situation == "anxiety" and anxious.strategies == ("affirmation_and_reassurance", "question")
    assert "reassure before asking" in anxious.why
    assert sad.strategies[0] == "question"  # only fear changes the exploring lead
    # Asking for advice still gets a suggestion, anxious or not.
    advice = choose(from_text(text_reading(FEAR)), text="what should I do about the interview?",
                    earlier_texts=["hi"], message_number=2)
    assert advice.strategies[0] == "providing_suggestions"
    neutral = choose(from_text(text_reading(NEUTRAL)), text="I keep thinking about the interview tomorrow",
                     earlier_texts=["hi"], message_number=2)
    assert neutral.strategies[0] == "question"
