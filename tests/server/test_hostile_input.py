"""Inputs that used to end in a bare 500 or a dead socket: each is a coded 4xx on REST, and on the
WebSocket an error event after which the same socket still answers."""
from __future__ import annotations

import pytest

from kindred.memory.embedder import HashEmbedder
from kindred.memory.long_term import open_long_term_memory
from kindred.turn import Companion

from ..conftest import ScriptedChat
from .conftest import bearer, say, sign_up

DEEP = "[" * 1000 + "]" * 1000
LONE_SURROGATE = '{"name": "zoe", "password": "\\ud800 is not a character"}'


@pytest.fixture
def companion(settings, store):  # overrides conftest's: memories can be edited, so their ids are looked up
    memory = open_long_term_memory(store, settings, embedder=HashEmbedder())
    return Companion(settings=settings, chat=ScriptedChat(("Hello", " there", ".")), store=store, memory=memory)


def _coded_4xx(response, code: str) -> None:
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["code"] == code and response.json()["error"]["hint"]


@pytest.mark.parametrize("memory_id", ["1" + "0" * 19, "9" * 40, "0", "-3", "१२"])
def test_a_memory_id_no_column_can_hold_is_a_coded_400(client, memory_id):
    token = sign_up(client, "mina")
    response = client.patch(f"/api/memories/{memory_id}", json={"text": "x"}, headers=bearer(token))
    _coded_4xx(response, "memory-id-invalid")
    _coded_4xx(client.delete(f"/api/memories/{memory_id}", headers=bearer(token)), "memory-id-invalid")


def test_a_check_in_id_no_column_can_hold_is_a_coded_400(client):
    token = sign_up(client, "mina")
    _coded_4xx(client.delete("/api/checkins/" + "9" * 20, headers=bearer(token)), "checkin-missing")


@pytest.mark.parametrize(("path", "body", "code"), [
    ("/api/learned", DEEP, "json-too-deep"),
    ("/api/feedback", '{"turn_id": ' + "[" * 5000 + "]" * 5000 + "}", "json-too-deep"),
    ("/api/accounts", LONE_SURROGATE, "text-invalid"),
    ("/api/feedback", '{"turn_id": "a", "rating": ' + "7" * 5000 + "}", "number-too-large"),
    ("/api/feedback", '{"turn_id": "a", "rating": NaN}', "json-invalid"),
])
def test_hostile_json_bodies_are_coded_400s(client, path, body, code):
    token = sign_up(client, "mina")
    response = client.post(path, content=body.encode(), headers={**bearer(token), "content-type": "application/json"})
    _coded_4xx(response, code)


def test_a_deeply_nested_or_broken_frame_is_an_error_event_and_the_socket_goes_on(client):
    sign_up(client, "mina")
    with client.websocket_connect("/api/conversation") as socket:
        assert socket.receive_json()["event"] == "ready"
        for frame, why in ((DEEP, "nested"), ('{"type": "say", "text": "\\udfff"}', "surrogate"),
                           ('{"type": "say", "text": "hi", "n": ' + "1" * 5000 + "}", "too large")):
            socket.send_text(frame)
            event = socket.receive_json()
            assert event["event"] == "error" and event["code"] == "message-invalid" and event["hint"], event
            assert why in event["message"]
        assert say(socket, "still there?")[-1]["event"] == "done"  # the same socket still takes turns
