"""The listener with a recording stand-in recogniser: language decided while speaking, one pass after."""
from __future__ import annotations

import asyncio

import numpy as np

from kindred.voice import listen
from kindred.voice.audio import STT_RATE, Audio
from kindred.voice.listen import Listener
from kindred.voice.protocols import Transcript


class LoudnessVad:
    def is_speech(self, frame: bytes) -> bool:
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
        return float(np.sqrt(np.mean(samples * samples))) > 0.01


class RecordingStt:
    name = "recording"

    def __init__(self, detected=("ko", 0.97)):
        self.detected = detected
        self.detect_calls: list[float] = []
        self.languages: list[str | None] = []

    def detect_language(self, audio: Audio) -> tuple[str, float]:
        self.detect_calls.append(audio.duration_s)
        return self.detected

    def transcribe(self, audio: Audio, language: str | None = None) -> Transcript:
        self.languages.append(language)
        return Transcript("오늘 힘들었어", language or "ko", 1.0, 0.0, "recording", 0.0)


def _frames(speech_s: float, silence_s: float):
    t = np.arange(STT_RATE * 30 // 1000) / STT_RATE
    voiced = Audio.from_float(0.3 * np.sin(2 * np.pi * 180 * t), STT_RATE).pcm
    quiet = bytes(len(voiced))

    async def frames():
        for index in range(int((speech_s + silence_s) / 0.03)):
            await asyncio.sleep(0.002)  # let worker threads finish, as a live microphone's pace would
            yield voiced if index * 0.03 < speech_s else quiet
    return frames()


async def _listen(stt, speech_s=2.0, **kwargs):
    listener = Listener(stt, vad=LoudnessVad(), **kwargs)  # type: ignore[arg-type]
    utterance = await listener.next_utterance(_frames(speech_s, 1.0))
    return await listener.transcript_of(utterance)


async def test_language_is_detected_while_speaking_and_passed_to_recognition(monkeypatch):
    monkeypatch.setattr(listen, "has_speech", lambda audio: True)
    stt = RecordingStt()
    transcript = await _listen(stt)
    assert len(stt.detect_calls) == 1 and 1.1 < stt.detect_calls[0] < 1.6  # the first 1.2 s (+ pre-roll)
    assert stt.languages == ["ko"] and transcript.language == "ko"


async def test_an_unsure_early_guess_leaves_detection_to_the_whole_utterance(monkeypatch):
    monkeypatch.setattr(listen, "has_speech", lambda audio: True)
    stt = RecordingStt(detected=("en", 0.6))
    await _listen(stt)
    assert stt.languages == [None]


async def test_no_early_detection_when_the_language_is_set_or_not_speculative(monkeypatch):
    monkeypatch.setattr(listen, "has_speech", lambda audio: True)
    configured, naive = RecordingStt(), RecordingStt()
    await _listen(configured, language="en")
    await _listen(naive, speculative=False)
    assert configured.detect_calls == [] and configured.languages == ["en"]
    assert naive.detect_calls == [] and naive.languages == [None]


async def test_a_pause_to_think_is_not_the_end_of_the_turn(monkeypatch):
    """'I went to the shop and …' then 0.9 s of thinking, then more words: one utterance, not two."""
    monkeypatch.setattr(listen, "has_speech", lambda audio: True)

    class Unfinished(RecordingStt):
        def transcribe(self, audio, language=None):
            super().transcribe(audio, language)
            text = "I went to the shop and" if len(self.languages) == 1 else "I went to the shop and got bread."
            return Transcript(text, "en", 1.0, 0.0, "recording", 0.0)

    t = np.arange(STT_RATE * 30 // 1000) / STT_RATE
    voiced = Audio.from_float(0.3 * np.sin(2 * np.pi * 180 * t), STT_RATE).pcm
    quiet = bytes(len(voiced))
    pattern = [voiced] * 50 + [quiet] * 30 + [voiced] * 30 + [quiet] * 40

    async def frames():
        for frame in pattern:
            await asyncio.sleep(0.004)
            yield frame

    listener = Listener(Unfinished(), vad=LoudnessVad())  # type: ignore[arg-type]
    utterance = await listener.next_utterance(frames())
    assert utterance.audio.duration_s > 2.5  # both stretches of speech and the pause between them


async def test_a_slow_early_detection_is_waited_for_not_repeated(monkeypatch):
    monkeypatch.setattr(listen, "has_speech", lambda audio: True)

    class SlowDetect(RecordingStt):
        def detect_language(self, audio):
            import time

            time.sleep(1.5)  # a busy CPU: still running when the pause comes
            return super().detect_language(audio)

    stt = SlowDetect()
    await _listen(stt, speech_s=1.6)
    assert len(stt.detect_calls) == 1 and stt.languages == ["ko"]


async def test_recognitions_of_dropped_guesses_never_run_side_by_side(monkeypatch):
    """Speech, pause, speech, pause, speech, end: each pause starts a guess; only one runs at a time."""
    import threading
    import time

    monkeypatch.setattr(listen, "has_speech", lambda audio: True)

    class SlowStt(RecordingStt):
        def __init__(self):
            super().__init__()
            self.running = self.most_at_once = 0
            self.lock = threading.Lock()

        def transcribe(self, audio, language=None):
            with self.lock:
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
            time.sleep(0.25)  # still busy when the next pause comes
            with self.lock:
                self.running -= 1
            return super().transcribe(audio, language)

    t = np.arange(STT_RATE * 30 // 1000) / STT_RATE
    voiced = Audio.from_float(0.3 * np.sin(2 * np.pi * 180 * t), STT_RATE).pcm
    quiet = bytes(len(voiced))
    pattern = [voiced] * 50 + ([quiet] * 12 + [voiced] * 8) * 3 + [quiet] * 60

    async def frames():
        for frame in pattern:
            await asyncio.sleep(0.004)
            yield frame

    stt = SlowStt()
    listener = Listener(stt, language="ko", vad=LoudnessVad())  # type: ignore[arg-type]
    utterance = await listener.next_utterance(frames())
    assert await listener.transcript_of(utterance) is not None
    assert len(stt.languages) >= 3  # every pause started a guess
    assert stt.most_at_once == 1
