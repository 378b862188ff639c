"""The reply guard: what a reply may not say, decided for one more piece of text at a time."""
import pytest

from kindred.dialogue.reply_guard import ReplyGuard, ReplyRules, greets, sentences_done


def guard(person: str = "", language: str = "en", **kwargs) -> ReplyGuard:
    return ReplyGuard(ReplyRules(language=language, person_text=person, **kwargs))


def test_no_chinese_characters_kana_lists_or_markup_in_any_language():
    for language in ("en", "ko"):
        step = guard(language=language).at("")
        assert not any(step.allows(piece) for piece in ("好", "です", "\n", "* ", "**", "# ", "[context]", "<b>"))


def test_a_korean_reply_has_no_latin_letters_unless_the_person_used_that_word():
    assert not guard("오늘 너무 힘들었어", "ko").at("그랬구나 ").allows("so")
    used = guard("오늘 KTX 타고 내려가", "ko")
    assert used.at("").allows("KT") and used.at("KT").allows("X") and not used.at("").allows("bus")


def test_an_english_reply_has_no_hangul_unless_the_person_wrote_some():
    assert not guard("I'm tired").at("Oh ").allows("아")
    assert guard("I love 김밥").at("Me too, ").allows("김")


@pytest.mark.parametrize("register, text, piece, allowed", [
    ("banmal", "많이 힘들었어", "요", False),
    ("banmal", "많이 힘들었", "어요", False),
    ("banmal", "많이 힘들었어", ".", True),
    ("banmal", "", "요즘", True),
    ("banmal", "아 ", "저는", False),  # a friend says 나는
    ("banmal", "오늘 ", "제일", True),
    ("banmal", "그 이유는 뭔가", "요", False),  # -가요 is 존댓말 too (seen in the bench: 무엇인가요?)
    ("jondaetmal", "많이 힘드셨겠어", ".", False),  # the model then writes -요
    ("jondaetmal", "많이 힘드셨겠어요", ".", True),
    ("jondaetmal", "여기서 기다리고", " ", True),  # a space alone closes no sentence
    ("jondaetmal", "우와", "!", True),
    ("banmal", "", "당신", False),  # a translation's "you" ("당신이 말하는 것은…", seen on 뭐해?)
    ("banmal", "그건 당", "신", False),
    ("jondaetmal", "", "당신은", False),
    ("banmal", "그건 당", "연하지", True),  # 당연: the same first syllable, another word
])
def test_the_speech_level_holds(register, text, piece, allowed):
    assert guard("힘들어", "ko", register_ko=register).at(text).allows(piece) is allowed


def test_a_reply_in_jondaetmal_may_not_end_on_a_casual_word():
    step = guard("힘들어요", "ko", register_ko="jondaetmal")
    assert not step.at("많이 힘드셨겠어").allows("") and step.at("많이 힘드셨겠어요.").allows("")


def test_no_echo_of_the_person_or_of_her_own_earlier_replies():
    korean = guard("요즘 너무 외로워. 퇴근하고 집에 오면 아무도 없어.", "ko")
    assert not korean.at("퇴근하고 집").allows("에")  # 6 letters in a row from their message
    assert korean.at("퇴근하고 ").allows("나면")
    english = guard("My manager yelled at me in front of everyone", earlier_replies=("That sounds so hard.",))
    assert not english.at("He yelled at me in").allows(" front")
    assert english.at("He yelled at you in").allows(" front")
    assert not english.at("Oh no. That sounds so").allows(" hard")


def test_the_person_s_life_is_not_told_back_as_hers():
    step = guard("My cat died this morning and my manager yelled at me")
    assert not step.at("Oh no, my").allows(" cat") and step.at("Oh no, your").allows(" cat")
    assert step.at("Oh my").allows(" goodness")
    korean = guard("내 생일인데 아무도 몰라", "ko")
    assert not korean.at("오늘 내 ").allows("생일") and korean.at("오늘 네 ").allows("생일")


def test_help_desk_and_lecture_phrases_are_refused_where_they_complete():
    step = guard("I'm sad")
    assert not step.at("That's hard. How can I").allows(" help")
    assert not step.at("It").allows("'s important")
    assert not step.at("Please consider a").allows(" professional")
    # Seen on a fresh clone, 2026-12-03, after "I finally finished my first marathon today!"
    assert not step.at("Congratulations! Is there anything else you'd").allows(" like")
    # Seen on a fresh clone, 2026-12-03, after "my manager yelled at me … and I just froze"
    assert not step.at("That sounds awful. What do you need help").allows(" with")
    assert step.at("That sounds awful. What do you need").allows(" right now?")  # asking what they need is not
    assert not guard("슬퍼", "ko").at("내가 ").allows("도와줄까")
    sad = guard("오늘 시험 또 떨어졌어", "ko")  # the forms seen on a fresh clone, 2026-12-03
    assert not sad.at("어떤 방법으로도 도와").allows("드려?") and not sad.at("어떻게 도와 ").allows("릴까?")
    assert not sad.at("내가 어떻게 ").allows("도와") and sad.at("많이 ").allows("속상했겠다")
    # Seen in `kindred bench replies --lang ko`, 2026-12-03: the offer said with 도움 instead of 돕다.
    assert not sad.at("과연 어떻게 도움이 될 수 있").allows("을까?") and not sad.at("내가 어떻게 ").allows("도움이")
    assert guard("산책하고 왔어", "ko").at("좋았겠다. 그게 좀 도움이 ").allows("됐어?")  # asking whether it helped
    assert not sad.at("너무 슬프겠다. 언제든 도와줄 ").allows("수")  # seen on a fresh clone, 2026-12-03
    # A lecture's opening: "the ways are as follows:", and an AI disclaimer used as an excuse.
    daughter = guard("딸이 요즘 말을 안 해요", "ko", register_ko="jondaetmal")
    assert not daughter.at("방법은 다음과").allows(" 같") and not daughter.at("저는 인공지능이").allows("므로")
    assert not step.at("Here is what you can do").allows(":")


