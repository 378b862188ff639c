import pytest

from kindred.perception.language import detect_language


@pytest.mark.parametrize("text, expected", [
    ("오늘 회사에서 너무 힘들었어", "ko"),
    ("I had a really rough day at work", "en"),
    ("ok", "en"),
    ("hmm 그래도 괜찮아", "ko"),
    ("Hoy tuve un día muy difícil en el trabajo", "other"),
    ("今日はとても疲れました", "other"),
    ("123 !!!", "other"),
])
def test_detect_language(text, expected):
    assert detect_language(text) == expected
