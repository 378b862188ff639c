"""Stateless replicas: real `kindred serve` processes over one database and one LLM server.

A replica killed mid-reply loses nothing the user needs: the client reconnects to another
replica with the same token and carries on in the same conversation.
"""
from __future__ import annotations

import json
import os
import signal
import time
from contextlib import contextmanager

import httpx
import pytest

from kindred.server.accounts import AccountBook
from kindred.server.db import ServerDatabase
from kindred.server.process import ServerProcess

from ..conftest import requires_llm_server
from .conftest import FAST_HASHER, PASSWORD

pytestmark = [pytest.mark.slow, requires_llm_server]
# Rules-only memory extraction: each turn is one LLM call, so the tiny server is not queued behind extraction.
REPLICA_ENV = {"KINDRED_MEMORY_EXTRACTION": "rules", "KINDRED_MAX_REPLY_TOKENS": "12", "KINDRED_TEMPERATURE": "0"}


def token_for(settings, name: str) -> str:
    db = ServerDatabase(settings.database_path)
    try:
        accounts = AccountBook(db, FAST_HASHER)
        accounts.create(name, PASSWORD, linked=True)
        return accounts.issue_token(name)
    finally:
        db.close()


def replica(settings, llm_server, **kwargs) -> ServerProcess:
    return ServerProcess(settings.home, llm_url=llm_server.url, llm_model=llm_server.model, env=REPLICA_ENV,
                         **kwargs)


@contextmanager
def conversation(url: str, token: str):
    from websockets.sync.client import connect

    with connect(url.replace("http", "ws", 1) + "/api/conversation",
                 additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=10) as socket:
        assert json.loads(socket.recv(timeout=10))["event"] == "ready"
        yield socket


def turn(socket, text: str, on_first_token=None) -> list[dict]:
    socket.send(json.dumps({"type": "say", "text": text}))
    events = []
    while True:
        event = json.loads(socket.recv(timeout=120))
        events.append(event)
        if event["event"] == "token" and on_first_token is not None:
            on_first_token()
            on_first_token = None
        if event["event"] == "done":
            return events


def heard(events: list[dict]) -> dict:
    return next(e for e in events if e["event"] == "heard")


def test_a_killed_replica_loses_nothing_and_another_continues_the_conversation(settings, llm_server):
    from websockets.exceptions import ConnectionClosed

    token = token_for(settings, "mina")
    with replica(settings, llm_server) as first, replica(settings, llm_server) as second:
        assert first.health()["replica"] != second.health()["replica"]
        with conversation(first.url, token) as socket:
            opening = turn(socket, "My cat is called Miso.")
            session = heard(opening)["session_id"]
            assert any(e["event"] == "reply" for e in opening)
            with pytest.raises(ConnectionClosed):  # the replica dies while it streams the reply
                turn(socket, "What should Miso and I do today?", on_first_token=first.kill)

        with conversation(second.url, token) as socket:  # the same token works on any replica
            again = turn(socket, "What should Miso and I do today?")
        assert heard(again)["session_id"] == session  # the same conversation, not a new one
        assert any(e["event"] == "reply" and e["text"] for e in again)

        history = httpx.get(second.url + "/api/history", headers={"authorization": f"Bearer {token}"}).json()
        said = [(t["role"], t["text"]) for t in history["turns"] if t["role"] == "user"]
        assert said == [("user", "My cat is called Miso."), ("user", "What should Miso and I do today?"),
                        ("user", "What should Miso and I do today?")]
        assert {t["session_id"] for t in history["turns"]} == {session}


def test_serve_workers_keeps_serving_when_one_worker_dies(settings, llm_server):
    token = token_for(settings, "joon")
    with replica(settings, llm_server, workers=2) as server:
        # The health answer names no PID any more (a random replica id), so the workers are found as
        # the server's processes: uvicorn's supervisor, its workers below it.
        workers = _descendants(server.process.pid)
        assert len(workers) >= 2, workers
        os.kill(workers[-1], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while server.health() is None or _alive(workers[-1]):
            assert time.monotonic() < deadline, "no worker answered after one was killed"
            time.sleep(0.2)
        with conversation(server.url, token) as socket:
            events = turn(socket, "Hello there")
        assert any(e["event"] == "reply" and e["text"] for e in events)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc), oldest first."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = sorted(p for p, parent in parents.items() if parent in frontier)
        found += children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie is dead, only not yet reaped
