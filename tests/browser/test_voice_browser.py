"""Voice and camera on the page in chromium: a WAV from Kindred's own TTS as the fake microphone.

Real engines end to end (Whisper tiny.en, Kokoro, the face model, the small LLM), so it is slow;
skipped locally when chromium, the voice extra or the small model is missing.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess

import pytest
from argon2 import PasswordHasher

from kindred.server import ServerOptions, create_app
from kindred.server.runner import BackgroundServer

from ..conftest import requires_small_model
from .test_browser import ARTIFACTS, CHROMIUM, HERE, _missing

pytestmark = [pytest.mark.slow, requires_small_model,
              pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is None
                                 or importlib.util.find_spec("kokoro_onnx") is None, reason="needs the voice extra")]


@pytest.fixture
def voice_server(home, monkeypatch, tmp_path):
    from kindred.config import load_settings
    from kindred.runtime import open_companion
    from kindred.voice.audio import Audio, concat, write_wav
    from kindred.voice.backends import VoiceConfig, Voices
    from kindred.voice.prosody import prosody_for

    monkeypatch.setenv("KINDRED_MAX_REPLY_TOKENS", "16")
    settings = load_settings(llm="small")
    speech = Voices(VoiceConfig.from_settings(settings)).for_language("en").synthesize(
        "I had a really rough day at work today.", "en", prosody_for("neutral"))
    padded = concat([Audio.silence(0.5, speech.sample_rate), speech, Audio.silence(1.0, speech.sample_rate)])
    wav = write_wav(tmp_path / "mic.wav", padded.resampled(48000))
    companion = open_companion(settings, with_emotion=False)
    options = ServerOptions(voice_available=True, camera_available=True)
    app = create_app(companion, options, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with BackgroundServer(app) as url:
        yield url, wav, padded.duration_s


def test_voice_turn_and_camera_in_chromium(voice_server):
    missing = _missing()
    if missing and not os.environ.get("CI"):
        pytest.skip(missing)
    assert missing is None, missing
    url, wav, seconds = voice_server
    env = {**os.environ, "BASE_URL": url, "ARTIFACTS_DIR": str(ARTIFACTS), "CHROMIUM_PATH": CHROMIUM,
           "WAV_PATH": str(wav), "SPEECH_MS": str(int(seconds * 1000) + 800)}
    result = subprocess.run(["node", str(HERE / "voice.mjs")], env=env, capture_output=True, text=True, timeout=400,
                            check=False)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
