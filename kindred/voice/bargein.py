"""Barge-in: stop talking when the user starts, but never because of our own voice.

There is no echo canceller here. The gate works on what we know: while Kindred is playing,
the microphone picks up her voice at roughly ``echo_gain`` times the playback level, so a frame
counts as the user only when the frame VAD hears speech *and* it is clearly louder than that echo
(``margin`` times). When nothing is playing the VAD alone decides. ``frames_needed`` consecutive
30 ms frames (90 ms) fire the barge-in: with the 20 ms playback slice, sound stops about 110–140 ms
after the user starts, inside the 200 ms goal.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .playback import PacedPlayer
from .vad import FRAME_MS, FrameVad


@dataclass
class BargeInGate:
    player: PacedPlayer
    echo_gain: float = 0.5
    margin: float = 2.0
    frames_needed: int = 3
    vad: FrameVad = field(default_factory=FrameVad)
    _run: int = 0

    def user_speaking(self, frame: bytes) -> bool:
        """Feed one 30 ms 16 kHz frame from the microphone; True once the user has clearly started."""
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
        level = float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
        voiced = self.vad.is_speech(frame)
        echo = self.player.level  # non-zero while playing and for 300 ms after
        if voiced and echo > 0:
            voiced = level > self.margin * self.echo_gain * echo
        self._run = self._run + 1 if voiced else 0
        return self._run >= self.frames_needed

    @property
    def detection_delay_ms(self) -> int:
        return self.frames_needed * FRAME_MS
