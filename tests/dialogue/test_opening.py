"""Her first words, named from Kindred's own readers (dialogue/opening.py), and the question after them."""
import pytest

from kindred.dialogue.korean import speech_level
from kindred.dialogue.opening import _repeats, asks_her_day, asks_something, phrases, reply_opening
from kindred.dialogue.reply_guard import ReplyGuard, ReplyRules

REFLECT = ("reflection_of_feelings", "affirmation_and_reassurance")
ASK = ("question", "reflection_of_feelings")
LOSS = "어제 할머니가 돌아가셨어"
LEVELS = [("ko", "banmal"), ("ko", "jondaetmal"), ("en", "banmal")]


def opening(situation="grief", valence=-0.6, register="banmal", turn="t1", strategies=REFLECT, earlier=(),
            text=LOSS, language="ko"):
    return reply_opening(language=language, situation=situation, strategies=strategies, valence=valence,
                         register_ko=register, turn_id=turn, text=text, earlier_replies=earlier)


def bank(feeling, part="open", register="banmal", language="ko"):
    return phrases(language, register)[feeling][part]


@pytest.mark.parametrize("language, register", LEVELS)
def test_every_phrase_is_in_the_chosen_speech_level_and_passes_her_guard(language, register):
    for feeling, parts in phrases(language, register).items():
        for part, variants in parts.items():
            for said in variants:
                if language == "ko":
                    assert speech_level([said]) in {register, ""}, said
                person = ("뭐해?" if language == "ko" else "what are you up to?") if feeling == "her_day" else LOSS
                guard = ReplyGuard(ReplyRules(language=language, register_ko=register, person_text=person))
                whole = f"{parts['open'][0]} {said}" if part == "ask" else said  # a question follows her feeling
                assert all(guard.at(whole[:i]).allows(whole[i]) for i in range(len(whole))), (feeling, whole)
                if part == "open" and feeling != "her_day":
                    assert not said.endswith("?"), said  # her first sentence is never the question
                if part == "ask":
                    assert said.endswith("?") and said.count("?") == 1, said


@pytest.mark.parametrize("language, register", LEVELS)
def test_every_opening_names_a_feeling_as_the_bench_hears_one(language, register):
    # A reflection that names no feeling fails `kindred bench replies`' "plan shows" check, and rightly.
    from kindred.bench.reply_checks import FEELINGS

    for feeling, parts in phrases(language, register).items():
        if feeling != "her_day":
            for said in parts["open"]:
                assert FEELINGS[language].search(said), (feeling, said)


@pytest.mark.parametrize("language, register", LEVELS)
def test_the_variants_of_one_list_do_not_repeat_each_other(language, register):
    # Otherwise the second reply of a sad conversation would find no fresh words at all.
    for feeling, parts in phrases(language, register).items():
        for variants in parts.values():
            for index, said in enumerate(variants):
                assert not _repeats(said, variants[:index] + variants[index + 1:], language), (feeling, said)


@pytest.mark.parametrize("text, feeling", [
    ("오늘 회사에서 잘렸어", "setback"),  # the model answered "사람들은 회사를 잘하는 것에 대해 걱정하지 않아"
    ("동생이 딸 낳았어!", "good_news"),  # read as anger at +0.28 by the chooser
    ("엄마가 또 입원하셨어", "worry_for"),
    ("내일 운전면허 시험이라 너무 떨려", "anxiety"),
    ("심심해", "boredom"),
    ("야근 3일째야 너무 지쳤어", "exhaustion"),
    ("팀장 때문에 진짜 열받아", "anger"),
    ("제일 친한 친구가 다른 도시로 이사 갔어", "missing"),
    ("드디어 논문 다 썼어", "good_news"),
    ("편의점 알바생한테 괜히 짜증냈어. 그 사람 잘못도 아닌데 계속 마음에 걸려", "regret"),  # not anger: they snapped
    ("햄스터 콩이 죽었어.. 아침에 보니까 안 움직이더라", "grief"),  # a pet, then its name
    ("동물병원에서 전화 왔는데 수술 중에 못 버텼대 ㅠ", "grief"),  # not worry about an operation
    ("프러포즈 받았어..! 아직도 손 떨려", "good_news"),  # trembling with joy, not nerves
    ("합격할 수 있을까 너무 걱정돼", "anxiety"),  # hoping to pass is not good news yet
])
def test_what_their_korean_words_show_is_named_even_when_the_reading_is_unsure(text, feeling):
    assert opening(situation="anger", valence=0.1, text=text) in bank(feeling)


