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

from ..dialogue.chat_model import GenerationOptions
from ..dialogue.prompt import prefix_only
from ..events import Chose, Event, Failed, Heard, Replied, Token
from ..turn import Companion
from .audio import STT_RATE, Audio
from .backends import Voices
from .chunker import SentenceChunker, split_sentences
from .features import ArousalEstimate, estimate_arousal
from .listen import Listener, Utterance
from .playback import PacedPlayer
from .prosody import Prosody, prosody_for
from .protocols import SpeechToText, Transcript
from .tone import spoken_tone, voice_reading
from .vad import has_speech


@dataclass
class VoiceTurn:
    transcript: Transcript | None
    arousal: ArousalEstimate | None = None
    tone: str = "neutral"  # the turn's Chose tone (voice/tone.py), which the prosody is made from
    reply_text: str = ""
    status: str = "no-speech"  # ok | interrupted | failed | crisis | policy | no-speech
    first_audio_s: float | None = None  # from the reference time (end of speech) to the first sound
    events: list[Event] = field(default_factory=list)
    spoken_chunks: int = 0
    spoken_tones: list[str] = field(default_factory=list)  # the prosody each phrase went to the voice in
    # perf_counter when each step first happened (turn_started, prompt_ready, first_token, first_phrase,
    # tts_started, tts_done): where the time to the first sound went, for `kindred bench voice`.
    marks: dict[str, float] = field(default_factory=dict)

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, time.perf_counter())


