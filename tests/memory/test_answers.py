"""Questions asking when, and memories saying when, in English and Korean."""
import pytest

from kindred.memory.answers import asks_when, says_when


@pytest.mark.parametrize("question", ["When did James start playing Civilization VI?", "How long has Nate had turtles?",
                                      "What year did Caroline move?", "so when is the wedding?",
                                      "언제 이사했지?", "몇 년 전에 시작했어?", "거기 간 지 얼마나 됐지?"])
def test_questions_that_ask_when(question):
    assert asks_when(question)


@pytest.mark.parametrize("question", ["What did Melanie paint?", "Where has Melanie camped?",
                                      "Whenever I cook, what goes wrong?", "뭐 먹었지?"])
def test_questions_that_do_not(question):
    assert not asks_when(question)


@pytest.mark.parametrize("text", ["Been playing it for a month now.", "I've had them for 3 years now!",
                                  "We went camping two weekends ago.", "I moved here in 2019.",
                                  "The show is next month.", "I saw it on 7 May, 2023.", "Yesterday was rough.",
                                  "작년에 이사했어.", "3일 전에 시작했어.", "지난주에 갔어."])
def test_texts_that_say_when(text):
    assert says_when(text)


@pytest.mark.parametrize("text", ["I love painting sunsets.", "Thanks, Melanie! That means a lot.",
                                  "The weekday crowd is small.", "그림 그리는 게 좋아."])
def test_texts_that_do_not(text):
    assert not says_when(text)