@pytest.mark.parametrize("text, feeling", [
    ("I lost my job today.", "setback"), ("My sister had a baby this morning!", "good_news"),
    ("My mom is in the hospital again.", "worry_for"), ("My cat died this morning.", "grief"),
    ("I'm so nervous about my driving test tomorrow.", "anxiety"), ("I got the promotion!", "good_news"),
    ("My best friend moved to another city.", "missing"), ("I finally finished my thesis.", "good_news"),
    ("We said goodbye to Biscuit today. Fourteen years.", "grief"), ("We had to put Duke to sleep.", "grief"),
    ("Our old cat Mochi didn't wake up this morning.", "grief"), ("I snapped at my mom and I feel so bad", "regret"),
])
def test_what_their_english_words_show_is_named(text, feeling):
    assert opening(language="en", situation="sadness", valence=0.0, text=text) in bank(feeling, language="en")


@pytest.mark.parametrize("language, text", [
    ("en", "I lost my keys again"), ("en", "finally home after a terrible day"), ("en", "what if we order pizza"),
    ("en", "what should I eat for lunch?"), ("en", "I'm fine, just tired of this weather lol"),
    ("ko", "점심 뭐 먹지"), ("ko", "폰이 죽었어"), ("ko", "드디어 퇴근"), ("en", "I didn't wake up until noon"),
    ("ko", "ㅋㅋ 괜찮아 뭐 승진 누락 처음도 아닌데"),
])
def test_words_that_only_sometimes_show_a_feeling_are_not_named_without_the_reading(language, text):
    assert opening(language=language, situation="neutral", valence=0.0, text=text) == ""


def test_the_words_are_not_named_when_the_reading_says_the_clear_opposite():
    assert opening(valence=0.5) == ""  # a loss told gladly ("…장례식에서 사촌들 만나서 좋았어"): unsure, say nothing
    assert opening(text="나 승진했어!", valence=-0.5) == ""
    assert opening(text="합격 발표 났는데 떨어졌어", valence=0.1) in bank("setback")  # not good news
    assert opening(language="en", text="finally got the results: I failed", valence=-0.1) in \
        bank("setback", language="en")


def test_a_korean_feeling_only_the_reading_suggests_is_named_by_its_sign_alone():
    parrot = "앵무새 망고 보내줬어.. 말도 몇 마디 할 줄 알았는데 이제 집에 아무 소리가 없어"
    assert opening(situation="anger", text=parrot) in bank("hard")
    assert opening(situation="fun", valence=0.6, text="주말에 바다 갔다 왔어") in bank("bright")
    pride = "부탁 거절했어. 처음으로 싫다고 말했어"  # read as sadness at -0.3: no "많이 힘들지" for it
    assert opening(situation="sadness", valence=-0.3, text=pride) == ""
    assert opening(situation="sadness", valence=-0.5, text=pride) in bank("hard")
    # ...and only when the plan names a feeling, never for a question put to her, never in English
    assert opening(situation="sadness", valence=-0.5, text=pride, strategies=("question",)) == ""
    assert opening(situation="sadness", valence=-0.4, text="너 이름 뭐야?") == ""
    assert opening(situation="anger", valence=-0.33, text="점심 뭐 먹지") == ""
    assert opening(language="en", situation="sadness", valence=-0.6, text="the parrot is quiet now") == ""


