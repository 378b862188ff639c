"""Kokoro's Korean: espeak-ng symbols Kokoro's vocabulary lacks are mapped, not silently dropped."""
from __future__ import annotations

import importlib.util

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("kokoro_onnx") is None,
                       reason="needs the voice extra: pip install 'kindred[voice]'"),
]


@pytest.fixture(scope="module")
def kokoro(tmp_path_factory):
    from kindred.config import load_settings
    from kindred.voice.kokoro_tts import KokoroTextToSpeech

    return KokoroTextToSpeech(load_settings().models_dir)


def test_final_rieul_is_spoken_not_dropped(kokoro):
    # espeak-ng writes a final ㄹ as dark "ɫ", which is not in Kokoro's vocabulary: 오늘 became "오느".
    for word in ("오늘", "잘", "내일"):
        phonemes = kokoro.korean_phonemes(word)
        assert phonemes.endswith("l"), (word, phonemes)
    assert set(kokoro.korean_phonemes("끝냈어. 걱정돼.")) <= set(kokoro._kokoro.tokenizer.vocab)
    assert "q" not in kokoro.korean_phonemes("끝냈어")


def test_korean_speech_still_comes_out(kokoro):
    from kindred.voice.prosody import prosody_for

    audio = kokoro.synthesize("오늘 회사에서 너무 힘들었어.", "ko", prosody_for("neutral"))
    assert 1.0 < audio.duration_s < 5.0
