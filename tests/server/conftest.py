"""A server over a Companion with the scripted chat double; clients that speak as the page would."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from kindred.server import ServerOptions, create_app
from kindred.turn import Companion

from ..conftest import ScriptedChat

TEST_HOSTS = ("testserver", "127.0.0.1", "localhost", "::1")
PAGE_ORIGIN = "http://testserver"
PASSWORD = "a quiet evening"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # real argon2id, cheap settings


@pytest.fixture
def companion(settings, store):
    return Companion(settings=settings, chat=ScriptedChat(("Hello", " there", ".")), store=store)


@pytest.fixture
def make_client(companion):
    def make(*, speech=None, face_reader=None, **option_changes) -> TestClient:
        options = ServerOptions(allowed_hosts=TEST_HOSTS, **option_changes)
        app = create_app(companion, options, password_hasher=FAST_HASHER, speech=speech, face_reader=face_reader)
        return TestClient(app, headers={"origin": PAGE_ORIGIN})
    return make


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


def sign_up(client: TestClient, name: str, password: str = PASSWORD) -> str:
    response = client.post("/api/accounts", json={"name": name, "password": password})
    assert response.status_code == 201, response.text
    return response.json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def refused_code(client: TestClient, **headers: str) -> int:
    """The close code when opening the conversation socket is refused (fails the test if it opens)."""
    try:
        with client.websocket_connect("/api/conversation", headers=headers) as socket:
            socket.receive_json()
    except WebSocketDisconnect as refused:
        return refused.code
    raise AssertionError("the socket was opened")


def say(socket, text: str) -> list[dict]:
    socket.send_json({"type": "say", "text": text})
    events = []
    while True:
        event = socket.receive_json()
        events.append(event)
        if event["event"] in ("done", "cancelled"):
            return events
