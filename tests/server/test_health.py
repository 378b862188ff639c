"""`/health`: ready (the store takes writes) apart from alive, nothing about the host; and requests whose
headers or body never finish are dropped on a deadline instead of holding a connection."""
from __future__ import annotations

import os
import socket
import time

import pytest

from kindred.server import ServerOptions, create_app
from kindred.server.runner import BackgroundServer
from kindred.server.security import Limits

from .conftest import FAST_HASHER, TEST_HOSTS


def test_health_is_not_ready_while_the_store_takes_no_writes_but_stays_alive(client, companion):
    ready = client.get("/health")
    assert ready.status_code == 200 and ready.json()["ready"] is True and ready.json()["alive"] is True
    # What a read-only home does to SQLite: reads work, every write fails ("attempt to write a readonly database").
    companion.store.database.write("PRAGMA query_only = ON")
    try:
        refused = client.get("/health")
        assert refused.status_code == 503
        body = refused.json()
        assert body["ready"] is False and body["alive"] is True and body["status"] == "not-ready"
        assert body["problem"]["code"] and body["problem"]["hint"]
        assert client.get("/health/live").status_code == 200  # a restart would not make the disk writable
    finally:
        companion.store.database.write("PRAGMA query_only = OFF")
    assert client.get("/health").json()["ready"] is True


def test_health_says_nothing_about_the_host(client):
    text = client.get("/health").text + client.get("/health/live").text
    assert socket.gethostname() not in text and f":{os.getpid()}" not in text
    assert client.get("/health").json()["replica"] == client.get("/health/live").json()["replica"]


@pytest.fixture
def raw_server(companion):
    options = ServerOptions(allowed_hosts=TEST_HOSTS, limits=Limits(body_timeout_s=1.0))
    app = create_app(companion, options, password_hasher=FAST_HASHER)
    with BackgroundServer(app, header_timeout_s=1.0) as url:
        yield int(url.rsplit(":", 1)[1])


def _connect(port: int) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", port), timeout=5)
    conn.settimeout(5)
    return conn


def test_headers_trickled_in_are_cut_off_at_the_deadline(raw_server):
    conn = _connect(raw_server)
    started = time.monotonic()
    conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    try:
        for _ in range(20):  # one header byte every 0.2 s: each used to reset nothing, and nothing ended it
            conn.sendall(b"X")
            time.sleep(0.2)
    except OSError:
        pass  # closed under us: that is the point
    try:
        assert conn.recv(1024) == b""  # closed without an answer: nothing complete was asked
    except ConnectionResetError:
        pass  # closed, and our last bytes made the kernel answer with a reset
    assert time.monotonic() - started < 5.0  # a 1 s deadline, with room for a busy machine
    conn.close()


def test_a_body_that_never_finishes_gets_a_coded_408(raw_server):
    conn = _connect(raw_server)
    conn.sendall(b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100\r\n\r\n{\"name\":")
    started = time.monotonic()
    answer = b""
    while b'"body-timeout"' not in answer and time.monotonic() - started < 10.0:
        piece = conn.recv(4096)  # the headers and the body may come in separate packets
        if not piece:
            break
        answer += piece
    assert answer.startswith(b"HTTP/1.1 408") and b'"body-timeout"' in answer
    assert time.monotonic() - started < 5.0  # a 1 s deadline, with room for a busy machine
    conn.close()


def test_a_complete_request_on_the_same_server_is_answered(raw_server):
    conn = _connect(raw_server)
    conn.sendall(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert conn.recv(4096).startswith(b"HTTP/1.1 200")
    conn.close()
