"""Voice activity: is this 30 ms frame speech, does this clip hold speech, and has the user finished?

Frame decisions use webrtcvad (fast, 30 ms frames), falling back to an energy gate when it is
not installed. Whole clips are confirmed with the Silero model that ships inside faster-whisper,
which tells speech from steady noise far better than either; noise that webrtcvad lets through
is stopped there, so silence or noise never becomes a turn.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .audio import STT_RATE, Audio

FRAME_MS = 30
FRAME_BYTES = STT_RATE * FRAME_MS // 1000 * 2


class FrameVad:
    """Speech or not, per 30 ms frame of 16 kHz PCM."""

    def __init__(self, aggressiveness: int = 3) -> None:
        try:
            import webrtcvad
        except ImportError:
            self._vad = None
        else:
            self._vad = webrtcvad.Vad(aggressiveness)
        self.name = "webrtcvad" if self._vad else "energy"

    def is_speech(self, frame: bytes) -> bool:
        if len(frame) != FRAME_BYTES:
            return False
        if self._vad is not None:
            return bool(self._vad.is_speech(frame, STT_RATE))
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
        return float(np.sqrt(np.mean(samples * samples))) > 0.02  # about -34 dBFS


def frames_of(audio: Audio) -> list[bytes]:
    pcm = audio.resampled(STT_RATE).pcm
    return [pcm[i:i + FRAME_BYTES] for i in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)]


def speech_spans(audio: Audio, min_speech_s: float = 0.25) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in a clip: Silero when available, else frame VAD."""
    samples = audio.resampled(STT_RATE).to_float()
    try:
        from faster_whisper.vad import VadOptions, get_speech_timestamps
    except ImportError:
        return _frame_spans(audio, min_speech_s)
    spans = get_speech_timestamps(samples, VadOptions(threshold=0.5, min_speech_duration_ms=int(min_speech_s * 1000),
                                                       min_silence_duration_ms=300, speech_pad_ms=100))
    return [(s["start"] / STT_RATE, s["end"] / STT_RATE) for s in spans]


def _frame_spans(audio: Audio, min_speech_s: float) -> list[tuple[float, float]]:
    vad, spans, start = FrameVad(), [], None
    frames = frames_of(audio)
    for index, frame in enumerate(frames + [b""]):
        voiced = bool(frame) and vad.is_speech(frame)
        if voiced and start is None:
            start = index
        elif not voiced and start is not None:
            if (index - start) * FRAME_MS / 1000 >= min_speech_s:
                spans.append((start * FRAME_MS / 1000, index * FRAME_MS / 1000))
            start = None
    return spans


def has_speech(audio: Audio) -> bool:
    return bool(speech_spans(audio))


# Words after which people usually go on: a pause there is thinking, not the end of the turn.
_UNFINISHED = re.compile(
    r"(\b(and|but|so|or|because|um+|uh+|like|the|a|to|with|if|when|i mean)|,|그리고|근데|그래서|그러니까|"
    r"(^|\s)(음+|어+)|"  # the fillers only as words of their own: 힘들었어 ends in 어 and is finished
    r"[가-힣]+(고|서|는데|지만|면|니까))\s*$", re.IGNORECASE)


def sounds_unfinished(partial_text: str) -> bool:
    return bool(_UNFINISHED.search(partial_text.strip()))


@dataclass
class Endpointer:
    """Decides when the user has finished a turn, from per-frame speech decisions.

    With a turn model (``check_s`` set): ``check_s`` of silence asks it ('check'); the listener passes
    its verdict to ``judge``: complete ends the turn at once, unfinished ("I was thinking that
    maybe…", "그래서 내가…") keeps listening up to ``incomplete_cap_s`` of silence. Without one, or
    before its verdict, ``end_silence_s`` of silence ends a turn; when the words so far sound
    unfinished (``and``, ``um``, a Korean connective ending) the wait stretches to
    ``thinking_silence_s``. ``pause_s`` of silence reports a pause, where a streaming pipeline can
    start recognising early.
    """

    end_silence_s: float = 0.6
    thinking_silence_s: float = 1.4
    pause_s: float = 0.25
    check_s: float | None = None  # None: no turn model, the fixed wait decides
    incomplete_cap_s: float = 2.0
    start_frames: int = 3  # 90 ms of speech before a turn starts: clicks and bumps don't count
    min_speech_s: float = 0.3
    unfinished: bool = False
    complete: bool | None = None  # the turn model's verdict on the current pause
    in_speech: bool = False
    speech_s: float = 0.0
    silence_s: float = 0.0
    _run: int = 0
    last_speech_end_s: float = 0.0
    clock_s: float = 0.0
    _paused: bool = field(default=False, repr=False)
    _checked: bool = field(default=False, repr=False)

    def push(self, is_speech: bool) -> str:
        """Feed one 30 ms decision; returns '', 'start', 'check', 'pause', 'resume' or 'end'."""
        step = FRAME_MS / 1000
        self.clock_s += step
        if is_speech:
            self._run += 1
            self.silence_s = 0.0
            if self.in_speech:
                self.speech_s += step
                self.last_speech_end_s = self.clock_s
                if self._paused or self._checked:
                    was_paused = self._paused
                    self._paused = self._checked = False
                    self.unfinished, self.complete = False, None  # both were about the words before this pause
                    return "resume" if was_paused else ""
                return ""
            if self._run >= self.start_frames:
                self.in_speech, self.speech_s = True, self._run * step
                self.last_speech_end_s = self.clock_s
                return "start"
            return ""
        self._run = 0
        if not self.in_speech:
            return ""
        self.silence_s += step
        needed = self.needed_silence_s
        if self.silence_s >= needed and self.speech_s >= self.min_speech_s:
            self.reset()
            return "end"
        if self.silence_s >= needed:  # too little speech to be a turn: a cough, a knock
            self.reset()
            return ""
        if (self.check_s is not None and not self._checked and self.silence_s >= self.check_s
                and self.speech_s >= self.min_speech_s):
            self._checked = True
            return "check"
        if self.silence_s >= self.pause_s and not self._paused:
            self._paused = True
            return "pause"
        return ""

    @property
    def needed_silence_s(self) -> float:
        """How much silence ends the turn now, given what is known about the words before it."""
        if self.complete is False:
            return self.incomplete_cap_s
        return self.thinking_silence_s if self.unfinished else self.end_silence_s

    def judge(self, complete: bool) -> str:
        """The turn model's verdict on this pause: 'end' when complete, else '' and a longer wait."""
        if not self.in_speech or not self._checked:
            return ""  # they spoke again while the model ran: the verdict is about a pause that is over
        if complete:
            self.reset()
            return "end"
        self.complete = False
        return ""

    def reset(self) -> None:
        self.in_speech, self.speech_s, self.silence_s, self._run = False, 0.0, 0.0, 0
        self.unfinished, self.complete, self._paused, self._checked = False, None, False, False
