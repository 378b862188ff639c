"""Turn-taking on real clips with the real models (Whisper for the check, hibari and Kokoro for her
voice, espeak-ng for the user's).

Two harnesses. The bench's room (kindred/bench/voice_room.py) steps the product's turn-taking in
audio time, so the 200 ms budget is checked without depending on how busy the machine is. Then the
live path: ``VoiceConversation.respond`` speaking through the real-time player while ``take_turns``
listens to a simulated microphone that hears it back, to show what the reply becomes (kept, or
stored as interrupted). The LLM is a scripted stand-in: what is tested is what happens to her
speech, not what she says.
"""
from __future__ import annotations

import asyncio
import importlib.util
import time

import numpy as np
import pytest

from kindred.turn import Companion
from kindred.voice.audio import STT_RATE, Audio
from kindred.voice.backchannel import BackchannelCheck
from kindred.voice.bargein import BargeInGate
from kindred.voice.pipeline import VoiceConversation
from kindred.voice.playback import PacedPlayer
from kindred.voice.prosody import prosody_for
from kindred.voice.protocols import Transcript
from kindred.voice.turntaking import TurnTaker, take_turns
from tests.conftest import ScriptedChat

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is None or importlib.util.find_spec("hibari") is None
                       or importlib.util.find_spec("kokoro_onnx") is None,
                       reason="needs the voice extra: pip install 'kindred[voice]'"),
]

REPLY = {
    "en": ["I'm really glad you told me. ", "It sounds like today asked a lot of you, and you kept going. ",
           "Do you want to tell me about the hardest part of it? "],
    "ko": ["얘기해줘서 정말 고마워. ", "오늘 하루가 많이 힘들었을 것 같아. ", "제일 힘들었던 게 뭐였는지 말해줄래? "],
}
HEARD = {"en": "I had a rough day at work.", "ko": "오늘 회사에서 너무 힘들었어."}


@pytest.fixture(scope="module")
def models():
    from dataclasses import replace

    from kindred.config import load_settings
    from kindred.voice.backends import VoiceConfig, Voices, open_stt

    config = VoiceConfig.from_settings(load_settings())
    return {"stt": open_stt(config), "voices": Voices(config),
            "user": Voices(replace(config, tts={"en": "espeak", "ko": "espeak"}))}


def _her(models, language: str) -> Audio:
    return models["voices"].for_language(language).synthesize("".join(REPLY[language]), language,
                                                             prosody_for("neutral")).resampled(STT_RATE)


def _user(models, language: str, text: str, her: Audio) -> Audio:
    from kindred.bench.voice_turntaking import _at_level, voiced_rms

    return _at_level(models["user"].for_language(language).synthesize(text, language, prosody_for("neutral")),
                     voiced_rms(her))


def _in_the_room(models, language: str, said: str | None, echo_gain: float = 0.3):
    from kindred.bench.voice_room import simulate, speech_onset_s

    her = _her(models, language)
    clip = _user(models, language, said, her) if said else None
    outcome = simulate(her, clip, 2.0, BackchannelCheck(models["stt"]), language, backchannels=True,
                       echo_gain=echo_gain, listen_s=(2.0 + clip.duration_s + 1.5) if clip else her.duration_s)
    return outcome, 2.0 + (speech_onset_s(clip) if clip else 0.0)


@pytest.mark.parametrize(("language", "said"), [("en", "Mhm."), ("en", "Yeah."), ("ko", "응."), ("ko", "맞아.")])
def test_a_backchannel_over_her_speech_pauses_her_and_she_goes_on(models, language, said):
    outcome, _ = _in_the_room(models, language, said)
    assert not outcome.stopped, outcome.verdicts
    assert len(outcome.holds) == len(outcome.resumes) == 1  # held at once, resumed after the check


@pytest.mark.parametrize(("language", "said"), [("en", "Wait."), ("en", "Wait, can I ask you something else?"),
                                                ("ko", "잠깐만."), ("ko", "아니 그게 아니라, 내 말 좀 들어봐.")])
