"""Voice, camera and spoken commands over the conversation socket, with test engines in place of the models.

The real engines (Whisper, Kokoro, the face model) run in the browser suite; here the wire protocol,
the hand-off to ``Companion.turn`` and per-user isolation are checked quickly.
"""
from __future__ import annotations

import base64

import numpy as np
import pytest

from kindred.perception.face import FaceBox, FaceReading
from kindred.voice.audio import Audio, read_wav
from kindred.voice.protocols import Transcript

from .conftest import bearer, say, sign_up


class FakeSpeech:
    """Hears whatever ``next_text`` says (silence is no speech); speaks 0.1 s of tone per phrase."""

    def __init__(self) -> None:
        self.next_text = "I had a rough day"
        self.spoken: list[tuple[str, str, str | None]] = []

    def has_speech(self, audio: Audio) -> bool:
        return bool(np.abs(audio.to_float()).max() > 0.05)

    def transcribe(self, audio: Audio) -> Transcript:
        return Transcript(self.next_text, "en", 1.0, 0.0, "fake", 0.0)

    def synthesize(self, text: str, language: str, tone: str | None) -> Audio:
        self.spoken.append((text, language, tone))
        return Audio.from_float(0.2 * np.sin(np.arange(2400) / 5.0), 24000)


class FakeFaces:
    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def read(self, jpeg: bytes) -> FaceReading:
        self.frames.append(jpeg)
        return FaceReading((("happy", 0.9), ("neutral", 0.1)), 0.8, 0.6, 0.85, FaceBox(10, 10, 120, 120), 1,
                           (320, 240), "fake")


@pytest.fixture
def engines():
    return FakeSpeech(), FakeFaces()


@pytest.fixture
def voice_client(make_client, engines):
    speech, faces = engines
    client = make_client(voice_available=True, camera_available=True, speech=speech, face_reader=faces)
    return client, sign_up(client, "alice")


def _speech_pcm(seconds: float = 1.0) -> bytes:
    t = np.arange(int(16000 * seconds)) / 16000
    return Audio.from_float(0.3 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2, 16000).pcm


def _speak_into(socket, pcm: bytes, **start) -> list[dict]:
    socket.send_json({"type": "audio_start", **start})
    for index in range(0, len(pcm), 3200):  # 100 ms frames, as the page's worklet sends them
        socket.send_bytes(pcm[index:index + 3200])
    socket.send_json({"type": "audio_end"})
    events = []
    while True:
        event = socket.receive_json()
        events.append(event)
        if event["event"] in ("done", "no-speech", "error") or (event["event"] == "audio_done"
                                                                 and any(e["event"] == "command" for e in events)):
            return events


def test_a_spoken_turn_is_heard_answered_and_spoken_back_in_the_chosen_tone(voice_client, engines, companion):
    client, token = voice_client
    seen: dict = {}
    real_turn = companion.turn

    def spy(text, **kwargs):
        seen.update(kwargs, text=text)
        return real_turn(text, **kwargs)
    companion.turn = spy
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        assert socket.receive_json()["voice"] is True
        events = _speak_into(socket, _speech_pcm())
    kinds = [e["event"] for e in events]
    assert kinds[0] == "transcript" and events[0]["text"] == "I had a rough day"
    assert seen["source"] == "voice" and seen["voice"] is not None and 0 <= seen["voice"].arousal <= 1
    heard = next(e for e in events if e["event"] == "heard")
    assert heard["source"] == "voice"
    chose = next(e for e in events if e["event"] == "chose")
    audio = [e for e in events if e["event"] == "audio"]
    assert audio and kinds.index("audio_done") < kinds.index("done")
    clip = read_wav(base64.b64decode(audio[0]["wav"]))
    assert clip.sample_rate == 24000 and clip.duration_s > 0.05
    assert {tone for _, _, tone in engines[0].spoken} == {chose["tone"]}


def test_silence_takes_no_turn(voice_client):
    client, token = voice_client
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()
        events = _speak_into(socket, bytes(32000))
    assert [e["event"] for e in events] == ["no-speech"]
    assert client.get("/api/history", headers=bearer(token)).json()["turns"] == []


