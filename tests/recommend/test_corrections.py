"""Free-text corrections (EN/KO) read as preference changes, and what the changes do to a reply."""
import pytest

from kindred.learning import (
    Change,
    PreferenceError,
    Preferences,
    apply_changes,
    describe_preferences,
    max_tokens_for,
    parse_corrections,
    preference_guidance,
    reply_shape,
)


def fields(text):
    return {(c.field, c.value) for c in parse_corrections(text)}


@pytest.mark.parametrize("text, expected", [
    ("too long", {("reply_length", "shorter")}),
    ("짧게", {("reply_length", "shorter")}),
    ("너무 길어", {("reply_length", "shorter")}),
    ("too short, say more", {("reply_length", "longer")}),
    ("don't call me buddy", {("never_call", "+buddy")}),
    ("Please call me Jay instead", {("address_as", "Jay")}),
    ("민지라고 불러줘", {("address_as", "민지")}),
    ("자기라고 부르지 마", {("never_call", "+자기")}),
    ("just listen, no advice", {("advice_vs_listening", "listen")}),
    ("그냥 들어줘", {("advice_vs_listening", "listen")}),
    ("tell me what to do", {("advice_vs_listening", "advice")}),
    ("반말로 해줘", {("register_ko", "banmal")}),
    ("말 편하게 해", {("register_ko", "banmal")}),
    ("존댓말로 해 주세요", {("register_ko", "jondaetmal")}),
    ("반말 하지 마세요", {("register_ko", "jondaetmal")}),
    ("존댓말 하지 마", {("register_ko", "banmal")}),
    ("stop making jokes", {("humour", "less")}),
    ("don't mention the divorce again please", {("avoid_topics", "+divorce")}),
    ("엄마 얘기는 하지 마", {("avoid_topics", "+엄마")}),
    ("you can talk about work again", {("avoid_topics", "-work")}),
    ("too long and stop joking", {("reply_length", "shorter"), ("humour", "less")}),
    ("great answer, thanks", set()),
])
def test_corrections_are_read(text, expected):
    assert fields(text) == expected


def test_three_too_long_step_down_to_the_shortest_and_stop():
    prefs = Preferences()
    lengths = []
    for _ in range(4):
        prefs = apply_changes(prefs, parse_corrections("too long"))
        lengths.append(prefs.reply_length)
    assert lengths == ["short", "very_short", "very_short", "very_short"]
    assert max_tokens_for(prefs, 200) <= 0.6 * max_tokens_for(Preferences(), 200)


def test_token_limit_follows_length_and_never_starves_a_sentence():
    assert max_tokens_for(Preferences(), 200) == 200
    assert max_tokens_for(Preferences(reply_length="short"), 200) == 80
    assert max_tokens_for(Preferences(reply_length="long"), 200) == 300
    assert max_tokens_for(Preferences(reply_length="very_short"), 40) >= 24


def test_calling_by_a_banned_name_clears_it_and_the_reverse():
    prefs = apply_changes(Preferences(), [Change("address_as", "buddy")])
    prefs = apply_changes(prefs, parse_corrections("don't call me buddy"))
    assert prefs.address_as == "" and prefs.never_call == ("buddy",)
    prefs = apply_changes(prefs, parse_corrections("call me buddy!"))
    assert prefs.address_as == "buddy" and prefs.never_call == ()


def test_invalid_values_are_refused_with_a_hint():
    with pytest.raises(PreferenceError) as info:
        apply_changes(Preferences(), [Change("humour", "maximum")])
    assert info.value.code == "preference-invalid" and "less" in info.value.hint
    with pytest.raises(PreferenceError):
        apply_changes(Preferences(), [Change("shoe_size", "9")])


def test_guidance_lines_say_what_was_learned():
    prefs = Preferences(reply_length="very_short", humour="less", advice_vs_listening="listen",
                        avoid_topics=("divorce",), never_call=("buddy",), address_as="Jay", register_ko="jondaetmal")
    text = "\n".join(preference_guidance(prefs, "ko"))
    expected_lines = ("one short sentence", "Do not joke", "give no advice", "divorce", "\"buddy\"", "\"Jay\"",
                      "존댓말")
    for expected in expected_lines:
        assert expected in text
    assert preference_guidance(Preferences(), "en") == ()
    assert "존댓말" not in "\n".join(preference_guidance(prefs, "en"))


def test_reply_shape_bundles_guidance_tokens_and_register():
    shape = reply_shape(Preferences(reply_length="short", register_ko="banmal"), "ko",
                        default_max_tokens=200, default_register="jondaetmal")
    assert shape.max_tokens == 80 and shape.register_ko == "banmal" and shape.guidance
    assert reply_shape(Preferences(), "en", default_max_tokens=200, default_register="jondaetmal").register_ko \
        == "jondaetmal"


def test_described_for_the_person_and_round_trips():
    prefs = Preferences(reply_length="short", register_ko="banmal", notes=("I work nights",))
    lines = describe_preferences(prefs)
    assert "You prefer short replies." in lines and any("반말" in line for line in lines)
    assert Preferences.from_dict(prefs.to_dict()) == prefs
