"""Turn-taking while she speaks: "mhm" does not stop her, "wait" does, her own voice never does.

Whether a burst of speech is a backchannel cannot be known at its start ("yeah" and "wait" are
the same length and both begin as a voiced syllable), yet an interruption must silence her within
200 ms. So the two are separated in time:

1. **Hold at once.** Three frames in a row (90 ms) that the echo gate (voice/bargein.py) takes for
   the user pause playback (``PacedPlayer.pause``: silent within one 20 ms slice). Nothing is
   dropped and generation goes on.
2. **Decide.** A burst still going after ``max_backchannel_s`` (0.8 s: the longest backchannels
   Kindred's voices speak, "그렇구나", are 0.7–0.8 s) is a new turn: an interruption. A burst that ends
   sooner (150 ms of silence) is recognised once (voice/backchannel.py): backchannel words resume
   her where she paused; anything else ("wait", "잠깐만", "no") is an interruption.
3. **Interruption**: the caller's ``barge`` event is set; ``VoiceConversation.respond`` stops the
   player, cancels generation and stores the reply as 'interrupted'. The burst's frames are handed
   back so the listener hears the user's turn from its first word.

A backchannel therefore costs a pause: from 90 ms after its start to the verdict (its own length,
150 ms, and one Whisper pass). ``backchannels=False`` is the plain barge-in (every burst stops
her at step 1), the baseline in `kindred bench voice`.
"""
from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from .audio import STT_RATE, Audio
from .backchannel import BackchannelCheck, BurstVerdict
from .bargein import BargeInGate
from .playback import PacedPlayer
from .vad import FRAME_MS

STEP_S = FRAME_MS / 1000


@dataclass(frozen=True)
class TakingEvent:
    kind: str  # hold | resume | interrupt
    at: float  # perf_counter
    reason: str = ""  # interrupt: long (the burst went on) | words (not a backchannel) | barge-in (plain)
    heard: str = ""  # the recogniser's words for a judged burst
    burst_s: float = 0.0  # voiced span of the burst so far


@dataclass
class TurnTaker:
    """The frame-by-frame state of one reply's turn-taking; ``take_turns`` drives it."""

    gate: BargeInGate
    check: BackchannelCheck | None = None  # None: a short burst is a backchannel by its length alone
    language: str = "en"
    backchannels: bool = True  # False: the plain barge-in, every burst stops her
    max_backchannel_s: float = 0.8
    onset_frames: int = 3
    end_frames: int = 5  # 150 ms of silence ends a burst
    pre_roll_frames: int = 3  # kept from before the onset, for the recogniser and the listener
    held: bool = False
    ended: bool = False  # an interruption was decided: the rest of the reply's frames are the user's turn
    judging: int = 0  # the generation of the burst being recognised; 0: none
    burst: list[bytes] = field(default_factory=list)
    _recent: deque[bytes] = field(default_factory=lambda: deque(maxlen=8))
    _run: int = 0
    _first_voiced: int = 0
    _last_voiced: int = 0
    _silence: int = 0
    _generation: int = 0

    @property
    def burst_s(self) -> float:
        return (self._last_voiced - self._first_voiced + 1) * STEP_S if self.held else 0.0

    def push(self, frame: bytes) -> str:
        """One 30 ms microphone frame: '', 'hold', 'judge' (recognise ``burst`` now) or 'interrupt' (once)."""
        if self.ended:
            self.burst.append(frame)
            return ""
        if not self.held:
            self._recent.append(frame)
            self._run = self._run + 1 if self.gate.is_user(frame) else 0
            if self._run < self.onset_frames:
                return ""
            kept = list(self._recent)[-(self.onset_frames + self.pre_roll_frames):]
            self.burst = kept
            if not self.backchannels:
                return self._interrupt()
            self.held = True
            self._first_voiced = len(kept) - self.onset_frames
            self._last_voiced, self._silence = len(kept) - 1, 0
            return "hold"
        self.burst.append(frame)
        if self.gate.is_user(frame, echo_free=True):  # she is silent now: the VAD alone decides
            self._last_voiced, self._silence = len(self.burst) - 1, 0
            self.judging = 0  # they went on: a verdict on the shorter burst no longer applies
            return self._interrupt() if self.burst_s > self.max_backchannel_s else ""
        self._silence += 1
        if self._silence == self.end_frames and not self.judging:
            self._generation += 1
            self.judging = self._generation
            return "judge"
        return ""

    def verdict(self, generation: int, backchannel: bool) -> str:
        """The recogniser's answer on burst ``generation``: 'resume', 'interrupt', or '' when stale."""
        if generation != self.judging or not self.held:
            return ""
        if not backchannel:
            return self._interrupt()
        self.held, self.judging, self.burst, self._run = False, 0, [], 0
        self._recent.clear()
        return "resume"

    def _interrupt(self) -> str:
        self.ended, self.judging = True, 0
        return "interrupt"

    def burst_audio(self) -> Audio:
        return Audio(b"".join(self.burst), STT_RATE)


@dataclass
class Taking:
    """What happened while she spoke one reply."""

    interrupted: bool = False
    events: list[TakingEvent] = field(default_factory=list)
    verdicts: list[BurstVerdict] = field(default_factory=list)
    replay: list[bytes] = field(default_factory=list)  # the user's frames the listener has not heard yet


async def take_turns(frames: AsyncIterator[bytes], taker: TurnTaker, player: PacedPlayer,
                     reply: asyncio.Future, barge: asyncio.Event) -> Taking:
    """Listen while ``reply`` plays, until it ends or the user takes the turn (then ``barge`` is set)."""
    taking = Taking()
    judged: tuple[int, asyncio.Task[BurstVerdict]] | None = None

    def note(kind: str, reason: str = "", heard: str = "") -> None:
        taking.events.append(TakingEvent(kind, time.perf_counter(), reason, heard, round(taker.burst_s, 3)))

    async for frame in frames:
        if reply.done():
            break
        step = taker.push(frame)
        if step == "hold":
            await player.pause()
            note("hold")
        elif step == "judge":
            if taker.check is None:
                step = taker.verdict(taker.judging, True)
            else:
                check = taker.check
                judged = (taker.judging, asyncio.create_task(
                    asyncio.to_thread(check.judge, taker.burst_audio(), taker.language)))
        if judged is not None and judged[1].done():
            generation, task = judged
            judged = None
            verdict = task.result()
            taking.verdicts.append(verdict)
            step = taker.verdict(generation, verdict.backchannel) or step
            if step == "interrupt":
                note("interrupt", "words", verdict.heard)
            elif step == "resume":
                note("resume", heard=verdict.heard)
        elif step == "interrupt":
            note("interrupt", "long" if taker.backchannels else "barge-in")
        elif step == "resume":
            note("resume")
        if step == "resume":
            await player.resume()
        elif step == "interrupt":
            taking.interrupted = True
            taking.replay = list(taker.burst)
            barge.set()
            return taking
    if taker.held:  # she finished while they spoke: what they said is the next turn's beginning
        taking.replay = list(taker.burst)
        await player.resume()
    return taking
