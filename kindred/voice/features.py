"""How the user sounds: pitch and its range, loudness, speaking rate and pauses → an arousal estimate.

No speech-emotion model ships in any package and none is trained here, so this is a transparent
heuristic over features that track arousal in the literature (Juslin & Laukka 2003: higher and
more variable pitch, louder voice, faster speech and fewer pauses go with higher arousal). Each
feature is scored against ordinary conversational ranges and the scores are averaged with fixed
weights. It says nothing about valence, and its confidence stays modest (≤ 0.6) and falls for
short or mostly silent clips; affect.fusion gives voice the smallest prior weight for the same reason.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .audio import STT_RATE, Audio

FRAME_S = 0.032
HOP_S = 0.016
# (low, high) of each feature for calm vs. aroused adult conversational speech.
RANGES = {
    "pitch_range_st": (2.0, 10.0),  # semitones between the 10th and 90th pitch percentiles
    "energy_db": (-32.0, -14.0),  # mean RMS of voiced frames, dBFS
    "rate_sps": (2.5, 6.0),  # syllable-like energy peaks per second of speech
    "pause_ratio": (0.45, 0.05),  # share of the utterance in pauses (more pauses: calmer)
}
WEIGHTS = {"pitch_range_st": 0.3, "energy_db": 0.3, "rate_sps": 0.25, "pause_ratio": 0.15}


@dataclass(frozen=True)
class ProsodicFeatures:
    pitch_hz: float  # median F0 of voiced frames (0 when none)
    pitch_range_st: float
    energy_db: float
    rate_sps: float
    pause_ratio: float
    voiced_s: float


@dataclass(frozen=True)
class ArousalEstimate:
    arousal: float  # 0 calm … 1 stirred
    confidence: float
    features: ProsodicFeatures


def _frames(samples: np.ndarray, rate: int) -> np.ndarray:
    size, hop = int(FRAME_S * rate), int(HOP_S * rate)
    if samples.size < size:
        return np.zeros((0, size), dtype=np.float32)
    count = 1 + (samples.size - size) // hop
    index = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    return samples[index]


def _pitch(frame: np.ndarray, rate: int) -> float:
    """F0 by normalised autocorrelation in 70–400 Hz; 0 for unvoiced frames."""
    frame = frame - frame.mean()
    energy = float(np.dot(frame, frame))
    if energy <= 1e-6:
        return 0.0
    corr = np.correlate(frame, frame, mode="full")[frame.size - 1:] / energy
    low, high = int(rate / 400), int(rate / 70)
    if high >= corr.size:
        return 0.0
    lag = low + int(np.argmax(corr[low:high]))
    return rate / lag if corr[lag] > 0.45 else 0.0


def prosodic_features(audio: Audio) -> ProsodicFeatures:
    samples = audio.resampled(STT_RATE).to_float()
    frames = _frames(samples, STT_RATE)
    if not len(frames):
        return ProsodicFeatures(0.0, 0.0, -90.0, 0.0, 1.0, 0.0)
    level = np.sqrt(np.mean(frames * frames, axis=1)) + 1e-9
    db = 20 * np.log10(level)
    speech = db > max(-45.0, float(np.percentile(db, 95)) - 25.0)  # relative gate: works at any gain
    pitches = np.array([_pitch(f, STT_RATE) if s else 0.0 for f, s in zip(frames, speech)])
    voiced = pitches[pitches > 0]
    pitch_hz = float(np.median(voiced)) if voiced.size else 0.0
    spread = 12 * np.log2(np.percentile(voiced, 90) / np.percentile(voiced, 10)) if voiced.size > 4 else 0.0
    speech_s = float(speech.sum()) * HOP_S
    # Syllable nuclei: local peaks of the smoothed speech envelope that rise 4 dB above the lowest
    # point within ±80 ms (a vowel between two consonants or pauses).
    envelope = np.convolve(np.where(speech, db, -90.0), np.ones(3) / 3, mode="same")
    padded = np.pad(envelope, 5, mode="edge")
    local_min = np.min(np.lib.stride_tricks.sliding_window_view(padded, 11), axis=1)
    is_peak = np.zeros_like(speech)
    is_peak[1:-1] = (envelope[1:-1] > envelope[:-2]) & (envelope[1:-1] >= envelope[2:])
    prominent = is_peak & speech & (envelope - local_min >= 4.0)
    syllables = int(prominent.sum())
    first, last = (np.flatnonzero(speech)[[0, -1]] if speech.any() else (0, 0))
    span = max(1, last - first + 1)
    pause_ratio = 1.0 - float(speech[first:last + 1].sum()) / span
    return ProsodicFeatures(
        pitch_hz=round(pitch_hz, 1), pitch_range_st=round(float(spread), 2),
        energy_db=round(float(db[speech].mean()) if speech.any() else -90.0, 2),
        rate_sps=round(syllables / speech_s, 2) if speech_s else 0.0,
        pause_ratio=round(pause_ratio, 3), voiced_s=round(float(voiced.size) * HOP_S, 2),
    )


def _score(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def estimate_arousal(audio: Audio) -> ArousalEstimate:
    features = prosodic_features(audio)
    values = {"pitch_range_st": features.pitch_range_st, "energy_db": features.energy_db,
              "rate_sps": features.rate_sps, "pause_ratio": features.pause_ratio}
    arousal = sum(WEIGHTS[k] * _score(values[k], *RANGES[k]) for k in WEIGHTS)
    # A second of voiced speech is about the least that says anything.
    confidence = 0.6 * min(1.0, features.voiced_s / 1.5)
    return ArousalEstimate(round(arousal, 3), round(confidence, 3), features)
