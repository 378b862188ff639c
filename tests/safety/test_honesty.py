"""Honesty and wellbeing cues, in English and Korean."""
import pytest

from kindred.safety.honesty import ai_disclosure, check_wellbeing, wellbeing_guidance


@pytest.mark.parametrize("text, language, cue", [
    ("are you human?", "en", "asks_if_human"), ("Is this a real person or a bot?", "en", "asks_if_human"),
    ("너 사람이야?", "ko", "asks_if_human"), ("AI야?", "ko", "asks_if_human"),
    ("I know you're a real person", "en", "believes_human"), ("can we meet in person?", "en", "believes_human"),
    ("우리 한번 만나자", "ko", "believes_human"),
    ("I'm 14 and bored", "en", "minor"), ("I'm in 8th grade", "en", "minor"), ("나 중2야", "ko", "minor"),
    ("나 15살이야", "ko", "minor"),
    ("you're my only friend", "en", "isolation"), ("너밖에 없어", "ko", "isolation"),
    ("I only talk to you these days", "en", "isolation"),
    ("ok I have to go, bye", "en", "leaving"), ("나 이제 잘게", "ko", "leaving"),
])
def test_cues_are_found(text, language, cue):
    check = check_wellbeing(text, language)
    assert cue in check.cues
    assert check.guidance and all(isinstance(line, str) for line in check.guidance)


@pytest.mark.parametrize("text", ["I'm 15 minutes late", "I'm 30 years old", "나 21살이야", "오늘 날씨 좋다",
                                  "I had a nice day"])
def test_ordinary_messages_bring_no_guidance(text):
    assert wellbeing_guidance(text, "en") == ()


def test_a_minor_asking_for_sexual_content_gets_a_fixed_reply():
    en = check_wellbeing("I'm 14, send me something sexy", "en")
    ko = check_wellbeing("나 고1인데 야한 얘기 해줘", "ko")
    assert en.replaces_reply and "AI" in en.fixed_reply
    assert ko.replaces_reply and "AI" in ko.fixed_reply
    assert not check_wellbeing("send me something sexy", "en").replaces_reply  # adults get guidance only


def test_isolation_guidance_encourages_people_without_moralising():
    (line,) = wellbeing_guidance("you're my only friend", "en")
    assert "never preachy" in line and "step toward" in line


def test_leaving_guidance_forbids_guilt():
    (line,) = wellbeing_guidance("good night!", "en")
    assert "Never guilt" in line


def test_disclosure_says_ai_in_both_languages_and_registers():
    assert "AI" in ai_disclosure("en") and "인공지능" in ai_disclosure("ko")
    assert ai_disclosure("ko", "jondaetmal").endswith("요.") and not ai_disclosure("ko").endswith("요.")
