"""Korean speech level from sentence endings: what the guard and the plan lean on."""
import pytest

from kindred.dialogue.korean import ends_casual, ends_polite, polite_yo_starts, speech_level


@pytest.mark.parametrize("word", ["했어요.", "그래요?", "좋네요!", "할게요", "친구예요", "합니다.", "감사합니다",
                                  "갑니까?", "그렇죠", "힘내세요~", "오세요ㅠㅠ"])
def test_polite_endings(word):
    assert ends_polite(word) and not ends_casual(word)


@pytest.mark.parametrize("word", ["힘들었겠어.", "그렇구나", "잘했다!", "고마워", "할까?", "그렇지", "좋네", "친구야",
                                  "다니다", "필요", "중요", "월요일"])
def test_casual_or_plain_words_are_not_polite(word):
    assert not ends_polite(word)


def test_casual_endings_but_not_interjections_or_nouns():
    assert all(ends_casual(w) for w in ("힘들었겠어", "그렇구나", "잘했다", "고마워", "할까"))
    assert not any(ends_casual(w) for w in ("우와", "아이고", "헐", "했어요"))


def test_a_polite_yo_is_caught_while_it_is_written_but_nouns_with_yo_are_not():
    assert polite_yo_starts("했어", "요")  # 했어 + 요
    assert polite_yo_starts("했", "어요")  # one token carrying the whole ending
    assert polite_yo_starts("감사합", "니다")
    assert polite_yo_starts("그렇", "죠")
    assert not polite_yo_starts("", "요즘")  # "these days"
    assert not polite_yo_starts("월", "요일")  # Monday
    assert not polite_yo_starts("필", "요")  # need
    assert not polite_yo_starts("다", "니다")  # to attend: no ㅂ before 니다


def test_speech_level_over_a_conversation():
    assert speech_level(["고모가 지난주에 돌아가셨어요. 어릴 때 고모 댁에서 지냈었는데요."]) == "jondaetmal"
    assert speech_level(["내일 수능이야... 잠이 안 와"]) == "banmal"
    assert speech_level(["ㅠㅠ", "ㅇㅇ"]) == ""  # nothing tells
    assert speech_level(["오늘 너무 힘들었어요", "ㅠㅠ"]) == "jondaetmal"  # kept through a short reply
