"""Real models end to end: speech WAV → transcript → reply WAV; silence and noise take no turn.

Slow (Whisper, Kokoro and the small LLM load); CI runs them. One KINDRED_HOME serves the module so
the voice models are assembled once.
"""
from __future__ import annotations

import argparse
import importlib.util
import json

import numpy as np
import pytest

from kindred.voice.audio import Audio, read_wav, write_wav
from tests.conftest import requires_small_model

pytestmark = [
    pytest.mark.slow,
    requires_small_model,
    pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is None
                       or importlib.util.find_spec("kokoro_onnx") is None,
                       reason="needs the voice extra: pip install 'kindred[voice]'"),
]


@pytest.fixture(scope="module")
def voice_home(tmp_path_factory):
    return tmp_path_factory.mktemp("voice-home")


@pytest.fixture
def env(voice_home, monkeypatch):
    monkeypatch.setenv("KINDRED_HOME", str(voice_home))
    monkeypatch.setenv("KINDRED_MAX_REPLY_TOKENS", "16")
    return voice_home


def _cli(*argv: str) -> int:
    from kindred.cli import voice_cmd

    parser = argparse.ArgumentParser()
    voice_cmd.register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_say_writes_speech_in_a_tone(env, tmp_path):
    out = tmp_path / "say.wav"
    assert _cli("say", "I'm so glad you told me.", "--tone", "comforting", "--out", str(out)) == 0
    audio = read_wav(out)
    assert audio.sample_rate == 24000 and 0.8 < audio.duration_s < 6


def test_speech_wav_gets_a_spoken_reply(env, tmp_path, capsys):
    spoken, reply = tmp_path / "in.wav", tmp_path / "out.wav"
    assert _cli("say", "I had a really rough day at work today.", "--out", str(spoken)) == 0
    capsys.readouterr()
    assert _cli("talk", "--input", str(spoken), "--output", str(reply), "--model", "small") == 0
    printed = capsys.readouterr().out.lower()
    assert "rough day" in printed
    assert "an ai, not a person" in printed  # a voice conversation's first reply says it too, and speaks it
    assert read_wav(reply).duration_s > 0.5


def test_the_voice_reading_reaches_felt_and_chose_and_the_chosen_tone_is_spoken(env, tmp_path, capsys):
    from kindred.events import Chose, Felt, event_from_dict
    from kindred.voice.features import estimate_arousal

    spoken = tmp_path / "in.wav"
    assert _cli("say", "I had a really rough day at work today.", "--out", str(spoken)) == 0  # ~2.5 s
    capsys.readouterr()
    assert _cli("talk", "--input", str(spoken), "--json", "--model", "small") == 0
    turn = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    events = [event_from_dict(e) for e in turn["events"]]  # what --json prints reads back as events
    heard = estimate_arousal(read_wav(spoken))  # measured here, from the same file, apart from the CLI
    assert heard.confidence > 0 and turn["arousal"] == heard.arousal
    felt = next((e for e in events if isinstance(e, Felt)), None)
    assert felt is not None and felt.fused is not None, "the emotion model did not read the words"
    voice = [s for s in felt.fused.sensed if s.modality == "voice"]
    assert [(s.arousal, s.confidence) for s in voice] == [(heard.arousal, heard.confidence)] and voice[0].weight > 0
    chose = next(e for e in events if isinstance(e, Chose))
    assert chose.noticed == felt.fused.disagreements
    assert turn["tone"] == chose.tone and turn["spoken_tones"] and set(turn["spoken_tones"]) == {chose.tone}
    # Memory extraction queued after the reply was finished before the command returned, as chat does:
    # no model thread is left generating into a closed event loop.
    import threading

    assert not [t for t in threading.enumerate() if t.name == "llama-generate"]


def test_korean_speech_is_recognised_as_korean(env, tmp_path):
    from kindred.config import load_settings
    from kindred.voice.backends import VoiceConfig, Voices, open_stt
    from kindred.voice.prosody import prosody_for

    config = VoiceConfig.from_settings(load_settings())
    speech = Voices(config).for_language("ko").synthesize("오늘 회사에서 너무 힘들었어.", "ko", prosody_for("neutral"))
    transcript = open_stt(config).transcribe(speech)
    assert transcript.language == "ko" and transcript.text


@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_silence_or_noise_takes_no_turn(env, tmp_path, capsys, kind):
    rng = np.random.default_rng(0)
    samples = np.zeros(32000) if kind == "silence" else rng.normal(0, 0.1, 32000)
    clip = write_wav(tmp_path / f"{kind}.wav", Audio.from_float(samples, 16000))
    out = tmp_path / "out.wav"
    assert _cli("talk", "--input", str(clip), "--output", str(out), "--model", "small") == 0
    assert "no speech heard" in capsys.readouterr().err
    assert not out.exists()
