"""Listening to a live stream of microphone frames: find each utterance, recognise it early.

Which language is spoken is decided while the user is still speaking, from the first 1.2 s of
speech, so the recognition after the pause is one pass of the right model, not a detection pass
and then a transcription pass. Recognition starts speculatively at the first pause (250 ms of
silence), while the endpointer is still waiting to be sure the user has finished; if they go on,
the guess is dropped. That early transcript also tells the endpointer whether the words sound
unfinished ("and…", "그리고…"), so a pause to think gets a longer wait instead of an interruption.

With a turn model (Smart Turn, ``turn``), 200 ms of silence asks it whether the turn sounds complete:
a complete one ends at once, an unfinished one keeps listening up to the endpointer's cap. Without
one (not installed, damaged, failing) the fixed silence wait decides, as before.

A dropped guess cannot be stopped (the recogniser runs in a worker thread), so each new
recognition waits for the one before it: on two cores, two at once would each take twice as long,
and every further pause would add one more.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from .audio import STT_RATE, Audio
from .protocols import SpeechToText, Transcript, TurnDetector
from .vad import FRAME_MS, Endpointer, FrameVad, has_speech, sounds_unfinished

log = logging.getLogger(__name__)

TAIL_FRAMES = 7  # ~200 ms of the silence after the words is kept: Whisper reads a clipped end badly
CHECK_S = 0.2  # silence before the turn model is asked: its authors' own VAD stop time
PRE_ROLL_FRAMES = 10  # 300 ms kept from before the start: the VAD fires a little late on soft onsets
DETECT_AFTER_FRAMES = 40  # 1.2 s of speech is enough for Whisper to tell English from Korean
DETECT_CONFIDENCE = 0.8  # a less sure early guess is dropped: the whole utterance decides instead


@dataclass
class Utterance:
    audio: Audio
    speech_end_at: float  # perf_counter when the last voiced frame arrived
    endpoint_at: float  # perf_counter when the endpointer decided the turn was over
    early: asyncio.Task[Transcript | None] | None = None
    verdicts: list[bool] = field(default_factory=list)  # the turn model's, one per pause it was asked about
    waited_s: float = 0.0  # silence after the last voiced frame before the end, in audio time (load-free)


def _recognise(stt: SpeechToText, audio: Audio, language: str | None) -> Transcript | None:
    if not has_speech(audio):
        return None
    transcript = stt.transcribe(audio, language)
    return transcript if transcript.is_speech else None


def _language_of(detected: asyncio.Task[tuple[str, float]] | None) -> str | None:
    """The early guess when it is in and sure; None leaves detection to the recogniser."""
    if detected is None or not detected.done() or detected.cancelled() or detected.exception() is not None:
        return None
    language, confidence = detected.result()
    return language if confidence >= DETECT_CONFIDENCE else None


@dataclass
class Listener:
    stt: SpeechToText
    language: str | None = None
    endpointer: Endpointer = field(default_factory=Endpointer)
    vad: FrameVad = field(default_factory=FrameVad)
    speculative: bool = True  # False: recognise only after the endpoint (the naive pipeline)
    turn: TurnDetector | None = None  # None: the fixed silence wait ends every turn
    _recognising: asyncio.Task[Transcript | None] | None = field(default=None, init=False, repr=False)

    async def next_utterance(self, frames: AsyncIterator[bytes]) -> Utterance | None:
        """The next complete utterance from ``frames`` (30 ms of 16 kHz PCM each); None when they end."""
        recent: list[bytes] = []
        speech: list[bytes] = []
        early: asyncio.Task[Transcript | None] | None = None
        detected: asyncio.Task[tuple[str, float]] | None = None
        last_voiced_at = 0.0
        trailing = 0  # frames of silence since the last voiced one
        verdicts: list[bool] = []
        self.endpointer.check_s = CHECK_S if self.turn is not None else None
        async for frame in frames:
            voiced = self.vad.is_speech(frame)
            decision = self.endpointer.push(voiced)
            trailing = 0 if voiced else trailing + 1
            if self.endpointer.in_speech or decision == "end":
                if not speech:
                    speech = recent[-PRE_ROLL_FRAMES:]
                speech.append(frame)
                if voiced:
                    last_voiced_at = time.perf_counter()
            else:
                recent = (recent + [frame])[-PRE_ROLL_FRAMES:]
                speech, detected, verdicts = [], None, []
            if decision == "check":
                complete = await self._judge(Audio(b"".join(speech), STT_RATE))
                if complete is not None:
                    verdicts.append(complete)
                    decision = self.endpointer.judge(complete)
            if self.speculative and detected is None and len(speech) >= DETECT_AFTER_FRAMES:
                detected = self._detect_early(speech)
            if decision == "pause" and self.speculative:
                audio = Audio(b"".join(speech), STT_RATE)
                early = asyncio.create_task(self._recognise_early(audio, detected, self._recognising))
                early.add_done_callback(self._hint)
                self._recognising = early
            elif decision == "resume":
                early = None  # they went on: the guess covers too little
            elif decision == "end":
                keep = len(speech) - trailing + TAIL_FRAMES
                audio = Audio(b"".join(speech[:max(1, keep)]), STT_RATE)
                return Utterance(audio, last_voiced_at, time.perf_counter(), early, verdicts,
                                 trailing * FRAME_MS / 1000)
        return None

    async def _judge(self, audio: Audio) -> bool | None:
        """The turn model's verdict on the turn so far; None (the fixed wait decides) if it fails."""
        if self.turn is None:
            return None
        try:
            return await asyncio.to_thread(self.turn.is_complete, audio)
        except Exception:  # a model that fails mid-conversation must not end it: fall back for good
            log.exception("the turn model failed; the fixed silence wait ends turns from now on")
            self.turn = None
            return None

    async def _recognise_early(self, audio: Audio, detected: asyncio.Task[tuple[str, float]] | None,
                               before: asyncio.Task[Transcript | None] | None) -> Transcript | None:
        # A detection still running is waited for, not started again: on a busy CPU a second one
        # would double the work and leave the first competing with the LLM after the endpoint.
        if detected is not None:
            await asyncio.wait([detected])
        await self._after(before)
        language = self.language or _language_of(detected)
        return await asyncio.to_thread(_recognise, self.stt, audio, language)

    def _detect_early(self, speech: list[bytes]) -> asyncio.Task[tuple[str, float]] | None:
        detect = getattr(self.stt, "detect_language", None)
        if self.language is not None or detect is None:
            return None
        return asyncio.create_task(asyncio.to_thread(detect, Audio(b"".join(speech), STT_RATE)))

    def _hint(self, task: asyncio.Task[Transcript | None]) -> None:
        if task.cancelled() or task.exception() is not None:
            return
        transcript = task.result()
        if transcript is not None and self.endpointer.in_speech:
            self.endpointer.unfinished = sounds_unfinished(transcript.text)

    async def transcript_of(self, utterance: Utterance) -> Transcript | None:
        if utterance.early is not None:
            return await utterance.early
        await self._after(self._recognising)
        return await asyncio.to_thread(_recognise, self.stt, utterance.audio, self.language)

    @staticmethod
    async def _after(task: asyncio.Task[Transcript | None] | None) -> None:
        """Wait for a dropped guess's recognition to finish; its result is not needed."""
        if task is not None and not task.done():
            await asyncio.wait([task])