def test_an_interruption_silences_her_within_200_ms_of_its_onset_and_ends_the_reply(models, language, said):
    outcome, onset = _in_the_room(models, language, said)
    assert outcome.stopped, outcome.verdicts
    assert outcome.holds[0] - onset < 0.2  # silent before it is even decided: the hold


@pytest.mark.parametrize("language", ["en", "ko"])
def test_her_own_voice_in_the_microphone_never_makes_her_hold(models, language):
    outcome, _ = _in_the_room(models, language, None, echo_gain=0.6)  # a loud echo, twice the bench's
    assert outcome.holds == [] and not outcome.stopped


class LiveRoom:
    """A real-time microphone: what the player played (40 ms late, quieter) plus the user's clip."""

    def __init__(self, seconds: float, echo_gain: float) -> None:
        self.mix = np.zeros(int(seconds * STT_RATE), dtype=np.float32)
        self.echo_gain, self.started = echo_gain, time.perf_counter()

    def speaker(self, piece: Audio) -> None:
        at = int((time.perf_counter() - self.started + 0.04) * STT_RATE)
        samples = piece.resampled(STT_RATE).to_float()[: max(0, self.mix.size - at)]
        self.mix[at:at + samples.size] += self.echo_gain * samples

    def say(self, clip: Audio, at_s: float) -> None:
        start = int(at_s * STT_RATE)
        samples = clip.to_float()[: max(0, self.mix.size - start)]
        self.mix[start:start + samples.size] += samples

    async def frames(self):
        count = STT_RATE * 30 // 1000
        for index in range(self.mix.size // count):
            await asyncio.sleep(max(0.0, self.started + (index + 1) * 0.03 - time.perf_counter()))
            yield Audio.from_float(self.mix[index * count:(index + 1) * count], STT_RATE).pcm


async def _converse(settings, store, models, said: str):
    """Her English reply through respond() while the microphone hears it; ``said`` 1.5 s after her first sound."""
    room = LiveRoom(30.0, 0.3)
    player = PacedPlayer(STT_RATE, sink=room.speaker)
    companion = Companion(settings=settings, chat=ScriptedChat(REPLY["en"], delay_s=0.05), store=store)
    conversation = VoiceConversation(companion, models["stt"], models["voices"], player)
    barge = asyncio.Event()
    reply = asyncio.create_task(conversation.respond(Transcript(HEARD["en"], "en", 1.0, 0.0, "test", 0.0),
                                                     barge_in=barge))
    clip = _user(models, "en", said, _her(models, "en"))

    async def speak() -> None:
        while player.first_audio_at is None:
            await asyncio.sleep(0.01)
        room.say(clip, player.first_audio_at - room.started + 1.5)

    speaker = asyncio.create_task(speak())
    taking = await take_turns(room.frames(), TurnTaker(BargeInGate(player), BackchannelCheck(models["stt"]), "en"),
                              player, reply, barge)
    await speaker
    return await reply, taking


async def test_live_a_backchannel_does_not_cancel_the_reply(settings, store, models):
    turn, taking = await _converse(settings, store, models, "Mhm.")
    assert [e.kind for e in taking.events] == ["hold", "resume"], taking.verdicts
    assert turn.status == "ok" and not taking.interrupted
    stored = await store.recent_turns(settings.user)
    assert stored[-1].role == "assistant" and stored[-1].status == "ok"


async def test_live_an_interruption_cancels_the_reply_and_it_is_stored_interrupted(settings, store, models):
    turn, taking = await _converse(settings, store, models, "Wait.")
    assert taking.interrupted and turn.status == "interrupted", taking.verdicts
    assert [e.kind for e in taking.events] == ["hold", "interrupt"]
    stored = await store.recent_turns(settings.user)
    assert stored[-1].role == "assistant" and stored[-1].status == "interrupted"
