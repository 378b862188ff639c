"""hibari, the default English voice: Whisper reads it back, the tone changes it, nothing is downloaded."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("hibari") is None or importlib.util.find_spec("faster_whisper") is None,
                       reason="needs the voice extra: pip install 'kindred[voice]'"),
]

COMPANION = ["That sounds like a really hard day.", "I'm glad you told me about your sister.",
             "Do you want to talk about what happened at work?", "You finished the whole project, that's wonderful!",
             "Try to get some rest tonight, and we can talk tomorrow."]


@pytest.fixture(scope="module")
def hibari():
    import hibari.voices

    from kindred.config import load_settings
    from kindred.voice.hibari_tts import HibariTextToSpeech

    def no_downloads(*args, **kwargs):
        raise AssertionError("hibari tried to download a voice")

    original, hibari.voices.download = hibari.voices.download, no_downloads
    try:
        yield HibariTextToSpeech(load_settings().models_dir)
    finally:
        hibari.voices.download = original


def test_whisper_reads_hibari_back_with_wer_at_most_5_percent(hibari):
    from kindred.bench.voice import error_rate
    from kindred.config import load_settings
    from kindred.voice.audio import STT_RATE, Audio, concat
    from kindred.voice.backends import VoiceConfig, open_stt
    from kindred.voice.prosody import prosody_for

    stt = open_stt(VoiceConfig.from_settings(load_settings()))  # tiny.en for English, as Kindred hears
    errors = []
    for sentence in COMPANION:
        speech = hibari.synthesize(sentence, "en", prosody_for("neutral"))
        clip = concat([Audio.silence(0.3, STT_RATE), speech.resampled(STT_RATE), Audio.silence(0.5, STT_RATE)])
        heard = stt.transcribe(clip, "en").text
        errors.append(error_rate(sentence, heard, "en"))
    assert float(np.mean(errors)) <= 0.05, list(zip(COMPANION, errors))


def test_the_tone_sets_rate_pauses_and_energy(hibari):
    from kindred.voice.prosody import prosody_for

    text = "That sounds hard. I'm here with you."
    comfort = hibari.synthesize(text, "en", prosody_for("comforting"))
    neutral = hibari.synthesize(text, "en", prosody_for("neutral"))
    joy = hibari.synthesize(text, "en", prosody_for("celebrating"))
    assert comfort.duration_s > neutral.duration_s * 1.08 > joy.duration_s * 1.08  # slower, longer pauses

    def rms(audio):
        samples = audio.to_float()
        return float(np.sqrt(np.mean(samples ** 2)))
    assert rms(comfort) < rms(neutral) < rms(joy)
    assert hibari.synthesize(text, "en", prosody_for("neutral")).pcm == neutral.pcm  # the same text, the same sound


def test_the_first_sound_is_not_delayed_by_padding(hibari):
    from kindred.voice.prosody import prosody_for

    samples = np.abs(hibari.synthesize("Hello there.", "en", prosody_for("neutral")).to_float())
    loud = np.flatnonzero(samples > 0.05 * samples.max())
    assert loud[0] / 24_000 < 0.05 and (len(samples) - loud[-1]) / 24_000 < 0.1


def test_hibari_speaks_english_by_default_and_kokoro_korean(tmp_path, monkeypatch):
    from kindred.config import load_settings
    from kindred.voice.backends import VoiceConfig, Voices

    monkeypatch.delenv("KINDRED_VOICE_TTS_EN", raising=False)
    config = VoiceConfig.from_settings(load_settings())
    assert config.tts == {"en": "hibari", "ko": "kokoro"}
    voices = Voices(config)
    assert voices.for_language("en").name == "hibari"
    if importlib.util.find_spec("kokoro_onnx") is not None:
        assert voices.for_language("ko").name == "kokoro"
    assert voices.problems == []