def test_when_the_plan_asks_her_question_follows_and_makes_the_whole_reply():
    said = opening(strategies=ASK)
    first, question = said.split(" ", 1)[0], said[said.index(" ") + 1:]
    assert any(said.startswith(v) for v in bank("grief")) and said.endswith("?"), said
    assert any(said.endswith(q) for q in bank("grief", "ask")), said
    guard = ReplyGuard(ReplyRules(language="ko", person_text=LOSS, max_sentences=2, wants_question=True))
    assert guard.at(said).finished(), (first, question)  # the turn says it without the model


def test_no_question_of_hers_when_they_asked_something_or_the_plan_does_not_ask():
    assert opening(strategies=ASK, text="할머니가 돌아가셨어… 나 어떡하지?") in bank("grief")
    assert opening(strategies=ASK, text="할머니가 돌아가셨는데 장례식 때 뭐 입어야 하지") in bank("grief")
    assert opening(strategies=REFLECT) in bank("grief")
    assert opening(language="en", strategies=ASK, text="I got fired. What should I do?", valence=-0.4) in \
        bank("setback", language="en")


def test_the_same_turn_says_the_same_words_and_people_hear_more_than_one():
    assert opening(turn="abc", strategies=ASK) == opening(turn="abc", strategies=ASK)
    assert len({opening(turn=f"turn-{i}") for i in range(40)}) >= 2
    assert len({opening(turn=f"turn-{i}", strategies=ASK).split(" ", 1)[1] for i in range(40)}) >= 2


def test_never_repeats_one_of_her_earlier_replies():
    variants = bank("grief")
    earlier = (f"{variants[0]} 무슨 일 있었어?", f"음, {variants[1]}")
    for i in range(20):
        assert opening(turn=f"t{i}", earlier=earlier) == variants[2]
    assert opening(earlier=(*earlier, variants[2])) == ""
    asked = bank("grief", "ask")
    said = opening(strategies=ASK, earlier=(*asked[:2], "음"))
    assert said.endswith(asked[2]), said
    assert opening(strategies=ASK, earlier=tuple(asked)) in variants  # every question used: the model asks


@pytest.mark.parametrize("text, language, asks", [
    ("뭐해?", "ko", True), ("지금 뭐 해", "ko", True), ("너 오늘 뭐했어?", "ko", True), ("뭐 하고 계세요?", "ko", True),
    ("뭐하는 중이야? ㅋㅋ", "ko", True),
    ("주말에 뭐 해야 할지 모르겠어", "ko", False), ("뭐 해 먹지", "ko", False), ("엄마 뭐해?", "ko", False),
    ("what are you up to?", "en", True), ("hey, what are you doing", "en", True), ("wyd", "en", True),
    ("what did you do today?", "en", True),
    ("what are you doing this weekend with your sister", "en", False), ("what should I do?", "en", False),
])
def test_what_she_is_doing_is_asked_only_by_the_whole_message(text, language, asks):
    assert asks_her_day(text, language) is asks


def test_what_are_you_doing_gets_her_honest_answer_whatever_the_plan_or_reading():
    assert opening(situation="sadness", valence=-0.4, text="뭐해?", strategies=("question",)) in bank("her_day")
    assert opening(situation="neutral", valence=0.0, text="뭐 하세요?", register="jondaetmal") in \
        bank("her_day", register="jondaetmal")
    assert opening(situation="neutral", valence=0.0, text="뭐해?", earlier=tuple(bank("her_day"))) == ""
    said = opening(language="en", situation="neutral", valence=0.0, text="what are you up to?")
    assert said in bank("her_day", language="en")
    guard = ReplyGuard(ReplyRules(language="en", person_text="what are you up to?", max_sentences=2,
                                  wants_question=True))
    assert said.endswith("?") and guard.at(said).finished(), said


@pytest.mark.parametrize("text, language, asks", [
    ("점심 뭐 먹지", "ko", True), ("어떡하지", "ko", True), ("할머니가 돌아가셨어", "ko", False),
    ("what should I do", "en", True), ("any advice?", "en", True), ("My cat died.", "en", False),
])
def test_a_question_is_heard_with_or_without_its_mark(text, language, asks):
    assert asks_something(text, language) is asks
