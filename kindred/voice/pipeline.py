"""A spoken turn: speech → words → the companion's turn → speech, streamed, with barge-in.

Streaming: LLM tokens are cut into phrases (chunker) and each phrase is synthesized and queued
for playback while the model is still writing the next one. Barge-in: when ``barge_in`` is set,
playback stops at once, generation is cancelled (the turn loop stores what was said as
'interrupted'), and a reply that had already been fully written is re-marked 'interrupted'.
``respond_sequentially`` is the naive pipeline (whole reply, then whole speech) for comparison.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from ..events import Event, Failed, Felt, Heard, Replied, Token
from ..turn import Companion
from .audio import Audio
from .backends import Voices
from .chunker import SentenceChunker, split_sentences
from .features import ArousalEstimate, estimate_arousal
from .playback import PacedPlayer
from .prosody import Prosody, prosody_for
from .protocols import SpeechToText, Transcript
from .tone import choose_tone
from .vad import has_speech


@dataclass
class VoiceTurn:
    transcript: Transcript | None
    arousal: ArousalEstimate | None = None
    tone: str = "neutral"
    reply_text: str = ""
    status: str = "no-speech"  # ok | interrupted | failed | crisis | policy | no-speech
    first_audio_s: float | None = None  # from the reference time (end of speech) to the first sound
    events: list[Event] = field(default_factory=list)
    spoken_chunks: int = 0


@dataclass
class VoiceConversation:
    companion: Companion
    stt: SpeechToText
    voices: Voices
    player: PacedPlayer
    user: str | None = None
    language: str | None = None  # None: detect each turn

    async def hear(self, utterance: Audio, language: str | None = None) -> tuple[Transcript | None, ArousalEstimate]:
        """Words and arousal from an utterance; no transcript when it holds no speech (silence, noise)."""
        arousal = estimate_arousal(utterance)
        if not await asyncio.to_thread(has_speech, utterance):
            return None, arousal
        transcript = await asyncio.to_thread(self.stt.transcribe, utterance, language or self.language)
        return (transcript if transcript.is_speech else None), arousal

    async def respond(self, transcript: Transcript, arousal: ArousalEstimate | None = None, *,
                      since: float | None = None, barge_in: asyncio.Event | None = None,
                      stop_after_first_audio: bool = False) -> VoiceTurn:
        """Speak the companion's reply to ``transcript`` as it is generated."""
        since = time.perf_counter() if since is None else since
        result = VoiceTurn(transcript, arousal, status="ok")
        language = transcript.language if transcript.language in ("en", "ko") else "en"
        phrases: asyncio.Queue[tuple[str, Prosody] | None] = asyncio.Queue()
        turn = self.companion.turn(transcript.text, user=self.user, source="voice")
        writer = asyncio.create_task(self._write(turn, transcript, arousal, phrases, result))
        speaker = asyncio.create_task(self._speak(phrases, language, result))
        stop = barge_in or asyncio.Event()
        first_sound = asyncio.create_task(self._first_sound()) if stop_after_first_audio else None
        waiter = asyncio.create_task(stop.wait())
        done_speaking = asyncio.create_task(self._finish(writer, speaker))
        racers = [waiter, done_speaking, *([first_sound] if first_sound else [])]
        await asyncio.wait(racers, return_when=asyncio.FIRST_COMPLETED)
        if not done_speaking.done():
            await self.player.stop()  # first: the user must hear silence at once
            for task in (writer, speaker, done_speaking):
                task.cancel()
            result.status = "interrupted"
        for task in (waiter, *([first_sound] if first_sound else [])):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.gather(writer, speaker, done_speaking, return_exceptions=True)
        await turn.aclose()  # a turn cut mid-generation stores its partial reply as 'interrupted'
        if result.status == "interrupted":
            await self._mark_interrupted(result)
        if self.player.first_audio_at is not None:
            result.first_audio_s = self.player.first_audio_at - since
        return result

    async def _first_sound(self) -> None:
        while self.player.first_audio_at is None:
            await asyncio.sleep(0.01)

    async def _finish(self, writer: asyncio.Task, speaker: asyncio.Task) -> None:
        await writer
        await speaker
        await self.player.drain()

    async def _write(self, turn, transcript: Transcript, arousal: ArousalEstimate | None,
                     phrases: asyncio.Queue, result: VoiceTurn) -> None:
        chunker, felt, prosody = SentenceChunker(), None, None
        try:
            async for event in turn:
                result.events.append(event)
                if isinstance(event, Felt):
                    felt = event
                elif isinstance(event, Token | Replied) and prosody is None:  # tone is known once Felt has passed
                    result.tone = choose_tone(transcript.text, transcript.language, felt, arousal)
                    prosody = prosody_for(result.tone)
                if isinstance(event, Token):
                    for phrase in chunker.push(event.text):
                        phrases.put_nowait((phrase, prosody))
                elif isinstance(event, Replied):
                    result.reply_text = event.text
                    result.status = {"crisis": "crisis", "policy": "policy", "empty": "failed"}.get(event.finish, "ok")
                    pending = chunker.flush() if event.tokens else split_sentences(event.text)
                    for phrase in pending:
                        phrases.put_nowait((phrase, prosody))
                elif isinstance(event, Failed):
                    result.status = "failed"
        finally:
            phrases.put_nowait(None)

    async def _speak(self, phrases: asyncio.Queue, language: str, result: VoiceTurn) -> None:
        tts = await asyncio.to_thread(self.voices.for_language, language)
        while (item := await phrases.get()) is not None:
            phrase, prosody = item
            audio = await asyncio.to_thread(tts.synthesize, phrase, language, prosody)
            if result.spoken_chunks:
                await self.player.play(Audio.silence(prosody.sentence_pause_s, audio.sample_rate))
            await self.player.play(audio)
            result.spoken_chunks += 1

    async def _mark_interrupted(self, result: VoiceTurn) -> None:
        heard = next((e for e in result.events if isinstance(e, Heard)), None)
        replied = next((e for e in result.events if isinstance(e, Replied)), None)
        if heard is not None and replied is not None:  # fully written, partly heard: say so in memory
            await self.companion.store.set_turn_status(heard.user, heard.turn_id, "assistant", "interrupted")

    async def respond_sequentially(self, transcript: Transcript, arousal: ArousalEstimate | None = None, *,
                                   since: float | None = None) -> VoiceTurn:
        """The naive pipeline: the whole reply, then the whole of its speech, then play."""
        since = time.perf_counter() if since is None else since
        result = VoiceTurn(transcript, arousal, status="ok")
        felt = None
        async for event in self.companion.turn(transcript.text, user=self.user, source="voice"):
            result.events.append(event)
            felt = event if isinstance(event, Felt) else felt
            if isinstance(event, Replied):
                result.reply_text = event.text
        result.tone = choose_tone(transcript.text, transcript.language, felt, arousal)
        language = transcript.language if transcript.language in ("en", "ko") else "en"
        tts = await asyncio.to_thread(self.voices.for_language, language)
        if result.reply_text:
            audio = await asyncio.to_thread(tts.synthesize, result.reply_text, language, prosody_for(result.tone))
            await self.player.play(audio)
            await self._first_sound()
            result.first_audio_s = self.player.first_audio_at - since  # type: ignore[operator]
            await self.player.stop()
        return result
