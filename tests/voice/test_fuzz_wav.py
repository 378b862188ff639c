"""Fuzzing the WAV reader and the voice features on raw PCM: any bytes end in Audio or a coded
AudioFormatError, never another exception. Bounded: a few seconds in all."""
import struct

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.voice.audio import STT_RATE, Audio, AudioFormatError, read_wav, wav_bytes
from kindred.voice.features import estimate_arousal
from kindred.voice.tone import voice_reading

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID = wav_bytes(Audio.from_float(np.sin(np.linspace(0, 400, STT_RATE // 2)).astype(np.float32) * 0.3, STT_RATE))


def header(channels: int, rate: int, width: int, data_size: int) -> bytes:
    """A RIFF/WAVE header whose every field the fuzzer chooses, so the parser's checks are reached."""
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * width, channels * width, width * 8)
    return (b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", data_size))


def read_or_refuse(data: bytes) -> None:
    try:
        audio = read_wav(data)
    except AudioFormatError as exc:
        assert exc.code.startswith("audio-") and exc.hint
        return
    assert audio.sample_rate > 0 and audio.samples > 0


@FUZZ
@given(st.binary(max_size=2048))
def test_any_bytes(data):
    read_or_refuse(data)


@FUZZ
@given(st.integers(0, len(VALID)), st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)),
                                             max_size=8))
def test_a_real_wav_truncated_or_with_bytes_changed(cut, flips):
    data = bytearray(VALID[:cut] if cut > 44 else VALID)
    for index, value in flips:
        if index < len(data):
            data[index] = value
    read_or_refuse(bytes(data))


@FUZZ
@given(st.integers(0, 9), st.integers(0, 400_000), st.sampled_from([0, 1, 2, 3, 4]), st.integers(0, 2**32 - 37),
       st.binary(max_size=512))
def test_headers_with_any_fields(channels, rate, width, data_size, payload):
    read_or_refuse(header(channels, rate, width, data_size) + payload)


@FUZZ
@given(st.binary(min_size=1, max_size=256), st.integers(9_600, 64_000))
def test_voice_features_of_any_pcm(pattern, size):
    """What the server does with the WebSocket's binary frames before anything is transcribed."""
    pcm = (pattern * (size // len(pattern) + 1))[:size]  # any sound long enough to be read
    audio = Audio(pcm[: len(pcm) - len(pcm) % 2], STT_RATE)  # as kindred.server.speech.hear does
    assert audio.duration_s >= 0.3
    reading = voice_reading(estimate_arousal(audio))
    assert reading is None or 0.0 <= reading.arousal <= 1.0
