"""A simulated room in audio time: her reply from the speaker, its echo in the microphone, a user's
clip over it, and the product's turn-taking (``TurnTaker``, the echo gate, the backchannel check)
stepped one 30 ms microphone frame at a time, as ``take_turns`` steps it live.

Audio time, not wall time: each frame advances the clock 30 ms whatever the machine is doing, so
the onset → silence figure does not move with the load (on a shared 2-core CPU a real-time run is
mostly a measure of the scheduler). The one thing that takes real compute, the backchannel check's
Whisper pass, is timed and its verdict arrives that many frames later, as it would live; the
frames in between are heard meanwhile (the user may go on speaking). Silence is counted at the end
of the frame that made her hold plus one whole 20 ms playback slice (``SLICE_S``), the most a
sound card still plays after ``PacedPlayer.pause``.
"""
from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from ..voice.audio import STT_RATE, Audio
from ..voice.backchannel import BackchannelCheck, BurstVerdict
from ..voice.bargein import BargeInGate
from ..voice.playback import SLICE_S
from ..voice.turntaking import TurnTaker
from ..voice.vad import FRAME_BYTES, FRAME_MS, FrameVad, frames_of

FRAME = FRAME_BYTES // 2  # samples
STEP_S = FRAME_MS / 1000
ECHO_DELAY_S = 0.04  # speaker → microphone, with the sound card's buffers


class Speaker:
    """Her reply, played 30 ms per step unless held or stopped; ``level`` is the gate's echo reference."""

    def __init__(self, her: Audio) -> None:
        self.samples = her.resampled(STT_RATE).to_float()
        self.position, self.clock_s = 0, 0.0
        self.held = self.stopped = False
        self._levels: deque[tuple[float, float]] = deque(maxlen=16)

    @property
    def level(self) -> float:
        return max((rms for at, rms in self._levels if at >= self.clock_s - 0.3), default=0.0)

    @property
    def finished(self) -> bool:
        return self.position >= self.samples.size

    def play(self) -> np.ndarray:
        out = np.zeros(FRAME, dtype=np.float32)
        if not (self.held or self.stopped or self.finished):
            chunk = self.samples[self.position:self.position + FRAME]
            out[:chunk.size] = chunk
            self.position += chunk.size
            self._levels.append((self.clock_s, float(np.sqrt(np.mean(chunk * chunk)))))
        self.clock_s += STEP_S
        return out


@dataclass
class Outcome:
    stopped: bool = False  # the reply was ended (an interruption, or a backchannel taken for one)
    holds: list[float] = field(default_factory=list)  # audio time she fell silent (slice included)
    resumes: list[float] = field(default_factory=list)
    ended_at: float | None = None  # audio time the reply was ended
    reason: str = ""
    verdicts: list[BurstVerdict] = field(default_factory=list)
    check_s: list[float] = field(default_factory=list)  # wall time of each Whisper pass

    @property
    def paused_s(self) -> float:
        return sum(r - h for h, r in zip(self.holds, self.resumes))


def speech_onset_s(audio: Audio) -> float:
    vad = FrameVad()
    return next((i * STEP_S for i, f in enumerate(frames_of(audio)) if vad.is_speech(f)), 0.0)


def simulate(her: Audio, user: Audio | None, at_s: float, check: BackchannelCheck | None, language: str, *,
             backchannels: bool, echo_gain: float, listen_s: float) -> Outcome:
    """Her reply with ``user`` said ``at_s`` into it; stepped until ``listen_s`` or her end."""
    speaker = Speaker(her)
    taker = TurnTaker(BargeInGate(speaker), check, language, backchannels=backchannels)
    steps = int(math.ceil(listen_s / STEP_S))
    said = np.zeros(steps * FRAME + FRAME, dtype=np.float32)
    if user is not None:
        clip = user.resampled(STT_RATE).to_float()[: max(0, said.size - int(at_s * STT_RATE))]
        said[int(at_s * STT_RATE):int(at_s * STT_RATE) + clip.size] = clip
    delay = int(ECHO_DELAY_S * STT_RATE)
    echo = np.zeros(said.size + delay + FRAME, dtype=np.float32)
    outcome = Outcome()
    pending: tuple[int, BurstVerdict, int] | None = None  # (burst generation, verdict, the step it arrives)
    for index in range(steps):
        start = index * FRAME
        echo[start + delay:start + delay + FRAME] += speaker.play()
        frame = Audio.from_float(echo_gain * echo[start:start + FRAME] + said[start:start + FRAME], STT_RATE).pcm
        now = (index + 1) * STEP_S
        step = taker.push(frame)
        if step == "hold":
            speaker.held = True
            outcome.holds.append(now + SLICE_S)
        elif step == "judge":
            if check is None:
                step = taker.verdict(taker.judging, True)
            else:
                started = time.perf_counter()
                verdict = check.judge(taker.burst_audio(), language)
                spent = time.perf_counter() - started
                outcome.check_s.append(spent)
                pending = (taker.judging, verdict, index + math.ceil(spent / STEP_S))
        if pending is not None and index >= pending[2]:
            generation, verdict, _ = pending
            pending = None
            outcome.verdicts.append(verdict)
            step = taker.verdict(generation, verdict.backchannel) or step
            if step == "interrupt":
                outcome.reason = "words"
        elif step == "interrupt":
            outcome.reason = "long" if backchannels else "barge-in"
        if step == "resume":
            speaker.held = False
            outcome.resumes.append(now)
        elif step == "interrupt":
            speaker.stopped = outcome.stopped = True
            outcome.ended_at = now
            return outcome
        if speaker.finished and not taker.held and pending is None:
            break
    if pending is not None:  # the check outlasted the listening: its verdict still decides, when it lands
        generation, verdict, due = pending
        outcome.verdicts.append(verdict)
        step = taker.verdict(generation, verdict.backchannel)
        if step == "resume":
            outcome.resumes.append((due + 1) * STEP_S)
        elif step == "interrupt":
            outcome.stopped, outcome.ended_at, outcome.reason = True, (due + 1) * STEP_S, "words"
    return outcome
