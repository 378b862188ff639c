"""Audio as plain data, and WAV files in and out with errors that say what is wrong.

``Audio`` is what crosses every voice boundary (STT, TTS, playback, VAD): 16-bit
signed little-endian mono PCM bytes and a sample rate. NumPy stays inside the
helpers here and in the backends, never in a Protocol.
"""
from __future__ import annotations

import io
import struct
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import KindredError

STT_RATE = 16_000  # what Whisper, webrtcvad and the prosody features expect


class AudioFormatError(KindredError):
    """A WAV file is unreadable, or in a format the voice pipeline does not take."""

    code = "audio-invalid"
    exit_code = 2


@dataclass(frozen=True)
class Audio:
    pcm: bytes  # int16 little-endian, mono
    sample_rate: int

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2

    @property
    def duration_s(self) -> float:
        return self.samples / self.sample_rate if self.sample_rate else 0.0

    def to_float(self) -> np.ndarray:
        return np.frombuffer(self.pcm, dtype="<i2").astype(np.float32) / 32768.0

    @classmethod
    def from_float(cls, samples: np.ndarray, sample_rate: int) -> Audio:
        clipped = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
        return cls((clipped * 32767.0).astype("<i2").tobytes(), int(sample_rate))

    @classmethod
    def silence(cls, seconds: float, sample_rate: int) -> Audio:
        return cls(b"\x00\x00" * int(round(seconds * sample_rate)), sample_rate)

    def resampled(self, rate: int) -> Audio:
        if rate == self.sample_rate or not self.pcm:
            return Audio(self.pcm, rate) if not self.pcm else self
        return Audio.from_float(resample(self.to_float(), self.sample_rate, rate), rate)

    def slice(self, start_s: float, end_s: float | None = None) -> Audio:
        start = max(0, int(start_s * self.sample_rate)) * 2
        end = len(self.pcm) if end_s is None else min(len(self.pcm), int(end_s * self.sample_rate) * 2)
        return Audio(self.pcm[start:end], self.sample_rate)


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """Linear-interpolation resampling: enough for speech at 16–24 kHz, and free of SciPy."""
    if source_rate == target_rate or samples.size == 0:
        return samples.astype(np.float32)
    count = max(1, int(round(samples.size * target_rate / source_rate)))
    positions = np.linspace(0, samples.size - 1, count)
    return np.interp(positions, np.arange(samples.size), samples).astype(np.float32)


def concat(parts: list[Audio], sample_rate: int | None = None) -> Audio:
    rate = sample_rate or (parts[0].sample_rate if parts else STT_RATE)
    return Audio(b"".join(p.resampled(rate).pcm for p in parts), rate)


def _bad(path: str, problem: str) -> AudioFormatError:
    return AudioFormatError(
        f"'{path}' cannot be used as speech: {problem}.",
        "Give a PCM WAV file (8–48 kHz, 16-bit, mono or stereo); convert others with "
        "`sox in.any -r 16000 -c 1 -b 16 out.wav` or `ffmpeg -i in.any -ar 16000 -ac 1 out.wav`.",
        code="audio-invalid",
    )


def read_wav(source: str | Path | bytes) -> Audio:
    """Read a PCM WAV into mono 16-bit ``Audio``; anything else raises ``AudioFormatError``."""
    name = "<bytes>" if isinstance(source, bytes) else str(source)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except FileNotFoundError:
        raise AudioFormatError(f"There is no file '{name}'.", "Check the path.", code="audio-missing") from None
    except OSError as exc:
        raise _bad(name, f"it cannot be read ({exc.strerror})") from exc
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise _bad(name, "it is not a WAV file (no RIFF/WAVE header)")
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            declared = wav.getnframes()
            frames = wav.readframes(declared)
    except (wave.Error, EOFError, RuntimeError, struct.error, ValueError) as exc:
        # The standard library's chunk reader raises RuntimeError (and struct.error) on some damaged
        # chunk sizes, not wave.Error: found by fuzzing (tests/voice/test_fuzz_wav.py).
        raise _bad(name, f"its WAV structure is damaged or not PCM ({exc or type(exc).__name__})") from exc
    if len(frames) < declared * channels * width:
        raise _bad(name, f"it is truncated or damaged (the header promises {declared} frames, "
                         f"the file holds {len(frames) // max(1, channels * width)})")
    if width != 2:
        raise _bad(name, f"it has {width * 8}-bit samples, not 16-bit")
    if not 8000 <= rate <= 48000:
        raise _bad(name, f"its sample rate {rate} Hz is outside 8–48 kHz")
    if channels not in (1, 2):
        raise _bad(name, f"it has {channels} channels")
    usable = len(frames) - len(frames) % (2 * channels)
    samples = np.frombuffer(frames[:usable], dtype="<i2")
    if samples.size == 0:
        raise _bad(name, "it holds no audio")
    if channels == 2:
        samples = samples.reshape(-1, 2).mean(axis=1).astype("<i2")  # speech is the same in both ears
    return Audio(samples.tobytes(), rate)


def wav_bytes(audio: Audio) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(audio.sample_rate)
        wav.writeframes(audio.pcm)
    return buffer.getvalue()


def write_wav(path: str | Path, audio: Audio) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(wav_bytes(audio))
    return target


def rms(audio: Audio) -> float:
    samples = audio.to_float()
    return float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
