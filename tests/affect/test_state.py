from kindred.affect.reading import EmotionReading
from kindred.affect.state import AffectState, evidence
from kindred.perception.emotion.taxonomy import LABELS, valence_arousal


def reading(probs: dict[str, float], confidence: float = 0.9, language: str = "en") -> EmotionReading:
    full = [probs.get(label, 0.01) for label in LABELS]
    valence, arousal = valence_arousal(full)
    ordered = tuple(sorted(zip(LABELS, full), key=lambda item: -item[1]))
    active = tuple(label for label, p in ordered if p >= 0.5) or (ordered[0][0],)
    return EmotionReading(ordered, active, valence, arousal, language, confidence, "test")


SAD = {"sadness": 0.85, "grief": 0.6}
OK = {"neutral": 0.8, "approval": 0.15}
JOY = {"joy": 0.9, "excitement": 0.6}


def test_first_clear_reading_sets_the_state():
    state = AffectState()
    snap = state.update(reading(SAD))
    assert snap.label in {"sadness", "grief"}
    assert snap.valence < -0.5
    assert snap.turns == 1


def test_ok_after_sad_does_not_wipe_sadness():
    state = AffectState()
    state.update(reading(SAD))
    after = state.update(reading(OK))
    assert after.label in {"sadness", "grief"}
    assert after.valence < -0.4


def test_many_neutral_turns_let_the_feeling_fade():
    state = AffectState()
    sad = state.update(reading(SAD)).valence
    for _ in range(25):
        snap = state.update(reading(OK))
    assert snap.valence > sad * 0.5
    assert snap.strength < 0.5


def test_a_clear_new_feeling_takes_over_quickly():
    state = AffectState()
    state.update(reading(SAD))
    state.update(reading(JOY))
    snap = state.update(reading(JOY))
    assert snap.valence > 0.2
    assert snap.label in {"joy", "excitement"}


def test_low_confidence_moves_little():
    state = AffectState()
    state.update(reading(SAD))
    snap = state.update(reading(JOY, confidence=0.05, language="other"))
    assert snap.valence < -0.3


def test_evidence_is_bounded_and_neutral_is_weak():
    assert 0.0 < evidence(reading(OK)) < evidence(reading(SAD)) <= 1.0


def test_reset():
    state = AffectState()
    state.update(reading(SAD))
    state.reset()
    assert state.snapshot.turns == 0 and state.snapshot.label == "neutral"
