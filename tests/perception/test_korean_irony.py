"""Korean drawled praise of a deed is irony and is read as its negation; everything else stays."""
import pytest

from kindred.perception.emotion.korean_irony import read_as_meant


@pytest.mark.parametrize(("written", "meant"), [
    ("참 잘~ 한다", "참 못 한다"),  # a tilde after the praise word, the writer's space kept
    ("참잘~한다", "참못한다"),  # written without spaces, after a degree adverb
    ("자알 한다 진짜", "못 한다 진짜"),  # the vowel written twice
    ("자~알 했네 아주", "못 했네 아주"),
    ("잘~들 논다", "못들 논다"),
    ("잘~났다 정말", "못났다 정말"),
    ("대~단하다 정말", "안 대단하다 정말"),
    ("대단~하시네요", "안 대단하시네요"),  # the drawl between the stem and its ending
    ("대다안하다", "안 대단하다"),
    ("후울륭하십니다", "안 훌륭하십니다"),
    ("장~하다 우리 아들", "안 장하다 우리 아들"),
    ("와 참 잘~ 한다 잘~ 해", "와 참 못 한다 못 해"),  # every drawled praise in the message
])
def test_drawled_praise_of_a_deed_is_rewritten_as_its_negation(written, meant):
    assert read_as_meant(written) == meant


@pytest.mark.parametrize("text", [
    "참 잘한다 우리 딸", "진짜 잘했다!", "잘 한다",  # praise said plainly
    "잘했어~", "대단하다~",  # the friendly tilde after the ending
    "아 좋~다", "최고~",  # contentment and cheering, not praise of anyone's deed
    "잘~ 된다", "잘~ 먹었습니다", "사진 자알 나왔네",  # 잘 before wishes, thanks, a compliment
    "참~ 잘했어요",  # a drawled degree adverb alone: also how a teacher praises a child
    "잘~했어 우리 아들", "자알 했어요!", "대~단했어",  # drawled praise told to the one praised
    "시장~ 한 바퀴", "장~ 한 번 보러 가자", "여자알바했다", "잘~ 놓았다", "잘~ 학교 다녀와",
    "I did well~",
])
def test_everything_else_is_read_as_written(text):
    assert read_as_meant(text) == text


def test_rewriting_twice_changes_nothing_more():
    once = read_as_meant("아주 잘~ 하는 짓이다 대~단하다")
    assert read_as_meant(once) == once == "아주 못 하는 짓이다 안 대단하다"
