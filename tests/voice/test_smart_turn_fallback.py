"""A missing or damaged Smart Turn file: a coded error naming pipecat-ai, and the fixed wait ends turns."""
from __future__ import annotations

import asyncio
import importlib.util
import sys

import numpy as np
import pytest

from kindred.errors import KindredError
from kindred.voice.audio import STT_RATE, Audio
from kindred.voice.backends import VoiceConfig, open_turn_detector
from kindred.voice.listen import Listener
from kindred.voice.smart_turn import SmartTurn

pytestmark = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="needs onnxruntime")

MODEL_IN_PACKAGE = "audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"


def _config(tmp_path) -> VoiceConfig:
    return VoiceConfig(models_dir=tmp_path / "models", tts={"en": "hibari", "ko": "kokoro"})


def _fake_pipecat(tmp_path, monkeypatch, content: bytes | None):
    """A 'pipecat' package first on the path, holding ``content`` where the model belongs (None: no file)."""
    root = tmp_path / "site"
    data = root / "pipecat" / MODEL_IN_PACKAGE.rsplit("/", 1)[0]
    data.mkdir(parents=True)
    (root / "pipecat" / "__init__.py").write_text("")
    if content is not None:
        (root / "pipecat" / MODEL_IN_PACKAGE).write_bytes(content)
    monkeypatch.delitem(sys.modules, "pipecat", raising=False)
    monkeypatch.syspath_prepend(str(root))


def test_not_installed_gives_smart_turn_missing_naming_the_package(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pipecat", None)  # find_spec then reports it as not installed
    with pytest.raises(KindredError) as caught:
        SmartTurn(tmp_path / "models")
    assert caught.value.code == "smart-turn-missing"
    assert "pipecat-ai==1.14.0" in caught.value.message and "--no-deps" in caught.value.hint
    turn, problem = open_turn_detector(_config(tmp_path))
    assert turn is None and "[smart-turn-missing]" in problem and "fixed 0.6 s" in problem


def test_a_package_without_the_file_is_missing_too(tmp_path, monkeypatch):
    _fake_pipecat(tmp_path, monkeypatch, None)
    turn, problem = open_turn_detector(_config(tmp_path))
    assert turn is None and "[smart-turn-missing]" in problem and "pipecat-ai" in problem


def test_a_damaged_file_gives_smart_turn_corrupt_and_is_never_loaded(tmp_path, monkeypatch):
    _fake_pipecat(tmp_path, monkeypatch, b"\x08\x01" + bytes(4096))
    with pytest.raises(KindredError) as caught:
        SmartTurn(tmp_path / "models")
    assert caught.value.code == "smart-turn-corrupt"
    assert "pipecat-ai==1.14.0" in caught.value.message and "--force-reinstall --no-deps" in caught.value.hint
    assert not (tmp_path / "models" / "smart-turn" / "smart-turn-v3.2-cpu.onnx").exists()
    turn, problem = open_turn_detector(_config(tmp_path))
    assert turn is None and "[smart-turn-corrupt]" in problem


@pytest.mark.skipif(importlib.util.find_spec("pipecat") is None, reason="needs pipecat-ai (scripts/install)")
def test_a_damaged_copy_under_models_is_rebuilt_from_the_package(tmp_path):
    config = _config(tmp_path)
    assert open_turn_detector(config)[0] is not None
    copy = config.models_dir / "smart-turn" / "smart-turn-v3.2-cpu.onnx"
    copy.write_bytes(copy.read_bytes()[:1000])  # truncated on disk after it was verified
    turn, problem = open_turn_detector(config)
    assert turn is not None and problem == ""
    assert copy.stat().st_size == 8_679_182


def test_the_setting_silence_asks_no_model_and_an_unknown_one_is_refused(tmp_path):
    config = _config(tmp_path)
    config.end_of_turn = "silence"
    assert open_turn_detector(config) == (None, "")
    config.end_of_turn = "vibes"
    with pytest.raises(KindredError) as caught:
        open_turn_detector(config)
    assert caught.value.code == "voice-end-of-turn-unknown"


class LoudnessVad:
    def is_speech(self, frame: bytes) -> bool:
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
        return float(np.sqrt(np.mean(samples * samples))) > 0.01


class BrokenTurnModel:
    name = "broken"
    calls = 0

    def complete_probability(self, audio: Audio) -> float:
        raise RuntimeError("onnxruntime: bad allocation")

    def is_complete(self, audio: Audio) -> bool:
        self.calls += 1
        return self.complete_probability(audio) > 0.5


async def _silence_waited(turn) -> float:
    """Speech (0.9 s), then silence: how many seconds of it passed before the listener ended the turn."""
    t = np.arange(STT_RATE * 30 // 1000) / STT_RATE
    voiced = Audio.from_float(0.3 * np.sin(2 * np.pi * 180 * t), STT_RATE).pcm
    pattern = [voiced] * 30 + [bytes(len(voiced))] * 100
    fed = [0]

    async def frames():
        for frame in pattern:
            fed[0] += 1
            yield frame
            await asyncio.sleep(0)

    listener = Listener(stt=None, speculative=False, vad=LoudnessVad(), turn=turn)  # type: ignore[arg-type]
    assert await listener.next_utterance(frames()) is not None
    return (fed[0] - 30) * 0.03


def test_without_the_model_the_fixed_wait_ends_the_turn(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pipecat", None)
    turn, _ = open_turn_detector(_config(tmp_path))
    assert turn is None
    assert asyncio.run(_silence_waited(turn)) == pytest.approx(0.6, abs=0.031)


def test_a_model_that_fails_mid_conversation_falls_back_to_the_fixed_wait():
    broken = BrokenTurnModel()
    assert asyncio.run(_silence_waited(broken)) == pytest.approx(0.6, abs=0.031)
    assert broken.calls == 1
