from datetime import UTC, datetime, timedelta

from kindred.affect.fusion import from_text
from kindred.affect.presence import (
    BASE_BRIGHTNESS,
    BASE_ENERGY,
    FLOOR_BRIGHTNESS,
    Presence,
    after_turn,
    presence_lines,
    recover,
)

from .readings import ANGER, GRIEF, JOY, NEUTRAL, text_reading

T0 = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)


def run(state: Presence, probs, turns: int, start: datetime = T0) -> tuple[Presence, datetime]:
    now = start
    for _ in range(turns):
        now += timedelta(minutes=1)
        state = after_turn(state, from_text(text_reading(probs, confidence=0.9)), now)
    return state, now


def test_she_starts_curious_and_a_neutral_chat_keeps_her_so():
    assert Presence().mood == "curious"
    state, _ = run(Presence(), NEUTRAL, 10)
    assert state.mood == "curious"


def test_a_hard_conversation_makes_her_tender_then_she_recovers():
    state, end = run(Presence(), GRIEF, 12)
    assert state.mood in {"tender", "calm"} and state.energy < BASE_ENERGY
    assert state.brightness >= FLOOR_BRIGHTNESS
    later = recover(state, end + timedelta(hours=12))
    assert later.mood == "curious"
    assert abs(later.brightness - BASE_BRIGHTNESS) < 0.02 and abs(later.energy - BASE_ENERGY) < 0.02


def test_changes_are_slow():
    one, _ = run(Presence(), GRIEF, 1)
    assert abs(one.energy - BASE_ENERGY) < 0.05 and one.mood == "curious"


def test_she_never_mirrors_hostility():
    state, _ = run(Presence(), ANGER, 20)
    assert state.brightness == BASE_BRIGHTNESS  # no sourness at all
    assert state.mood in {"warm", "calm"} and state.energy < BASE_ENERGY  # only calmer
    from kindred.dialogue.prompt import FIXED_RULES

    assert "Never return hostility" in FIXED_RULES  # a rule of every prompt, not a note to remember
    assert "beneath their feelings" in presence_lines(state, "calm")[0]


def test_joy_makes_her_playful_but_playfulness_waits_when_they_need_comfort():
    state, _ = run(Presence(), JOY, 15)
    assert state.mood == "playful"
    assert "Keep the playfulness for later" in presence_lines(state, "comforting")[0]
    assert "Keep the playfulness for later" not in presence_lines(state, "celebrating")[0]


def test_time_is_injected_not_read():
    state = after_turn(Presence(), from_text(text_reading(GRIEF)), T0)
    assert state.updated_at == "2026-11-01T20:00:00+00:00"
    assert recover(state, T0) == state
