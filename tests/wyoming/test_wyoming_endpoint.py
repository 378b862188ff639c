"""The real `kindred wyoming` on loopback, driven by the wyoming package's own AsyncTcpClient.

Slow: the process loads the small LLM, Whisper and Kokoro (CI runs it). The speech clip is Kindred's own:
what her voice says for a sentence over `synthesize` is sent back as audio and must come back as those words.
"""
from __future__ import annotations

import asyncio
import importlib.util
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from tests.conftest import PROJECT_ROOT, requires_small_model

pytestmark = [
    pytest.mark.slow,
    requires_small_model,
    pytest.mark.skipif(importlib.util.find_spec("wyoming") is None, reason="needs pip install 'kindred[wyoming]'"),
    pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is None
                       or importlib.util.find_spec("kokoro_onnx") is None,
                       reason="needs the voice extra: pip install 'kindred[voice]'"),
]

SENTENCE = "I had a really rough day at work today."
STARTUP_S = 900  # a fresh home assembles the small model and the voice models first


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A running `kindred wyoming --model small` on a free loopback port; yields the port."""
    home = tmp_path_factory.mktemp("wyoming-home")
    port = _free_port()
    env = {**os.environ, "KINDRED_HOME": str(home), "KINDRED_MAX_REPLY_TOKENS": "16", "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("KINDRED_DATABASE_URL", None)
    env.pop("KINDRED_PASSPHRASE", None)
    log = (home / "wyoming.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "kindred", "wyoming", "--uri", f"tcp://127.0.0.1:{port}",
                                "--model", "small"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + STARTUP_S
        while "is listening on" not in (home / "wyoming.log").read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"kindred wyoming did not start:\n{(home / 'wyoming.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 600))


async def _client(port: int):
    from wyoming.client import AsyncTcpClient

    return AsyncTcpClient("127.0.0.1", port)


async def _read(client):
    event = await client.read_event()
    assert event is not None, "the server hung up"
    return event


async def _synthesize(port: int, text: str, **voice) -> tuple[int, bytes]:
    from wyoming.tts import Synthesize, SynthesizeVoice

    async with await _client(port) as client:
        await client.write_event(Synthesize(text=text, voice=SynthesizeVoice(**voice) if voice else None).event())
        start = await _read(client)
        assert start.type == "audio-start", start
        pcm = b""
        while (event := await _read(client)).type == "audio-chunk":
            assert event.data["rate"] == start.data["rate"] and event.data["width"] == 2
            pcm += event.payload or b""
        assert event.type == "audio-stop", event
    return start.data["rate"], pcm


@pytest.fixture(scope="module")
def spoken(endpoint):
    """Her voice saying SENTENCE, as `synthesize` gave it: (rate, pcm)."""
    return _run(_synthesize(endpoint, SENTENCE))


def test_describe_gets_info_with_speech_to_text_voice_and_conversation_in_english_and_korean(endpoint):
    from wyoming.info import Describe, Info

    async def ask():
        async with await _client(endpoint) as client:
            await client.write_event(Describe().event())
            return Info.from_event(await _read(client))

    info = _run(ask())
    assert [p.name for p in info.asr] == ["kindred-whisper"] and info.asr[0].models[0].languages == ["en", "ko"]
    [voice] = info.tts[0].voices
    assert voice.languages == ["en", "ko"] and "comforting" in [s.name for s in voice.speakers or []]
    assert info.handle[0].models[0].languages == ["en", "ko"]


def test_synthesize_gives_her_speech(spoken):
    rate, pcm = spoken
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
    assert rate == 24000 and 1.0 < samples.size / rate < 8.0
    assert np.sqrt(np.mean(samples ** 2)) > 0.01  # sound, not silence


def test_a_tone_asked_as_the_speaker_changes_how_she_sounds(endpoint, spoken):
    rate, comforting = _run(_synthesize(endpoint, SENTENCE, name="kindred", speaker="comforting"))
    assert rate == spoken[0]
    assert len(comforting) > len(spoken[1]) * 1.05  # comforting is spoken slower (voice/prosody.py: rate 0.88)


def test_korean_text_is_spoken_by_her_korean_voice(endpoint):
    rate, pcm = _run(_synthesize(endpoint, "오늘 정말 힘들었어.", language="ko"))
    assert rate == 24000 and len(pcm) / 2 / rate > 0.5


def test_audio_start_chunks_stop_gets_the_words_back(endpoint, spoken):
    from wyoming.asr import Transcribe, Transcript
    from wyoming.audio import AudioChunk, AudioStart, AudioStop

    rate, pcm = spoken  # 24 kHz: the server converts to Whisper's 16 kHz itself

    async def transcribe():
        async with await _client(endpoint) as client:
            await client.write_event(Transcribe(language="en").event())
            await client.write_event(AudioStart(rate=rate, width=2, channels=1).event())
            for offset in range(0, len(pcm), 4096):
                await client.write_event(AudioChunk(rate=rate, width=2, channels=1,
                                                    audio=pcm[offset:offset + 4096]).event())
            await client.write_event(AudioStop().event())
            return Transcript.from_event(await _read(client))

    heard = _run(transcribe())
    assert heard.language == "en" and "rough day at work" in heard.text.lower(), heard


def test_silence_gets_an_empty_transcript(endpoint):
    from wyoming.asr import Transcript
    from wyoming.audio import AudioChunk, AudioStart, AudioStop

    async def transcribe():
        async with await _client(endpoint) as client:
            await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            await client.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=bytes(32000)).event())
            await client.write_event(AudioStop().event())
            return Transcript.from_event(await _read(client))

    assert _run(transcribe()).text == ""


def test_a_transcript_gets_kindreds_reply_through_the_turn_loop(endpoint):
    from wyoming.asr import Transcript
    from wyoming.handle import Handled

    async def converse(text: str) -> str:
        async with await _client(endpoint) as client:
            await client.write_event(Transcript(text=text, language="en").event())
            answer = await _read(client)
            assert Handled.is_type(answer.type), answer
            return Handled.from_event(answer).text or ""

    first = _run(converse(SENTENCE))
    assert "an ai, not a person" in first.lower()  # the first reply of a conversation says what she is
    crisis = _run(converse("I want to end my life tonight."))
    assert "988" in crisis  # the crisis protocol answers, before the model


def test_a_malformed_event_gets_an_error_and_the_server_keeps_serving(endpoint):
    from wyoming.error import Error
    from wyoming.event import Event
    from wyoming.info import Describe, Info

    async def misbehave():
        async with await _client(endpoint) as client, await _client(endpoint) as other:
            await client.write_event(Event(type="synthesize", data={"voice": {"name": "kindred"}}))  # no text
            first = Error.from_event(await _read(client))
            assert (await _read(client)).type == "audio-stop"  # the end Home Assistant's TTS waits for
            client._writer.write(b"\x00\xffgarbage\n")  # not even JSON, under the client's event writer
            await client._writer.drain()
            second = Error.from_event(await _read(client))
            await client.write_event(Describe().event())
            again = await _read(client)
            await other.write_event(Describe().event())
            return first, second, again, await _read(other)

    first, second, again, other = _run(misbehave())
    assert first.code == second.code == "wyoming-event-malformed" and "text" in first.text
    assert Info.is_type(again.type) and Info.is_type(other.type)
