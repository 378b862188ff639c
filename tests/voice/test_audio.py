"""WAV in and out: good files round-trip, bad ones fail with a coded, explained error."""
from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from kindred.voice.audio import Audio, AudioFormatError, read_wav, wav_bytes, write_wav


def _wav(channels=1, width=2, rate=16000, frames=1600) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(b"\x01\x00" * channels * frames if width == 2 else b"\x80" * channels * frames * width)
    return buffer.getvalue()


def test_round_trip(tmp_path):
    audio = Audio.from_float(0.3 * np.sin(np.linspace(0, 200, 8000)), 16000)
    again = read_wav(write_wav(tmp_path / "a.wav", audio))
    assert again == audio and again.duration_s == pytest.approx(0.5)


def test_stereo_is_mixed_to_mono():
    audio = read_wav(_wav(channels=2))
    assert audio.samples == 1600 and audio.sample_rate == 16000


@pytest.mark.parametrize("data, words", [
    (b"not a wav at all, just text", "not a WAV"),
    (b"RIFF\x10\x00\x00\x00WAVEfmt \x10\x00", "damaged"),
    (_wav(width=1), "8-bit"),
    (_wav(rate=96000), "sample rate"),
    (_wav(frames=0), "no audio"),
    (_wav()[:60], "damaged"),
])
def test_bad_wav_is_a_coded_error(data, words):
    with pytest.raises(AudioFormatError) as caught:
        read_wav(data)
    assert caught.value.code == "audio-invalid"
    assert words in caught.value.message
    assert "sox" in caught.value.hint


def test_missing_file(tmp_path):
    with pytest.raises(AudioFormatError) as caught:
        read_wav(tmp_path / "nope.wav")
    assert caught.value.code == "audio-missing"


def test_resample_keeps_duration():
    audio = Audio.silence(1.0, 24000)
    assert audio.resampled(16000).duration_s == pytest.approx(1.0, abs=0.001)
    assert wav_bytes(audio)[:4] == b"RIFF"
