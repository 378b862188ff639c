"""What the Wyoming endpoint does, apart from the protocol: her turn, her ears, her voice.

One account (``--user``) speaks through this server: Wyoming has no sign-in, so whoever reaches
the port speaks as that person, which is why it listens on loopback unless told otherwise.

Tone: Home Assistant asks for the reply's speech in a separate ``synthesize``, with the reply's
text only. The tone that reply's turn chose (its ``Chose`` event, voice/tone.py) is remembered by
its text, so the speech sounds as the turn meant it: comforting for a hard day, calm for a crisis.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from ..errors import KindredError
from ..events import Failed, Replied
from ..perception.language import detect_language
from ..turn import Companion
from ..voice.audio import Audio
from ..voice.protocols import Transcript
from ..voice.tone import spoken_tone
from .speech import LANGUAGES, SpeechEngines

REMEMBERED_TONES = 64  # replies whose tone is kept for the synthesize that follows them


def _key(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Reply:
    text: str
    language: str
    tone: str
    finish: str


@dataclass
class WyomingService:
    companion: Companion
    speech: SpeechEngines
    user: str
    _tones: OrderedDict[str, str] = field(default_factory=OrderedDict)
    # One turn at a time: every connection speaks as the same person, in the same conversation.
    _turns: asyncio.Lock = field(default_factory=asyncio.Lock)
    _running: set[asyncio.Task] = field(default_factory=set)

    async def reply(self, text: str) -> Reply:
        """Her reply to ``text`` through the whole turn loop (safety first); a failed turn raises its error.

        Returned as soon as the reply is written: what the turn does after it (storing, feelings kept)
        goes on in the background, still holding the turn lock, so the next turn waits for it."""
        answer: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(self._turn(text, answer))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return await asyncio.shield(answer)  # a client that hangs up does not cut the turn short

    async def _turn(self, text: str, answer: asyncio.Future[Reply]) -> None:
        tone: str | None = None
        try:
            async with self._turns:
                async for event in self.companion.turn(text, user=self.user, source="voice"):
                    tone = spoken_tone(tone, event)
                    if isinstance(event, Failed) and not answer.done():
                        answer.set_exception(KindredError(event.message, event.hint, code=event.code))
                    elif isinstance(event, Replied) and not answer.done():
                        self._remember(event.text, tone or "neutral")
                        answer.set_result(Reply(event.text, event.language, tone or "neutral", event.finish))
        except Exception as exc:  # noqa: BLE001 — the turn loop says failures as events; anything else is told too
            if not answer.done():
                answer.set_exception(exc)
            return
        if not answer.done():  # the turn loop always ends in Replied or Failed; say so if it ever does not
            answer.set_exception(KindredError("The turn ended without a reply.",
                                              "Try again; `kindred doctor` checks the model.", code="wyoming-no-reply"))

    async def finish(self) -> None:
        """Wait for turns still finishing in the background (at shutdown)."""
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    def _remember(self, text: str, tone: str) -> None:
        self._tones[_key(text)] = tone
        self._tones.move_to_end(_key(text))
        while len(self._tones) > REMEMBERED_TONES:
            self._tones.popitem(last=False)

    def tone_for(self, text: str, asked: str | None) -> str:
        """The tone a text is spoken in: the one a client asked for, else the one its reply's turn chose."""
        return asked or self._tones.get(_key(text), "neutral")

    async def transcribe(self, audio: Audio, language: str | None) -> Transcript | None:
        return await asyncio.to_thread(self.speech.transcribe, audio, language)

    async def speak(self, text: str, language: str | None, tone: str | None) -> AsyncIterator[Audio]:
        """Each sentence's audio as soon as it is made (off the event loop)."""
        spoken = language if language in LANGUAGES else ("ko" if detect_language(text) == "ko" else "en")
        pieces = self.speech.speak(text, spoken, self.tone_for(text, tone))
        while (piece := await asyncio.to_thread(next, pieces, None)) is not None:
            yield piece
