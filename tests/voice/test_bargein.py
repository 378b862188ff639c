"""Barge-in on a simulated microphone: own voice is ignored, the user's stops playback within 200 ms."""
from __future__ import annotations

import asyncio
import time

import numpy as np

from kindred.turn import Companion
from kindred.voice.audio import STT_RATE, Audio
from kindred.voice.bargein import BargeInGate
from kindred.voice.pipeline import VoiceConversation
from kindred.voice.playback import PacedPlayer
from kindred.voice.protocols import Transcript
from tests.conftest import ScriptedChat


class ToneVoice:
    """A stand-in TTS: half a second of tone per phrase, so timing is exact and no model is needed."""

    name, languages = "tone", ("en", "ko")

    def synthesize(self, text, language, prosody):
        t = np.arange(int(0.5 * 24000)) / 24000
        return Audio.from_float(0.3 * np.sin(2 * np.pi * 220 * t), 24000)


class Voices:
    def for_language(self, language):
        return ToneVoice()


class LoudnessVad:
    name = "loudness"

    def is_speech(self, frame: bytes) -> bool:
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
        return float(np.sqrt(np.mean(samples * samples))) > 0.01


def _frame(level: float) -> bytes:
    t = np.arange(STT_RATE * 30 // 1000) / STT_RATE
    return Audio.from_float(level * np.sqrt(2) * np.sin(2 * np.pi * 180 * t), STT_RATE).pcm


async def _talk_over(settings, store, pieces, delay_s, echo_s):
    player = PacedPlayer(realtime=True)
    companion = Companion(settings=settings, chat=ScriptedChat(pieces, delay_s=delay_s), store=store)
    conversation = VoiceConversation(companion, stt=None, voices=Voices(), player=player)  # type: ignore[arg-type]
    gate = BargeInGate(player, vad=LoudnessVad())
    barge = asyncio.Event()
    reply = asyncio.create_task(conversation.respond(Transcript("hi there", "en", 1.0, 0.0, "test", 0.0),
                                                     barge_in=barge))
    while player.first_audio_at is None:
        await asyncio.sleep(0.01)
    own_voice_until = time.perf_counter() + echo_s
    while time.perf_counter() < own_voice_until:  # the mic hears Kindred herself, at half her level
        assert not gate.user_speaking(_frame(0.5 * player.level)), "own voice triggered barge-in"
        await asyncio.sleep(0.03)
    user_started = time.perf_counter()
    while not barge.is_set():  # the user starts talking, clearly louder than the echo
        if gate.user_speaking(_frame(0.5)):
            barge.set()
        await asyncio.sleep(0.03)
    turn = await reply
    return turn, player, user_started


async def test_barge_in_during_generation_stops_playback_and_stores_interrupted(settings, store):
    pieces = [f"word{i} " for i in range(6)] + ["and more, "] + [f"w{i} " for i in range(60)]
    turn, player, user_started = await _talk_over(settings, store, pieces, 0.05, echo_s=0.6)
    assert turn.status == "interrupted"
    assert player.stopped_at - user_started < 0.2
    assert not player.playing
    stored = await store.recent_turns(settings.user)
    assert stored[-1].role == "assistant" and stored[-1].status == "interrupted"
    assert stored[-1].text.startswith("word0")


async def test_barge_in_after_generation_still_marks_the_reply_interrupted(settings, store):
    pieces = ["One, two, three. ", "Four five six. ", "Seven eight nine. ", "Ten."]
    turn, player, user_started = await _talk_over(settings, store, pieces, 0.0, echo_s=0.4)
    # Generated to the end of its sentence budget (three), then the first reply's line that she is an AI.
    assert turn.status == "interrupted" and "Seven eight nine." in turn.reply_text and "Ten." not in turn.reply_text
    assert turn.reply_text.endswith("not a person.")
    assert player.stopped_at - user_started < 0.2
    stored = await store.recent_turns(settings.user)
    assert stored[-1].status == "interrupted"
