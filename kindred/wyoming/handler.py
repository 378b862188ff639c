"""One Wyoming connection: its events in, Kindred's answers out.

- ``describe`` → ``info``; ``ping`` → ``pong``;
- ``transcribe`` (optional: the language), ``audio-start``, ``audio-chunk``…, ``audio-stop`` → ``transcript``;
- ``synthesize`` → ``audio-start``, ``audio-chunk``…, ``audio-stop`` (24 kHz 16-bit mono);
- ``transcript`` → ``handled`` with her reply (the handle program: Home Assistant's conversation agent).

A frame that is not an event, or a known event whose data is wrong, is answered with an ``error``
event (code ``wyoming-event-malformed``) and the connection goes on; so does a request that fails
(its Kindred error code). A failed request's error is followed by the event that ends its answer
(audio-stop, an empty transcript, not-handled), which is what Home Assistant waits for. Events of
other types are ignored, as the protocol asks of servers.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from wyoming.server import AsyncEventHandler

from ..errors import KindredError
from ..voice.audio import STT_RATE, Audio
from ..voice.prosody import TONES
from .framing import Malformed, read_frame
from .speech import LANGUAGES, MAX_UTTERANCE_S

if TYPE_CHECKING:
    from wyoming.event import Event

    from .service import WyomingService

log = logging.getLogger("kindred.wyoming")

MAX_BAD_FRAMES = 8  # in a row: past this the peer is not speaking Wyoming, and the connection ends
SAMPLES_PER_CHUNK = 1024  # as Wyoming's own TTS servers send them
MAX_AUDIO_BYTES = MAX_UTTERANCE_S * STT_RATE * 2


class MalformedEvent(KindredError):
    code = "wyoming-event-malformed"


def _parse(kind: Any, event: Event) -> Any:
    """``kind.from_event(event)``; data that does not fit the event type raises MalformedEvent."""
    try:
        return kind.from_event(event)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        missing = f"it lacks '{exc.args[0]}'" if isinstance(exc, KeyError) else str(exc)
        raise MalformedEvent(f"The '{event.type}' event cannot be read: {missing}.",
                             "See the Wyoming protocol for the event's fields.") from exc


def _text(value: object, event_type: str) -> str:
    if not isinstance(value, str):
        raise MalformedEvent(f"The '{event_type}' event's text is not a string.", 'Send "text": "…".')
    return value


def _check_format(rate: object, width: object, channels: object, event_type: str) -> None:
    fine = (isinstance(rate, int) and 1000 <= rate <= 192_000 and width in (1, 2, 3, 4)
            and isinstance(channels, int) and 1 <= channels <= 8)
    if not fine:
        raise MalformedEvent(f"The '{event_type}' event has no usable audio format (rate {rate!r}, width {width!r}, "
                             f"channels {channels!r}).", "Send PCM: a rate in Hz, width 1-4 bytes, 1-8 channels.")


def _language(value: object) -> str | None:
    """en / ko from "en", "en-US", "ko_KR"; None (detect) for anything else."""
    if not isinstance(value, str):
        return None
    code = value.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


class KindredEventHandler(AsyncEventHandler):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, service: WyomingService,
                 info: Event) -> None:
        super().__init__(reader, writer)
        self.service = service
        self.info = info
        self._audio: bytearray | None = None  # the utterance being received, 16 kHz 16-bit mono
        self._converter: Any = None
        self._language: str | None = None
        self._overflowed = False

    async def run(self) -> None:
        """Like the package's own loop, but a bad frame is answered instead of ending the connection."""
        bad = 0
        try:
            while True:
                frame = await read_frame(self.reader)
                if frame is None:
                    break
                if isinstance(frame, Malformed):
                    bad += 1
                    await self._error(f"Not a Wyoming event: {frame.reason}.", MalformedEvent.code)
                    if frame.fatal or bad >= MAX_BAD_FRAMES:
                        break
                    continue
                bad = 0
                if not await self.handle_event(frame):
                    break
        except ConnectionError:
            pass  # the client went away mid-answer
        finally:
            await self.disconnect()
            self.writer.close()

    async def handle_event(self, event: Event) -> bool:
        try:
            await self._dispatch(event)
        except KindredError as exc:
            await self._failed(event.type, f"{exc.message} {exc.hint}".strip(), exc.code)
        except ConnectionError:
            return False
        except Exception as exc:  # noqa: BLE001 — one request's bug must not end the others' service
            log.exception("wyoming: the %s event failed", event.type)
            await self._failed(event.type, f"The '{event.type}' request failed inside Kindred: "
                                           f"{type(exc).__name__}.", "wyoming-internal")
        return True

    async def _error(self, text: str, code: str) -> None:
        from wyoming.error import Error

        await self.write_event(Error(text=text, code=code).event())

    async def _failed(self, event_type: str, text: str, code: str) -> None:
        """The error, then the event that ends the request's answer: Home Assistant reads past ``error``
        events and waits for audio-stop, a transcript or handled/not-handled, so without it it would hang."""
        from wyoming.asr import Transcript
        from wyoming.audio import AudioStop
        from wyoming.handle import NotHandled

        await self._error(text, code)
        closing = {"synthesize": AudioStop().event(), "audio-stop": Transcript(text="").event(),
                   "transcript": NotHandled(text=text, context={"code": code}).event()}.get(event_type)
        if closing is not None:
            await self.write_event(closing)

    async def _dispatch(self, event: Event) -> None:
        from wyoming.asr import Transcribe, Transcript
        from wyoming.audio import AudioChunk, AudioStart, AudioStop
        from wyoming.info import Describe
        from wyoming.ping import Ping, Pong
        from wyoming.tts import Synthesize

        if Describe.is_type(event.type):
            await self.write_event(self.info)
        elif Ping.is_type(event.type):
            await self.write_event(Pong(text=_parse(Ping, event).text).event())
        elif Transcribe.is_type(event.type):
            self._language = _language(_parse(Transcribe, event).language)
        elif AudioStart.is_type(event.type):
            start = _parse(AudioStart, event)
            _check_format(start.rate, start.width, start.channels, event.type)
            self._begin_audio()
        elif AudioChunk.is_type(event.type):
            self._add_audio(_parse(AudioChunk, event), event.type)
        elif AudioStop.is_type(event.type):
            _parse(AudioStop, event)
            await self._end_audio()
        elif Transcript.is_type(event.type):
            await self._converse(_parse(Transcript, event))
        elif Synthesize.is_type(event.type):
            await self._synthesize(_parse(Synthesize, event), event.type)

    def _begin_audio(self) -> None:
        from wyoming.audio import AudioChunkConverter

        self._audio, self._overflowed = bytearray(), False
        self._converter = AudioChunkConverter(rate=STT_RATE, width=2, channels=1)

    def _add_audio(self, chunk: Any, event_type: str) -> None:
        _check_format(chunk.rate, chunk.width, chunk.channels, event_type)
        if self._audio is None:  # a chunk without audio-start: the stream starts here (chunks carry the format)
            self._begin_audio()
        assert self._audio is not None
        if self._overflowed:
            return
        frame = chunk.width * chunk.channels
        if not isinstance(chunk.audio, bytes) or len(chunk.audio) % frame:
            raise MalformedEvent(f"The audio chunk's {len(chunk.audio or b'')} bytes are not whole samples of "
                                 f"{chunk.width} byte(s) × {chunk.channels} channel(s).",
                                 "Send whole samples: the payload's length a multiple of width × channels.")
        converted = self._converter.convert(chunk).audio
        if len(self._audio) + len(converted) > MAX_AUDIO_BYTES:
            self._overflowed = True  # said once; the rest of this utterance is dropped
            raise KindredError(f"The audio is over {MAX_UTTERANCE_S} s; this server takes one utterance at a time.",
                               "Send audio-stop within 30 s (a voice activity detector ends each command).",
                               code="wyoming-audio-too-long")
        self._audio.extend(converted)

    async def _end_audio(self) -> None:
        from wyoming.asr import Transcript

        if self._audio is None:
            raise KindredError("audio-stop came with no audio before it.", "Send audio-start and audio-chunk first.",
                               code="wyoming-audio-unexpected")
        pcm, overflowed, language = bytes(self._audio), self._overflowed, self._language
        self._audio, self._converter, self._language = None, None, None
        if overflowed:  # said when it overflowed; the request still gets its (empty) answer
            await self.write_event(Transcript(text="", language=language).event())
            return
        heard = await self.service.transcribe(Audio(pcm, STT_RATE), language)
        if heard is None:  # no speech: an empty transcript, which Home Assistant takes as nothing said
            await self.write_event(Transcript(text="", language=language).event())
        else:
            await self.write_event(Transcript(text=heard.text, language=heard.language).event())

    async def _converse(self, transcript: Any) -> None:
        from wyoming.handle import Handled

        text = _text(transcript.text, "transcript")
        if not text.strip():
            raise KindredError("The transcript is empty: there is nothing to answer.", "Send the words said.",
                               code="input-empty")
        reply = await self.service.reply(text)
        await self.write_event(Handled(text=reply.text, context=transcript.context).event())

    async def _synthesize(self, request: Any, event_type: str) -> None:
        from wyoming.audio import AudioChunk, AudioStart, AudioStop

        text = _text(request.text, event_type)
        if not text.strip():
            raise KindredError("There is no text to speak.", 'Send "text": "…".', code="input-empty")
        voice = request.voice
        speaker = voice.speaker if voice is not None and voice.speaker in TONES else None
        language = _language(voice.language) if voice is not None else None
        started = False
        async for audio in self.service.speak(text, language, speaker):
            if not started:
                await self.write_event(AudioStart(rate=audio.sample_rate, width=2, channels=1).event())
                started = True
            step = SAMPLES_PER_CHUNK * 2
            for offset in range(0, len(audio.pcm), step):
                await self.write_event(AudioChunk(rate=audio.sample_rate, width=2, channels=1,
                                                  audio=audio.pcm[offset:offset + step]).event())
        if started:
            await self.write_event(AudioStop().event())
