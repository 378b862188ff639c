"""The help lines the crisis reply gives for each locale setting: en-GB gets the UK's own."""
import pytest

from kindred.safety.crisis import RiskAssessment
from kindred.safety.crisis_reply import HELPLINES, crisis_reply


@pytest.mark.parametrize("risk", ["medium", "high", "imminent"])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_en_gb_gets_samaritans_and_999_never_the_us_numbers(risk, language):
    text = crisis_reply(RiskAssessment(risk, "self_harm", ()), language, "en-GB")
    assert "116 123" in text
    if risk == "imminent":
        assert "999" in text
    assert "988" not in text and "911" not in text


@pytest.mark.parametrize("category, number", [("harm_to_others", "999"), ("abuse", "0808 2000 247"),
                                              ("medical", "NHS 111")])
def test_en_gb_lines_per_category(category, number):
    text = crisis_reply(RiskAssessment("high", category, ()), "en", "en-GB")
    assert number in text and "911" not in text


def test_every_locale_has_a_line_for_every_category():
    categories = set(HELPLINES["en-US"])
    assert all(set(lines) == categories for lines in HELPLINES.values())
