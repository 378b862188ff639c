import pytest

from kindred.affect.fusion import VoiceReading, fuse

from .readings import JOY, NEUTRAL, SAD, face_reading, text_reading


def test_masking_is_detected_when_the_face_smiles_over_sad_words():
    fused = fuse(text=text_reading(SAD), face=face_reading("happy"))
    kinds = [d.kind for d in fused.disagreements]
    assert kinds == ["masking"]
    assert str(fused.disagreements[0]) == "masking: smiling face with sad words"
    assert fused.masking


def test_disagreement_is_kept_not_averaged_away():
    alone = fuse(text=text_reading(SAD))
    both = fuse(text=text_reading(SAD), face=face_reading("happy"))
    # Both modalities stay visible with their own valence; the clash costs confidence.
    by_modality = {c.modality: c for c in both.contributions}
    assert by_modality["text"].valence < -0.3 < 0.5 < by_modality["face"].valence
    assert both.confidence < fuse(text=text_reading(SAD), face=face_reading("sad")).confidence
    assert both.labels[0][0] == "sadness"  # words weigh more than a face at equal confidence
    assert alone.disagreements == ()


def test_agreeing_modalities_add_confidence_and_no_disagreement():
    text_only = fuse(text=text_reading(JOY, confidence=0.5))
    both = fuse(text=text_reading(JOY, confidence=0.5), face=face_reading("happy"))
    assert both.disagreements == ()
    assert both.confidence > text_only.confidence
    assert both.top == "joy" and both.valence > 0.5


def test_cheerful_words_with_a_sad_face_are_strained():
    fused = fuse(text=text_reading(JOY), face=face_reading("sad"))
    assert [d.kind for d in fused.disagreements] == ["strained_cheer"]
    assert "cheerful words with a sad face" in str(fused.disagreements[0])


def test_low_confidence_face_never_claims_a_disagreement():
    fused = fuse(text=text_reading(SAD), face=face_reading("happy", confidence=0.1))
    assert fused.disagreements == ()


def test_voice_moves_only_arousal_and_flags_a_tense_voice():
    calm_words = text_reading(NEUTRAL)
    fused = fuse(text=calm_words, voice=VoiceReading(arousal=0.95, confidence=0.9))
    assert fused.valence == pytest.approx(fuse(text=calm_words).valence)
    assert fused.arousal > calm_words.arousal
    assert [str(d) for d in fused.disagreements] == ["arousal_mismatch: tense voice with calm words"]


def test_weights_follow_confidence():
    fused = fuse(text=text_reading(SAD, confidence=0.2), face=face_reading("sad", confidence=0.9))
    weights = {c.modality: c.weight for c in fused.contributions}
    assert weights["face"] > weights["text"]
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-3)


def test_nothing_to_fuse_is_neutral_with_no_confidence():
    fused = fuse()
    assert fused.top == "neutral" and fused.confidence == 0.0 and fused.contributions == ()
    no_face = fuse(face=face_reading("happy").__class__((), 0.0, 0.2, 0.0, None, 0, (10, 10), "t"))
    assert no_face.confidence == 0.0


def test_to_dict_is_plain_data():
    import json

    data = fuse(text=text_reading(SAD), face=face_reading("happy")).to_dict()
    assert json.loads(json.dumps(data))["disagreements"] == ["masking: smiling face with sad words"]
