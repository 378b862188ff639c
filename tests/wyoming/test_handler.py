"""The Wyoming endpoint's logic with the package's own client on loopback: a scripted chat model (logic only;
tests/wyoming/test_wyoming_endpoint.py runs the real `kindred wyoming` with real models) and speech off."""
from __future__ import annotations

import asyncio
import contextlib

import pytest

pytest.importorskip("wyoming", reason="needs the wyoming extra: pip install 'kindred[wyoming]'")

from wyoming.asr import Transcript  # noqa: E402
from wyoming.audio import AudioChunk, AudioStart, AudioStop  # noqa: E402
from wyoming.client import AsyncTcpClient  # noqa: E402
from wyoming.error import Error  # noqa: E402
from wyoming.event import Event  # noqa: E402
from wyoming.handle import Handled  # noqa: E402
from wyoming.info import Describe, Info  # noqa: E402
from wyoming.tts import Synthesize  # noqa: E402

from kindred.turn import Companion  # noqa: E402
from kindred.wyoming.server import serve  # noqa: E402
from kindred.wyoming.service import WyomingService  # noqa: E402
from kindred.wyoming.speech import SpeechEngines  # noqa: E402


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def endpoint(settings, store, scripted_chat):
    """A served WyomingService (speech not loaded) on a loopback port; yields (port, service)."""
    service = WyomingService(Companion(settings=settings, chat=scripted_chat, store=store), SpeechEngines(settings),
                             settings.user)
    port = _free_port()
    ready = asyncio.Event()
    task = asyncio.create_task(serve(service, f"tcp://127.0.0.1:{port}", version="test", ready=ready.set))
    await asyncio.wait_for(ready.wait(), 10)
    yield port, service
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await service.finish()


async def _ask(client: AsyncTcpClient, event: Event) -> Event:
    await client.write_event(event)
    answer = await asyncio.wait_for(client.read_event(), 30)
    assert answer is not None, "the server hung up"
    return answer


async def test_describe_without_speech_offers_only_the_conversation(endpoint):
    port, _ = endpoint
    async with AsyncTcpClient("127.0.0.1", port) as client:
        info = Info.from_event(await _ask(client, Describe().event()))
    assert not info.asr and not info.tts
    [handle] = info.handle
    assert handle.name == "kindred" and handle.models[0].languages == ["en", "ko"]


async def test_a_transcript_gets_the_turns_reply_and_the_turn_is_stored(endpoint, store, settings):
    port, service = endpoint
    async with AsyncTcpClient("127.0.0.1", port) as client:
        answer = await _ask(client, Transcript(text="I finally finished my thesis!").event())
    assert Handled.is_type(answer.type)
    assert Handled.from_event(answer).text.startswith("Hello there.")  # the scripted pieces, through the turn loop
    await service.finish()
    assert await store.count_turns(settings.user) == 2  # her words and the reply, as any turn stores them


async def test_a_crisis_transcript_gets_the_crisis_reply_not_the_models(endpoint):
    port, _ = endpoint
    async with AsyncTcpClient("127.0.0.1", port) as client:
        text = Handled.from_event(await _ask(client, Transcript(text="I want to kill myself tonight").event())).text
    assert "988" in text and "Hello there" not in text


async def test_malformed_events_get_errors_and_the_connection_and_others_go_on(endpoint):
    port, _ = endpoint
    async with AsyncTcpClient("127.0.0.1", port) as client, AsyncTcpClient("127.0.0.1", port) as other:
        # Each request's error comes with the event that ends its answer, which Home Assistant waits for.
        for bad, closing in ((Event(type="synthesize", data={}), "audio-stop"),
                             (Event(type="transcript", data={"text": 5}), "not-handled"),
                             (Event(type="audio-start", data={"rate": "fast", "width": 2, "channels": 1}), None),
                             (AudioChunk(rate=16000, width=2, channels=1, audio=b"\x01\x02\x03").event(), None)):
            error = Error.from_event(await _ask(client, bad))
            assert error.code == "wyoming-event-malformed", error
            if closing:
                assert (await asyncio.wait_for(client.read_event(), 10)).type == closing
        client._writer.write(b"{not json\n")  # a broken frame, below the client's own event writer
        await client._writer.drain()
        assert Error.from_event(await asyncio.wait_for(client.read_event(), 10)).code == "wyoming-event-malformed"
        await client.write_event(Event(type="some-future-event"))  # unknown types are ignored, as the protocol says
        assert Info.is_type((await _ask(client, Describe().event())).type)  # the same connection still serves
        assert Info.is_type((await _ask(other, Describe().event())).type)


async def test_speech_requests_without_speech_say_why(endpoint):
    port, _ = endpoint
    async with AsyncTcpClient("127.0.0.1", port) as client:
        error = Error.from_event(await _ask(client, Synthesize(text="Hello.").event()))
        assert error.code == "wyoming-speech-off"
        assert AudioStop.is_type((await client.read_event()).type)  # the answer ends, empty
        await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
        await client.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=b"\x00\x00" * 1600).event())
        assert Error.from_event(await _ask(client, AudioStop().event())).code == "wyoming-speech-off"
        assert Transcript.from_event(await client.read_event()).text == ""
        error = Error.from_event(await _ask(client, AudioStop().event()))  # no audio-start before this one
        assert error.code == "wyoming-audio-unexpected"
        assert Transcript.from_event(await client.read_event()).text == ""


async def test_a_reply_is_spoken_in_the_tone_its_turn_chose_unless_a_tone_is_asked(endpoint):
    port, service = endpoint
    async with AsyncTcpClient("127.0.0.1", port) as client:
        text = Handled.from_event(await _ask(client, Transcript(text="My dog died this morning.").event())).text
    await service.finish()
    chosen = service.tone_for(text, None)
    assert chosen == "comforting"  # the strategy's tone for grief, kept by the reply's text
    assert service.tone_for(f"  {text}\n", None) == chosen  # as Home Assistant may pass it back, re-spaced
    assert service.tone_for(text, "playful") == "playful"
    assert service.tone_for("Something she never said.", None) == "neutral"


async def test_a_failed_turn_is_an_error_then_not_handled_and_the_next_turn_works(endpoint, scripted_chat):
    from wyoming.handle import NotHandled

    port, service = endpoint
    scripted_chat.fail_after = 0  # the model's server is down for this turn
    async with AsyncTcpClient("127.0.0.1", port) as client:
        error = Error.from_event(await _ask(client, Transcript(text="Are you there?").event()))
        assert error.code == "llm-unreachable"
        assert NotHandled.from_event(await client.read_event()).context == {"code": "llm-unreachable"}
        await service.finish()
        scripted_chat.fail_after = None
        assert Handled.is_type((await _ask(client, Transcript(text="And now?").event())).type)