def test_advice_only_when_the_plan_allows_it():
    assert not guard("ugh").at("That's rough. You could").allows(" try")
    assert guard("ugh", may_suggest=True).at("That's rough. You could").allows(" try")
    assert guard("I finished!").at("I'm so happy you could").allows(" make it")  # not advice
    # Seen on a fresh clone, 2026-12-04, to "강아지가 어젯밤에 죽었어": "친구들끼리 이야기해보는 게 좋을 것같아?"
    dog = guard("강아지가 어젯밤에 죽었어", "ko")
    assert not dog.at("마음이 많이 아프겠다. 친구들끼리 이야기해보는 ").allows("게")
    assert not dog.at("그럴 땐 산책 나가 보는 게 ").allows("좋아")
    assert dog.at("마음이 많이 아프겠다. 어떤 아이였는지 ").allows("궁금해")
    assert guard("힘들어", "ko", may_suggest=True).at("잠깐 산책해 보는 ").allows("게")


def test_the_feeling_first_one_question_and_the_reply_ends_with_it():
    step = guard("I got the job")
    assert not step.at("Wow, really").allows("?")  # the opening sentence is never a question
    assert step.at("Wow, that's amazing.").allows(" How do you feel?")
    assert step.at("That's amazing. How do you feel?").finished()
    assert not step.at("That's amazing.").finished()


def test_the_sentence_budget():
    assert guard(max_sentences=2).at("One. Two.").finished() and not guard(max_sentences=2).at("One.").finished()
    assert guard().at("One. Two. Three.").finished()
    assert sentences_done("Wait... really? Yes!") == (3, False)
    # A chatty Korean sentence closes on "~"; uncounted, a 존댓말 reply ran on for 150 characters in the bench.
    assert sentences_done("정말 좋네요~ 오늘도 잘 보내세요~") == (2, False)
    assert guard("끝났어요!", "ko", register_ko="jondaetmal", max_sentences=2).at("좋네요~ 잘 보내세요~").finished()


def test_greetings_only_back_to_a_greeting():
    assert not guard("I'm so tired").at("").allows("Hi")
    assert not guard("피곤해", "ko").at("").allows("안녕")
    assert guard("hey!", may_greet=True).at("").allows("Hey")
    assert greets("hey there") and greets("안녕하세요!") and not greets("I'm tired")


def test_no_numbered_list_even_on_one_line():
    step = guard("list fruits", may_suggest=True)
    assert not step.at("").allows("1.") and not step.at("Sure: apples, 2").allows(".")
    assert step.at("I ran 5").allows("k today.")


def test_a_plan_that_asks_a_question_ends_on_one():
    step = guard("I got the job", wants_question=True, max_sentences=3)
    assert step.at("Wow, that's amazing.").allows(" You")  # the second sentence may be anything
    assert not step.at("Wow, that's amazing.").allows("")  # but the reply may not end before the question
    last = step.at("Wow, that's amazing. I'm so proud.")
    assert last.allows(" How") and last.allows(" What") and not last.allows(" You")
    assert not step.at("Wow. So proud. How does it feel").allows(".") and not last.allows("")
    korean = guard("합격했어", "ko", wants_question=True, max_sentences=2).at("우와, 축하해! 누구한테 제일 먼저 말했")
    assert not korean.allows("어.") and korean.allows("어?")


def test_a_loop_is_refused_but_laughter_is_not():
    step = guard("hm", "ko")
    assert not step.at("오늘은 뭐 할 거야. 락 락").allows(" 락")
    assert not guard("hm").at("Thanks =3 =3").allows(" =3")
    assert step.at("좋다 ㅋㅋ").allows("ㅋ") and guard("hm").at("Ha, very").allows(" very")


def test_a_korean_sentence_that_retells_their_message_with_a_letter_changed_is_refused():
    step = guard("외할아버지 오늘 새벽에 돌아가셨대. 지금 병원 가는 택시 안이야", "ko")
    assert not step.at("외할아버지가 새벽에 돌아와서 병원 가는 택").allows("사")
    assert step.at("아이고, 얼마나 마음이 무너질까. 지금은 좀 어").allows("때")


def test_a_length_cap_ends_a_reply_sooner_than_its_sentence_budget():
    capped = ReplyGuard(ReplyRules(language="ko", person_text="오늘 면접 붙었어!!", max_sentences=3, length_cap=20))
    plain = ReplyGuard(ReplyRules(language="ko", person_text="오늘 면접 붙었어!!", max_sentences=3))
    said = "대박, 진짜 축하해! 그 회사 분위기는 어땠는지 정말 궁금하다"
    assert not plain.at(said + ".").finished() and capped.at(said + ".").finished()  # ends at the sentence end
    assert not capped.at("대박, 진짜 축하해! 그 회사").finished()  # not cut mid-sentence before 1.5 × the cap
    assert capped.at(said + " 나도 기분이 너무 좋아서").finished()  # a runaway sentence is cut at 1.5 ×
