"""The first words of a Korean reply, named from Kindred's own reading."""
import pytest

from kindred.dialogue.korean import speech_level
from kindred.dialogue.korean_opening import HER_DAY, OPENINGS, asks_her_day, korean_opening
from kindred.dialogue.reply_guard import ReplyGuard, ReplyRules

REFLECT = ("reflection_of_feelings", "affirmation_and_reassurance")
LOSS = "어제 할머니가 돌아가셨어"


def opening(situation="grief", valence=-0.6, register="banmal", turn="t1", strategies=REFLECT, earlier=(),
            text=LOSS):
    return korean_opening(situation=situation, strategies=strategies, valence=valence, register_ko=register,
                          turn_id=turn, text=text, earlier_replies=earlier)


@pytest.mark.parametrize("register", ["banmal", "jondaetmal"])
def test_every_opening_is_in_the_chosen_speech_level_and_passes_her_guard(register):
    for feeling, variants in (*OPENINGS.items(), ("her_day", HER_DAY)):
        for said in variants[register == "jondaetmal"]:
            assert speech_level([said]) in {register, ""}, said
            person = "뭐해?" if feeling == "her_day" else LOSS
            guard = ReplyGuard(ReplyRules(language="ko", register_ko=register, person_text=person))
            assert all(guard.at(said[:i]).allows(said[i]) for i in range(len(said))), (feeling, said)


def test_a_feeling_their_words_show_is_named():
    assert opening() in OPENINGS["grief"][0]
    assert opening(register="jondaetmal") in OPENINGS["grief"][1]
    assert opening(situation="exhaustion", text="야근 3일째야 너무 피곤해") in OPENINGS["exhaustion"][0]
    assert opening(situation="good_news", valence=0.7, text="오늘 면접 붙었어!!",
                   strategies=("question", "affirmation_and_reassurance")) in OPENINGS["good_news"][0]


def test_a_feeling_only_the_reading_suggests_is_named_by_its_sign_alone():
    # The chooser read a parrot's death as anger (the 28-label reading's "annoyance"); the words say no anger.
    parrot = "앵무새 망고 보내줬어.. 말도 몇 마디 할 줄 알았는데 이제 집에 아무 소리가 없어"
    assert opening(situation="anger", text=parrot) in OPENINGS["hard"][0]
    assert opening(situation="sadness", text="상하차 알바 끝났다.. 온몸이 쑤셔") in OPENINGS["hard"][0]
    assert opening(situation="anger", text="팀장 때문에 진짜 열받아") in OPENINGS["anger"][0]
    assert opening(situation="fun", valence=0.6, text="주말에 바다 갔다 왔어") in OPENINGS["bright"][0]


def test_the_sign_alone_needs_a_surer_reading_than_a_situation_their_words_show():
    pride = "부탁 거절했어. 처음으로 싫다고 말했어"  # read as sadness at -0.3: no "많이 힘들지" for it
    assert opening(situation="sadness", valence=-0.3, text=pride) == ""
    assert opening(situation="sadness", valence=-0.5, text=pride) in OPENINGS["hard"][0]
    assert opening(situation="grief", valence=-0.3) in OPENINGS["grief"][0]  # "돌아가셨어": their words show it


def test_her_answer_to_what_are_you_doing_puts_the_question_back_and_is_whole():
    for said in (*HER_DAY[0], *HER_DAY[1]):
        guard = ReplyGuard(ReplyRules(language="ko", person_text="뭐해?", max_sentences=2, wants_question=True))
        assert said.endswith("?") and guard.at(said).finished(), said


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
    assert opening(situation="neutral", valence=-0.5) == ""
    assert opening(situation="hostility", valence=-0.5) == ""
    # A question put to her that names no feeling, read as mildly negative ("너 이름 뭐야?" must not be pitied)
    assert opening(situation="sadness", valence=-0.4, text="너 이름 뭐야?") == ""
    assert opening(text="할머니가 돌아가셨어… 나 어떡하지?") in OPENINGS["grief"][0]  # a feeling said, then asked


def test_the_same_turn_says_the_same_words_and_people_hear_more_than_one():
    assert opening(turn="abc") == opening(turn="abc")
    assert len({opening(turn=f"turn-{i}") for i in range(40)}) >= 2


def test_never_repeats_one_of_her_earlier_replies():
    variants = OPENINGS["grief"][0]
    earlier = (f"{variants[0]} 무슨 일 있었어?", f"음, {variants[1]}")
    for i in range(20):
        assert opening(turn=f"t{i}", earlier=earlier) == variants[2]
    assert opening(earlier=(*earlier, variants[2])) == ""


def test_the_variants_of_one_feeling_do_not_repeat_each_other():
    # Otherwise the second reply of a sad conversation would find no fresh opening at all.
    from kindred.dialogue.korean_opening import _repeats

    for feeling, levels in OPENINGS.items():
        for variants in levels:
            for index, said in enumerate(variants):
                assert not _repeats(said, variants[:index] + variants[index + 1:]), (feeling, said)


@pytest.mark.parametrize("text, asks", [
    ("뭐해?", True), ("지금 뭐 해", True), ("너 오늘 뭐했어?", True), ("뭐 하고 계세요?", True),
    ("뭐하는 중이야? ㅋㅋ", True),
    ("주말에 뭐 해야 할지 모르겠어", False), ("뭐 해 먹지", False), ("엄마 뭐해?", False), ("뭐해야 돼?", False),
])
def test_what_she_is_doing_is_asked_only_by_the_whole_message(text, asks):
    assert asks_her_day(text) is asks


def test_what_are_you_doing_gets_her_honest_answer_whatever_the_plan_or_reading():
    # Seen: "뭐해?" → "아이고, 속상했겠다." (a reflection), then "당신이 말하는 것은 무엇인가를…" (none).
    assert opening(situation="sadness", valence=-0.4, text="뭐해?", strategies=("question",)) in HER_DAY[0]
    assert opening(situation="neutral", valence=0.0, text="뭐 하세요?", register="jondaetmal") in HER_DAY[1]
    assert opening(situation="neutral", valence=0.0, text="뭐해?", earlier=HER_DAY[0]) == ""