def test_voice_is_refused_with_a_reason_when_the_extra_is_missing(client):
    token = sign_up(client, "alice")
    assert client.get("/api/session").json()["capabilities"]["voice"]["available"] is False
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        assert socket.receive_json()["voice"] is False
        socket.send_json({"type": "audio_start"})
        error = socket.receive_json()
    assert error["event"] == "error" and error["code"] == "voice-unavailable"


def test_spoken_commands_confirm_aloud(voice_client, engines):
    client, token = voice_client
    speech = engines[0]
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()
        say(socket, "hello")
        for text, action in [("Read that again, please.", "repeat"), ("Switch to large text", "large_text"),
                             ("멈춰", "stop"), ("what can I say?", "help")]:
            speech.next_text = text
            events = _speak_into(socket, _speech_pcm())
            command = next(e for e in events if e["event"] == "command")
            assert command["action"] == action and command["say"], text
            assert any(e["event"] == "audio" for e in events), text
            assert not any(e["event"] == "heard" for e in events), "a command is not a conversation turn"
        assert command["say"].startswith("You can say")
    repeat_speech = [t for t, _, _ in speech.spoken if "Hello there" in t]
    assert repeat_speech, speech.spoken


def test_forget_that_removes_the_last_thing_said(voice_client, engines):
    client, token = voice_client
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()
        say(socket, "my locker code is 4711")
        engines[0].next_text = "forget that"
        events = _speak_into(socket, _speech_pcm())
    command = next(e for e in events if e["event"] == "command")
    history = client.get("/api/history", headers=bearer(token)).text
    if command["done"]:
        assert "4711" not in history
    else:  # the memory book is not there: say so, keep everything
        assert "can't forget" in command["say"] and "4711" in history


def test_camera_frames_are_read_in_memory_and_passed_to_the_next_turn(voice_client, engines, companion, settings):
    client, token = voice_client
    seen: dict = {}
    real_turn = companion.turn

    def spy(text, **kwargs):
        seen.update(kwargs)
        return real_turn(text, **kwargs)
    companion.turn = spy
    jpeg = b"\xff\xd8\xff\xe0 not really a jpeg but the fake does not care \xff\xd9"
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        assert socket.receive_json()["camera"] is True
        socket.send_json({"type": "frame", "jpeg": base64.b64encode(jpeg).decode()})
        seen_event = socket.receive_json()
        assert seen_event == {"event": "seen", "turn_id": "", "found": True, "top": "happy", "confidence": 0.85}
        say(socket, "hello")
        assert seen["face"].top == "happy"
        socket.send_json({"type": "camera_off"})
        say(socket, "hello again")
        assert seen["face"] is None
    assert engines[1].frames == [jpeg]
    assert jpeg not in settings.database_path.read_bytes()


def test_a_bad_frame_is_skipped_and_the_camera_can_be_off(make_client):
    off = make_client()
    token = sign_up(off, "alice")
    with off.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()
        socket.send_json({"type": "frame", "jpeg": "aGVsbG8="})
        assert socket.receive_json()["code"] == "camera-unavailable"


def test_audio_of_one_socket_never_reaches_another_user(make_client, engines):
    speech, faces = engines
    alice_client = make_client(voice_available=True, speech=speech)
    bob_client = make_client(voice_available=True, speech=speech)
    alice, bob = sign_up(alice_client, "alice"), sign_up(bob_client, "bob")
    with alice_client.websocket_connect("/api/conversation", headers=bearer(alice)) as a_socket, \
            bob_client.websocket_connect("/api/conversation", headers=bearer(bob)) as b_socket:
        a_socket.receive_json()
        b_socket.receive_json()
        speech.next_text = "my secret is the blue door"
        a_events = _speak_into(a_socket, _speech_pcm())
        b_socket.send_json({"type": "say", "text": "anything new?"})
        b_events = []
        while not b_events or b_events[-1]["event"] != "done":
            b_events.append(b_socket.receive_json())
    assert any(e["event"] == "audio" for e in a_events)
    assert all(e["event"] != "audio" and "blue door" not in str(e) for e in b_events)
    assert "blue door" not in bob_client.get("/api/history", headers=bearer(bob)).text
