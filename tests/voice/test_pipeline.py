"""The streaming voice pipeline with a scripted LLM and a tone voice: what it marks along the way."""
from __future__ import annotations

import numpy as np

from kindred.turn import Companion
from kindred.voice.audio import Audio
from kindred.voice.pipeline import VoiceConversation
from kindred.voice.playback import PacedPlayer
from kindred.voice.protocols import Transcript
from tests.conftest import ScriptedChat


class ToneVoice:
    name, languages = "tone", ("en", "ko")

    def __init__(self):
        self.spoken: list[str] = []

    def synthesize(self, text, language, prosody):
        self.spoken.append(text)
        t = np.arange(int(0.2 * 24000)) / 24000
        return Audio.from_float(0.3 * np.sin(2 * np.pi * 220 * t), 24000)


class OneVoice:
    def __init__(self):
        self.voice = ToneVoice()

    def for_language(self, language):
        return self.voice


def _conversation(settings, store, pieces, delay_s=0.01):
    companion = Companion(settings=settings, chat=ScriptedChat(pieces, delay_s=delay_s), store=store)
    return VoiceConversation(companion, stt=None, voices=OneVoice(), player=PacedPlayer(realtime=False))  # type: ignore[arg-type]


HEARD = Transcript("I had a long day", "en", 1.0, 0.0, "test", 0.0)


async def test_streaming_turn_marks_each_step_in_order(settings, store):
    conversation = _conversation(settings, store, ["That ", "sounds ", "tiring, ", "tell ", "me ", "more."])
    turn = await conversation.respond(HEARD, stop_after_first_audio=True)
    order = ["turn_started", "prompt_ready", "first_token", "first_phrase", "tts_started", "tts_done"]
    assert all(name in turn.marks for name in order), turn.marks
    assert [turn.marks[name] for name in order] == sorted(turn.marks[name] for name in order)
    assert conversation.player.first_audio_at >= turn.marks["tts_done"]
    assert conversation.voices.voice.spoken[0] == "That sounds tiring,"


async def test_naive_turn_marks_the_whole_reply_as_its_first_phrase(settings, store):
    conversation = _conversation(settings, store, ["Oh. ", "I'm ", "here."])
    turn = await conversation.respond_sequentially(HEARD)
    assert turn.marks["first_token"] <= turn.marks["first_phrase"] <= turn.marks["tts_started"]
    from kindred.safety.honesty import ai_disclosure

    assert conversation.voices.voice.spoken == [f"Oh. I'm here. {ai_disclosure('en')}"]  # `talk` says it too


async def test_warm_up_runs_each_voice_and_evaluates_the_persona_prefix(settings, store):
    from kindred.dialogue.prompt import stable_prefix

    conversation = _conversation(settings, store, ["Hi"])
    await conversation.warm_up()
    assert conversation.voices.voice.spoken == ["Hi.", "안녕."]
    (call,) = conversation.companion.chat.calls
    assert call[0].role == "system" and call[0].content == stable_prefix(conversation.companion.persona)
