"""Her own last moves decide the next one: the rules that read the strategies she chose before (issue #22)."""
from datetime import UTC, datetime

from kindred.affect.context import fresh_context
from kindred.affect.cues import read_cues
from kindred.affect.empathy import EmpathyEngine
from kindred.affect.stage import read_moment, stage_strategies, told_what_happened

from .readings import NEUTRAL, text_reading

Q = ("question", "affirmation_and_reassurance")
COMFORTED = ("affirmation_and_reassurance", "question")


def moment(text, message, language="en", **kwargs):
    return read_moment(text, read_cues(text, language), message=message, preference="balanced", hard_run=0,
                       language=language, **kwargs)


def test_two_questions_answered_move_her_from_asking_to_comforting():
    asked_twice = moment("yes, since Monday", 3, her_last_reply="Since when?", her_strategies=[Q, Q])
    asked_once = moment("yes, since Monday", 3, her_last_reply="Since when?", her_strategies=[Q])
    assert asked_twice.stage == "comforting" and "asked 2 times" in asked_twice.moved_on
    assert asked_once.stage == "exploring"
    lead, _, why = stage_strategies(asked_twice, "reflection_of_feelings")
    assert lead != "question" and "asked 2 times" in why


def test_an_answered_question_is_taken_in_rather_than_followed_by_another():
    answered = moment("no, not really", 4, her_last_reply="Have you told her?", her_strategies=[COMFORTED, Q])
    lead, second, _ = stage_strategies(answered, "reflection_of_feelings")
    assert (lead, second) == ("affirmation_and_reassurance", "restatement_or_paraphrasing")
    # The same words after a comforting reply (no question of hers to answer) are not an answer.
    plain = moment("no, not really", 4, her_strategies=[Q, COMFORTED])
    assert stage_strategies(plain, "reflection_of_feelings")[0] == "question"


def test_comforting_twice_moves_on_to_something_to_do():
    twice = moment("ok", 5, her_strategies=[Q, COMFORTED, COMFORTED])
    once = moment("ok", 5, her_strategies=[Q, Q, COMFORTED])
    assert twice.stage == "acting" and once.stage == "comforting"
    assert stage_strategies(twice, "reflection_of_feelings")[0] == "providing_suggestions"


def test_a_short_message_late_in_a_long_talk_starts_the_wind_down():
    late = moment("yeah I guess so", 10)
    lead, second, _ = stage_strategies(late, "reflection_of_feelings")
    assert (lead, second) == ("others", "providing_suggestions")
    assert stage_strategies(moment("yeah I guess so", 7), "reflection_of_feelings")[0] == "providing_suggestions"


def test_korean_tells_what_happened_by_syllables_not_by_spaces():
    story = "어제 회사에서 팀장님이 다들 보는 앞에서 내 보고서를 찢으면서 소리를 질렀는데 아직도 손이 떨려"
    assert told_what_happened(story, "ko") and moment(story, 2, language="ko").act == "told"
    assert not told_what_happened("응 어제부터 그래", "ko")
    assert not told_what_happened(story.split()[0], "ko")


def test_the_engine_carries_her_choice_into_the_next_turn():
    engine, context = EmpathyEngine(), fresh_context("u", "s")
    now = datetime(2026, 12, 3, tzinfo=UTC)
    first = engine.respond_to(context=context, text="hi", language="en", reading=text_reading(NEUTRAL),
                              message_number=1, now=now)
    assert context.strategies == (first.plan.strategies,)
    engine.respond_to(context=context, text="not great", language="en", reading=text_reading(NEUTRAL),
                      message_number=2, her_last_reply="Hi! What's on your mind?", now=now)
    third = engine.respond_to(context=context, text="work, mostly", language="en", reading=text_reading(NEUTRAL),
                              message_number=3, her_last_reply="What is making it hard?", now=now)
    assert [s[0] for s in context.strategies[:2]] == ["question", "question"]
    assert third.plan.strategies[0] != "question" and "asked 2 times" in third.plan.why


def test_her_strategies_survive_the_database_and_older_rows_have_none():
    import json

    from kindred.affect.carried import SessionFeelings, session_from_dict, session_to_dict

    feelings = SessionFeelings(None, [], ["hi", "work"], [("question", "others"), COMFORTED])
    back = session_from_dict(json.loads(json.dumps(session_to_dict(feelings))))
    assert back.strategies == [("question", "others"), COMFORTED]
    assert session_from_dict({"affect": None, "trajectory": [], "texts": ["hi"]}).strategies == []
