"""Fault: the LLM server dies mid-reply. The user is told gracefully, the turn is stored as failed,
and once the server is back the same message goes through. Real processes and sockets throughout:
a llama-cpp-python server on loopback, Kindred's server on another port, a WebSocket client."""
from __future__ import annotations

import asyncio
import json

import pytest

from kindred.dialogue.openai_compat import OpenAICompatibleChat
from kindred.server import ServerOptions, create_app
from kindred.server.runner import BackgroundServer
from kindred.turn import Companion

from ..conftest import requires_llm_server

pytestmark = [pytest.mark.slow, requires_llm_server]
STORY = "Tell me a very long story about a lighthouse keeper and the sea."


def receive_until_done(socket, on_first_token=None) -> list[dict]:
    events = []
    while True:
        event = json.loads(socket.recv(timeout=60))
        events.append(event)
        if event["event"] == "token" and on_first_token is not None:
            on_first_token()
            on_first_token = None
        if event["event"] == "done":
            return events


def test_llm_server_killed_mid_stream_then_a_retry_works(llm_server, settings, store):
    from websockets.sync.client import connect

    settings = settings.with_overrides(max_reply_tokens=400, temperature=0.0)
    chat = OpenAICompatibleChat(llm_server.url, llm_server.model, retries=1)
    companion = Companion(settings=settings, chat=chat, store=store)
    app = create_app(companion, ServerOptions(auth_required=False, signup_open=False))
    with BackgroundServer(app) as url, connect(url.replace("http", "ws", 1) + "/api/conversation",
                                                origin=url) as socket:
        assert json.loads(socket.recv(timeout=10))["event"] == "ready"
        socket.send(json.dumps({"type": "say", "text": STORY}))
        events = receive_until_done(socket, on_first_token=llm_server.kill)

        kinds = [e["event"] for e in events]
        assert "token" in kinds and "reply" not in kinds
        failed = next(e for e in events if e["event"] == "error")
        assert failed["code"] == "llm-stream-broken"
        assert "cut off" in failed["message"] and "again" in failed["hint"]  # words for the person, with a next step

        turns = asyncio.run(store.recent_turns(settings.user, limit=10))
        assert [(t.role, t.status) for t in turns] == [("user", "ok"), ("assistant", "failed")]
        assert turns[0].turn_id == failed["turn_id"]

        llm_server.start()  # a supervisor brings it back on the same port
        companion.settings = settings.with_overrides(max_reply_tokens=12)  # the retry need not be long
        socket.send(json.dumps({"type": "say", "text": STORY}))
        retry = receive_until_done(socket)
        reply = next(e for e in retry if e["event"] == "reply")
        assert reply["text"] and not any(e["event"] == "error" for e in retry)
        turns = asyncio.run(store.recent_turns(settings.user, limit=10))
        assert [t.status for t in turns][-2:] == ["ok", "ok"]


def test_a_person_leaving_mid_reply_stops_the_generation_on_the_llm_server(llm_server, settings, store):
    import time

    from websockets.sync.client import connect

    settings = settings.with_overrides(max_reply_tokens=1500, temperature=0.0)
    chat = OpenAICompatibleChat(llm_server.url, llm_server.model)
    companion = Companion(settings=settings, chat=chat, store=store)
    app = create_app(companion, ServerOptions(auth_required=False, signup_open=False))
    with BackgroundServer(app) as url:
        with connect(url.replace("http", "ws", 1) + "/api/conversation", origin=url) as socket:
            assert json.loads(socket.recv(timeout=10))["event"] == "ready"
            socket.send(json.dumps({"type": "say", "text": STORY}))
            while json.loads(socket.recv(timeout=120))["event"] != "token":
                pass
        # The tab is closed: the socket goes, the turn is cancelled, its HTTP stream closed.
        deadline = time.monotonic() + 30
        while "Disconnected from client" not in llm_server.log_path.read_text(errors="replace"):
            assert time.monotonic() < deadline, "the LLM server kept generating for a person who left"
            time.sleep(0.2)
        while (turns := asyncio.run(store.recent_turns(settings.user, limit=10))) and len(turns) < 2:
            assert time.monotonic() < deadline, "the cut-short reply was not stored"
            time.sleep(0.1)
        assert [(t.role, t.status) for t in turns] == [("user", "ok"), ("assistant", "interrupted")]
