import pytest

from kindred.dialogue.marker_filter import MarkerFilter


def run(pieces):
    markers = MarkerFilter()
    shown = [markers.feed(piece) for piece in pieces]
    return shown, "".join(shown) + markers.flush()


@pytest.mark.parametrize("pieces", [
    ["오늘 정말 축하해!", " [context]"],
    ["오늘 정말 축하해! [", "con", "text", "]"],
    ["오늘 정말 축하해! [CONTEXT]"],
    ["[context]", "오늘 정말 축하해! "],
])
def test_the_marker_never_reaches_the_screen(pieces):
    shown, whole = run(pieces)
    assert "context" not in whole.lower()
    assert whole.strip() == "오늘 정말 축하해!"
    assert not any("[con" in piece.lower() for piece in shown)


def test_a_bracket_that_is_not_the_marker_comes_through():
    shown, whole = run(["I love [con", "certs] and [", "music]"])
    assert whole == "I love [concerts] and [music]"
    assert shown[0] == "I love "  # held until the next piece showed it was not the marker


def test_a_reply_that_ends_on_half_a_marker_keeps_it():
    assert run(["see you [con"])[1] == "see you [con"
