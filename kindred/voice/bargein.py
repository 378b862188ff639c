"""Is this microphone frame the user, or Kindred's own voice coming back from the speaker?

There is no echo canceller here (an adaptive filter would need the speaker and microphone clocks
aligned to the sample; PortAudio does not give that on every machine). The gate works on what we
know: what is being played. The microphone picks up her voice at some fraction of the playback
level (``echo_gain``), so a frame counts as the user only when the frame VAD hears speech *and* it
is clearly louder (``margin`` times) than that echo would be. The echo reference is the loudest
playback slice of the last 300 ms (``PacedPlayer.level``), which covers the speaker → microphone
delay and the room's ring without knowing either.

``echo_gain`` is learned while she speaks: the ratio of the microphone's level to that reference,
over frames the gate did not take for the user, and its 95th percentile over the last 5 s is the
estimate (a loud laptop speaker: high; headphones: near zero). Until 1 s of her voice has been heard
the prior (0.5, a strong echo) stands, so the first words of the first reply are safe. When nothing
is playing the VAD alone decides.

``user_speaking`` is the plain barge-in (three user frames in a row: 90 ms); turn-taking
(voice/turntaking.py) uses ``is_user`` frame by frame and decides what the speech was.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .vad import FRAME_MS, FrameVad

ECHO_WINDOW_FRAMES = 166  # 5 s of 30 ms frames
ECHO_PRIOR_FRAMES = 33  # 1 s of her voice before the learned estimate replaces the prior


def frame_level(frame: bytes) -> float:
    samples = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
    return float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0


class EchoReference(Protocol):
    """What is being played: ``PacedPlayer``, or the bench's simulated speaker."""

    @property
    def level(self) -> float:
        """The loudest RMS played in the last 300 ms; 0 when silent."""
        ...


@dataclass
class BargeInGate:
    player: EchoReference
    echo_gain: float = 0.5  # the prior, replaced by the learned estimate
    margin: float = 1.5  # the user must be this many times louder than the loudest echo expected
    frames_needed: int = 3
    max_echo_gain: float = 1.0  # a speaker louder at the mic than it plays: the gate cannot help there
    vad: FrameVad = field(default_factory=FrameVad)
    _run: int = 0
    _ratios: deque[float] = field(default_factory=lambda: deque(maxlen=ECHO_WINDOW_FRAMES))

    @property
    def echo_estimate(self) -> float:
        """The microphone's level relative to the playback reference when only her voice is heard."""
        if len(self._ratios) < ECHO_PRIOR_FRAMES:
            return self.echo_gain
        return min(self.max_echo_gain, float(np.percentile(list(self._ratios), 95)))

    def is_user(self, frame: bytes, *, echo_free: bool = False) -> bool:
        """One 30 ms 16 kHz frame: speech that her echo cannot explain. ``echo_free``: she is known to be
        silent (held), so the VAD alone decides and the frame teaches the echo estimate nothing."""
        voiced = self.vad.is_speech(frame)
        reference = 0.0 if echo_free else self.player.level  # non-zero while playing and for 300 ms after
        if reference <= 0:
            return voiced
        level = frame_level(frame)
        user = voiced and level > self.margin * self.echo_estimate * reference
        if not user:
            self._ratios.append(level / reference)
        return user

    def user_speaking(self, frame: bytes) -> bool:
        """Feed one frame; True once the user has clearly started (``frames_needed`` in a row)."""
        self._run = self._run + 1 if self.is_user(frame) else 0
        return self._run >= self.frames_needed

    @property
    def detection_delay_ms(self) -> int:
        return self.frames_needed * FRAME_MS
