"""Turn-taking's decisions on a simulated microphone with a stand-in recogniser (the logic only;
tests/voice/test_turntaking.py runs the real models on spoken clips)."""
from __future__ import annotations

import asyncio

import numpy as np
import pytest

from kindred.voice.audio import STT_RATE, Audio
from kindred.voice.backchannel import BackchannelCheck, BurstVerdict, is_backchannel_text
from kindred.voice.bargein import BargeInGate
from kindred.voice.playback import PacedPlayer
from kindred.voice.protocols import Transcript
from kindred.voice.turntaking import TurnTaker, take_turns

from .test_bargein import LoudnessVad, _frame  # the same loudness VAD and 30 ms tone the barge-in tests use


class SayingStt:
    """Hears whatever it was told to, and records what it was primed with."""

    name = "saying"

    def __init__(self, text: str) -> None:
        self.text, self.prompts = text, []

    def transcribe(self, audio, language=None, *, prompt=""):
        self.prompts.append(prompt)
        return Transcript(self.text, language or "en", 1.0, 0.0 if self.text else 0.9, "saying", 0.01)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Mm-hmm.", "en", True), ("Yeah, yeah.", "en", True), ("Oh, okay.", "en", True), ("Uh-huh.", "en", True),
    ("I see.", "en", True), ("Wait.", "en", False), ("Hold on.", "en", False), ("No.", "en", False),
    ("Yeah, but I think", "en", False), ("응.", "ko", True), ("응응", "ko", True), ("아 그렇구나.", "ko", True),
    ("맞아요", "ko", True), ("잠깐만.", "ko", False), ("그만.", "ko", False), ("아니", "ko", False), ("", "en", False),
])
def test_only_bursts_made_of_backchannel_words_are_backchannels(text, language, expected):
    assert is_backchannel_text(text, language) is expected


def test_the_check_primes_the_recogniser_with_both_kinds_and_takes_no_words_for_a_backchannel():
    stt = SayingStt("")
    verdict = BackchannelCheck(stt).judge(Audio.silence(0.5, STT_RATE), "ko")
    assert verdict.backchannel and "응" in stt.prompts[0] and "잠깐만" in stt.prompts[0]


def _taker(check=None, **kwargs) -> TurnTaker:
    player = PacedPlayer(STT_RATE, realtime=False)
    return TurnTaker(BargeInGate(player, vad=LoudnessVad()), check, "en", **kwargs)  # type: ignore[arg-type]


def _feed(taker: TurnTaker, frames: list[bytes]) -> list[str]:
    return [step for frame in frames if (step := taker.push(frame))]


def test_a_short_burst_holds_at_once_and_is_judged_when_it_ends():
    taker = _taker()
    steps = _feed(taker, [_frame(0.2)] * 10 + [_frame(0.0)] * 5)  # 0.3 s of speech, then 150 ms of silence
    assert steps == ["hold", "judge"]
    assert taker.verdict(taker.judging, True) == "resume" and not taker.held


def test_a_burst_that_goes_on_is_an_interruption_without_waiting_for_words():
    taker = _taker()
    steps = _feed(taker, [_frame(0.2)] * 30)  # 0.9 s of speech
    assert steps == ["hold", "interrupt"]
    assert len(taker.burst) >= 28  # kept for the listener: the user's turn from its first word


def test_speaking_again_while_a_burst_is_judged_makes_that_verdict_stale():
    taker = _taker()
    _feed(taker, [_frame(0.2)] * 8 + [_frame(0.0)] * 5)
    stale = taker.judging
    _feed(taker, [_frame(0.2)] * 3)
    assert taker.verdict(stale, True) == "" and taker.held


def test_the_plain_barge_in_stops_at_the_first_burst():
    assert _feed(_taker(backchannels=False), [_frame(0.2)] * 4) == ["interrupt"]


class Playing:
    level = 0.2  # she is playing at 0.2 RMS throughout


def test_her_own_echo_is_learned_and_never_held_for():
    gate = BargeInGate(Playing(), vad=LoudnessVad())  # type: ignore[arg-type]
    echo = [_frame(0.2 * g) for g in np.abs(np.sin(np.arange(200) / 3.0)) * 0.3]  # her voice, 0.3x at most
    taker = TurnTaker(gate, None, "en")
    assert _feed(taker, echo) == []
    assert 0.25 < gate.echo_estimate <= 0.31
    # A user at 0.6x her level: under the prior (0.5, so 0.75x needed) not heard over her; with the echo learned, heard.
    assert 0.12 < 1.5 * gate.echo_gain * Playing.level
    assert _feed(taker, [_frame(0.12)] * 3) == ["hold"]


class Reply:
    """A reply that is still being spoken until told otherwise."""

    def __init__(self) -> None:
        self.finished = False

    def done(self) -> bool:
        return self.finished


async def _frames(parts: list[tuple[float, float]]):
    for level, seconds in parts:
        for _ in range(int(round(seconds / 0.03))):
            await asyncio.sleep(0.005)
            yield _frame(level)


async def test_take_turns_resumes_her_after_a_backchannel_and_stops_her_for_anything_else():
    for words, interrupted in (("Mm-hmm.", False), ("Wait.", True)):
        player = PacedPlayer(STT_RATE)
        await player.play(Audio.from_float(0.2 * np.ones(STT_RATE * 3), STT_RATE))
        taker = TurnTaker(BargeInGate(player, vad=LoudnessVad()), BackchannelCheck(SayingStt(words)), "en")
        barge = asyncio.Event()
        taking = await take_turns(_frames([(0.0, 0.3), (0.5, 0.3), (0.0, 0.6)]), taker, player,
                                  Reply(), barge)  # type: ignore[arg-type]
        kinds = [e.kind for e in taking.events]
        assert taking.interrupted is interrupted and barge.is_set() is interrupted
        assert kinds == (["hold", "interrupt"] if interrupted else ["hold", "resume"])
        assert player.paused is interrupted  # held until the stop; resumed after a backchannel
        assert taking.verdicts == [BurstVerdict(not interrupted, words, 0.01)]
        await player.stop()


async def test_pause_holds_the_sound_and_resume_goes_on_without_losing_any():
    player = PacedPlayer(STT_RATE)
    await player.play(Audio.from_float(0.1 * np.ones(int(STT_RATE * 0.4)), STT_RATE))
    await asyncio.sleep(0.1)
    await player.pause()
    at_pause = len(player.played)
    await asyncio.sleep(0.15)
    assert len(player.played) <= at_pause + 1  # at most the slice already on its way
    assert at_pause < 20, "the whole clip had played before the pause: the machine is too busy to tell"
    await player.resume()
    await player.drain()
    assert player.audio().duration_s == pytest.approx(0.4, abs=0.001) and player.resumed_at is not None