@dataclass
class VoiceConversation:
    companion: Companion
    stt: SpeechToText
    voices: Voices
    player: PacedPlayer
    user: str | None = None
    language: str | None = None  # None: detect each turn

    async def warm_up(self, languages: tuple[str, ...] = ("en", "ko")) -> None:
        """Pay the one-time costs before the first turn instead of during it: load each voice and run
        it once (ONNX sets up on its first run), run Whisper once, and have the LLM evaluate the
        persona prefix that every prompt starts with, so the first reply starts as fast as later ones."""
        for language in languages:
            tts = await asyncio.to_thread(self.voices.for_language, language)
            await asyncio.to_thread(tts.synthesize, "Hi." if language == "en" else "안녕.", language,
                                    prosody_for("neutral"))
        if self.stt is not None:
            await asyncio.to_thread(self.stt.transcribe, Audio.silence(1.0, STT_RATE), languages[0])
        stream = self.companion.chat.stream(prefix_only(self.companion.persona),
                                            GenerationOptions(max_tokens=1, temperature=0.0))
        try:
            async for _ in stream:
                pass
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    async def hear(self, utterance: Audio, language: str | None = None) -> tuple[Transcript | None, ArousalEstimate]:
        """Words and arousal from an utterance; no transcript when it holds no speech (silence, noise)."""
        arousal = estimate_arousal(utterance)
        if not await asyncio.to_thread(has_speech, utterance):
            return None, arousal
        transcript = await asyncio.to_thread(self.stt.transcribe, utterance, language or self.language)
        return (transcript if transcript.is_speech else None), arousal

    async def hear_live(self, listener: Listener, utterance: Utterance) -> tuple[Transcript | None, ArousalEstimate]:
        """Words and arousal of an utterance from the microphone: the listener's transcript (begun
        at the first pause) while its arousal is measured beside it, off the loop."""
        sounded = asyncio.create_task(asyncio.to_thread(estimate_arousal, utterance.audio))
        try:
            transcript = await listener.transcript_of(utterance)
        finally:
            arousal = await sounded
        return transcript, arousal

    async def respond(self, transcript: Transcript, arousal: ArousalEstimate | None = None, *,
                      since: float | None = None, barge_in: asyncio.Event | None = None,
                      stop_after_first_audio: bool = False) -> VoiceTurn:
        """Speak the companion's reply to ``transcript`` as it is generated; ``arousal``: how the
        utterance sounded, which the turn fuses with the words (as the web's voice does)."""
        since = time.perf_counter() if since is None else since
        result = VoiceTurn(transcript, arousal, status="ok")
        result.mark("turn_started")
        language = transcript.language if transcript.language in ("en", "ko") else "en"
        phrases: asyncio.Queue[tuple[str, Prosody] | None] = asyncio.Queue()
        turn = self.companion.turn(transcript.text, user=self.user, source="voice", voice=voice_reading(arousal))
        writer = asyncio.create_task(self._write(turn, phrases, result))
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
        for racer in (waiter, *([first_sound] if first_sound else [])):
            racer.cancel()
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

    async def _write(self, turn, phrases: asyncio.Queue, result: VoiceTurn) -> None:
        chunker, tone, prosody = SentenceChunker(), None, None
        try:
            async for event in turn:
                result.events.append(event)
                if isinstance(event, Chose):  # the last step before the prompt goes to the LLM
                    result.mark("prompt_ready")
                tone = spoken_tone(tone, event)
                if isinstance(event, Token | Replied) and prosody is None:  # Chose, if any, has passed
                    result.tone = tone or "neutral"
                    prosody = prosody_for(result.tone)
                if isinstance(event, Token):
                    result.mark("first_token")
                    for phrase in chunker.push(event.text):
                        result.mark("first_phrase")
                        phrases.put_nowait((phrase, prosody))
                elif isinstance(event, Replied):
                    result.reply_text = event.text
                    result.status = {"crisis": "crisis", "policy": "policy", "empty": "failed"}.get(event.finish, "ok")
                    pending = chunker.flush() if event.tokens else split_sentences(event.text)
                    for phrase in pending:
                        result.mark("first_phrase")
                        phrases.put_nowait((phrase, prosody))
                elif isinstance(event, Failed):
                    result.status = "failed"
        finally:
            phrases.put_nowait(None)

    async def _speak(self, phrases: asyncio.Queue, language: str, result: VoiceTurn) -> None:
        tts = await asyncio.to_thread(self.voices.for_language, language)
        while (item := await phrases.get()) is not None:
            phrase, prosody = item
            result.mark("tts_started")
            result.spoken_tones.append(prosody.tone)
            # The first phrase is what the listener waits for: a model on this machine holds its next
            # tokens meanwhile (it catches up while the phrase plays). Later phrases share the cores.
            hold = getattr(self.companion.chat, "paused", None)
            with hold() if hold and not result.spoken_chunks else contextlib.nullcontext():
                audio = await asyncio.to_thread(tts.synthesize, phrase, language, prosody)
            result.mark("tts_done")
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
        """The naive pipeline: the whole reply, then the whole of its speech, then play.

        It speaks as soon as the reply is written, like the streaming pipeline, and stops after the
        first sound: what the turn does after the reply (remembering, which may ask the LLM to
        extract facts) belongs to neither pipeline's latency.
        """
        since = time.perf_counter() if since is None else since
        result = VoiceTurn(transcript, arousal, status="ok")
        result.mark("turn_started")
        tone = None
        turn = self.companion.turn(transcript.text, user=self.user, source="voice", voice=voice_reading(arousal))
        try:
            async for event in turn:
                result.events.append(event)
                tone = spoken_tone(tone, event)
                if isinstance(event, Chose):
                    result.mark("prompt_ready")
                elif isinstance(event, Token):
                    result.mark("first_token")
                elif isinstance(event, Replied):
                    result.mark("first_phrase")  # naive: the whole reply is the first (and only) phrase
                    result.reply_text = event.text
                    break
        finally:
            await turn.aclose()
        result.tone = tone or "neutral"
        language = transcript.language if transcript.language in ("en", "ko") else "en"
        tts = await asyncio.to_thread(self.voices.for_language, language)
        if result.reply_text:
            result.mark("tts_started")
            prosody = prosody_for(result.tone)
            result.spoken_tones.append(prosody.tone)
            audio = await asyncio.to_thread(tts.synthesize, result.reply_text, language, prosody)
            result.mark("tts_done")
            await self.player.play(audio)
            await self._first_sound()
            result.first_audio_s = self.player.first_audio_at - since  # type: ignore[operator]
            await self.player.stop()
        return result
