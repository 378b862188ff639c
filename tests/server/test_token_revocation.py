"""A revoked token ends every socket it opened within a second: sign-out, a password change.

A real server on loopback (uvicorn in a thread), a real WebSocket client and real HTTP requests:
a socket that outlived its sign-out kept taking turns, each with memory text in its events."""
from __future__ import annotations

import json
import time
from contextlib import ExitStack, contextmanager

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from kindred.server import ServerOptions, create_app
from kindred.server.runner import BackgroundServer

from .conftest import FAST_HASHER, PASSWORD, TEST_HOSTS

REVOKED = 4401


@pytest.fixture
def server(companion):
    app = create_app(companion, ServerOptions(allowed_hosts=TEST_HOSTS), password_hasher=FAST_HASHER)
    with BackgroundServer(app) as url:
        yield url, app.state.kindred.accounts


def _sign_up(url: str, name: str) -> str:
    response = httpx.post(url + "/api/accounts", json={"name": name, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response.json()["token"]


@contextmanager
def _open(url: str, token: str):
    with connect(url.replace("http", "ws", 1) + "/api/conversation", origin=url,
                 additional_headers={"authorization": f"Bearer {token}"}) as socket:
        assert json.loads(socket.recv(timeout=10))["event"] == "ready"
        yield socket


def _closed_within(socket, seconds: float) -> int:
    """The close code, failing if the socket is still open after ``seconds``."""
    deadline = time.monotonic() + seconds
    try:
        while True:
            socket.recv(timeout=max(0.01, deadline - time.monotonic()))  # events of a turn may still arrive
    except TimeoutError:
        pytest.fail(f"the socket was still open {seconds} s after its token was revoked")
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else -1


def test_signing_out_closes_the_socket_that_token_opened_within_a_second(server):
    url, _ = server
    token = _sign_up(url, "mina")
    with _open(url, token) as socket:
        socket.send(json.dumps({"type": "say", "text": "my bank PIN hint is the cat's birthday"}))
        assert httpx.post(url + "/api/logout", headers={"authorization": f"Bearer {token}"}).status_code == 200
        assert _closed_within(socket, 1.0) == REVOKED


def test_a_password_change_closes_every_socket_of_the_account_and_no_one_elses(server):
    url, accounts = server
    first = _sign_up(url, "mina")
    second = httpx.post(url + "/api/login", json={"name": "mina", "password": PASSWORD}).json()["token"]
    with ExitStack() as sockets:
        other = sockets.enter_context(_open(url, _sign_up(url, "bob")))
        minas = [sockets.enter_context(_open(url, token)) for token in (first, second)]
        accounts.set_password("mina", "a brand new password")
        for socket in minas:
            assert _closed_within(socket, 1.0) == REVOKED
        other.send(json.dumps({"type": "say", "text": "still here?"}))
        assert json.loads(other.recv(timeout=10))["event"]  # bob's socket is untouched and answers
