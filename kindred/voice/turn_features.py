"""The log-mel features Smart Turn v3 reads: Whisper's 80 mel bands over an 8 s window at 16 kHz.

Smart Turn's encoder is Whisper's, trained on what ``transformers.WhisperFeatureExtractor(
chunk_length=8)`` makes of a clip with ``do_normalize=True``: the waveform scaled to zero mean and
unit variance, a centred 400-point STFT every 160 samples with a periodic Hann window, the power
projected on Slaney-normalised mel filters, log10, clamped to 8 decades below the loudest bin, then
mapped to about [-1, 1]. Written here with NumPy only, because the copy inside pipecat-ai cannot be
imported without pipecat's own dependencies (its package ``__init__`` needs loguru);
``tests/voice/test_smart_turn.py`` checks that both give the same numbers on real speech.
"""
from __future__ import annotations

import functools

import numpy as np

RATE = 16_000
WINDOW_S = 8
WINDOW_SAMPLES = RATE * WINDOW_S
N_FFT, HOP, N_MELS = 400, 160, 80


def last_window(samples: np.ndarray) -> np.ndarray:
    """The last 8 s of a clip; a shorter one is padded with silence in front, where it ends matters."""
    samples = np.asarray(samples, dtype=np.float32)
    if len(samples) >= WINDOW_SAMPLES:
        return samples[-WINDOW_SAMPLES:]
    return np.concatenate([np.zeros(WINDOW_SAMPLES - len(samples), np.float32), samples])


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    return np.where(hz < 1000.0, 3.0 * hz / 200.0, 15.0 + np.log(np.maximum(hz, 1e-9) / 1000.0) * 27.0 / np.log(6.4))


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    return np.where(mel < 15.0, 200.0 * mel / 3.0, 1000.0 * np.exp((mel - 15.0) * np.log(6.4) / 27.0))


@functools.cache
def mel_filters() -> np.ndarray:
    """(N_FFT // 2 + 1, N_MELS) triangular filters, each scaled to unit area (Slaney normalisation)."""
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(RATE / 2)), N_MELS + 2))
    bins = np.linspace(0, RATE // 2, N_FFT // 2 + 1)
    rising = (bins[:, None] - edges[None, :-2]) / np.diff(edges)[None, :-1]
    falling = (edges[None, 2:] - bins[:, None]) / np.diff(edges)[None, 1:]
    triangles = np.maximum(0.0, np.minimum(rising, falling))
    return triangles * (2.0 / (edges[2:] - edges[:-2]))[None, :]


@functools.cache
def _hann() -> np.ndarray:
    return np.hanning(N_FFT + 1)[:-1]  # periodic, as torch.hann_window


def log_mel(window: np.ndarray) -> np.ndarray:
    """(80, 800) float32 features of exactly one 8 s window (see ``last_window``)."""
    if window.shape != (WINDOW_SAMPLES,):
        raise ValueError(f"Smart Turn reads {WINDOW_SAMPLES} samples at a time, got shape {window.shape}")
    x = window.astype(np.float32)
    x = (x - x.mean()) / np.sqrt(x.var() + 1e-7)
    padded = np.pad(x.astype(np.float64), N_FFT // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * _hann(), axis=-1)) ** 2  # (frames, bins)
    mel = np.log10(np.maximum(1e-10, power @ mel_filters())).T[:, :-1]  # the last frame is dropped
    mel = np.maximum(mel, mel.max() - 8.0)
    return ((mel + 4.0) / 4.0).astype(np.float32)
