"""More turns than a replica's set capacity: the ones it can queue wait in order, the rest get a coded
retryable answer (server-busy, Retry-After), and clients that send again complete their turn.

The line itself is tested alone; then a real server (uvicorn on loopback) with room for one turn and
none waiting, a scripted slow model, the load bench's WebSocket client and the openai package."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from kindred.bench.load_users import TurnResult, take_turn
from kindred.server import ServerOptions, create_app
from kindred.server.admission import TurnGate
from kindred.server.errors import ServerBusyError
from kindred.server.runner import BackgroundServer
from kindred.server.security import Limits
from kindred.turn import Companion

from ..conftest import ScriptedChat
from .conftest import FAST_HASHER, PASSWORD, TEST_HOSTS, bearer


def test_turns_run_in_arrival_order_and_beyond_the_line_are_refused_with_a_wait():
    async def scenario() -> None:
        gate = TurnGate(running=1, waiting=1)
        order: list[str] = []
        release = asyncio.Event()

        async def turn(name: str) -> None:
            async with gate.admitted():
                order.append(name)
                await release.wait()

        first = asyncio.create_task(turn("first"))
        await asyncio.sleep(0)
        second = asyncio.create_task(turn("second"))
        await asyncio.sleep(0)
        assert (gate.running, gate.waiting, gate.full()) == (1, 1, True)
        with pytest.raises(ServerBusyError) as refused:
            async with gate.admitted():
                pass
        assert refused.value.status == 503 and refused.value.retry_after_s >= 1
        assert refused.value.code == "server-busy" and "again" in refused.value.hint
        release.set()
        await asyncio.gather(first, second)
        assert order == ["first", "second"] and (gate.running, gate.waiting) == (0, 0)
        assert gate.figures()["refused"] == 1

    asyncio.run(scenario())


def test_a_turn_cancelled_while_waiting_gives_up_its_place():
    async def scenario() -> None:
        gate = TurnGate(running=1, waiting=2)
        release = asyncio.Event()
        ran: list[str] = []

        async def turn(name: str) -> None:
            async with gate.admitted():
                ran.append(name)
                await release.wait()

        tasks = {name: asyncio.create_task(turn(name)) for name in ("running", "leaves", "stays")}
        await asyncio.sleep(0)
        tasks["leaves"].cancel()
        await asyncio.sleep(0)
        assert gate.waiting == 1
        release.set()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        assert ran == ["running", "stays"] and gate.running == 0

    asyncio.run(scenario())


class Recording:
    """A socket that keeps every event it received, for what the bench's client does not report."""

    def __init__(self, socket) -> None:
        self.socket, self.events = socket, []

    async def send(self, message: str) -> None:
        await self.socket.send(message)

    async def recv(self) -> str:
        raw = await self.socket.recv()
        self.events.append(json.loads(raw))
        return raw


async def _until_running(url: str) -> None:
    """Until the server's one place is taken (its /health says so), so the next turn finds it full."""
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(500):
            if (await client.get(url + "/health")).json()["turns"]["running"]:
                return
            await asyncio.sleep(0.01)
    raise AssertionError("the first turn never started")


def _account(url: str, name: str) -> str:
    made = httpx.post(url + "/api/accounts", json={"name": name, "password": PASSWORD}, timeout=10)
    assert made.status_code == 201, made.text
    return made.json()["token"]


@pytest.fixture
def one_turn_server(settings, store):
    """A server that answers one turn at a time and queues none; each reply takes about a second."""
    companion = Companion(settings=settings, chat=ScriptedChat(("Hello", " there", "."), delay_s=0.35), store=store)
    options = ServerOptions(allowed_hosts=TEST_HOSTS, limits=Limits(running_turns=1, waiting_turns=0))
    with BackgroundServer(create_app(companion, options, password_hasher=FAST_HASHER)) as url:
        yield url


def test_over_capacity_the_socket_says_when_to_retry_and_the_retried_turn_completes(one_turn_server, store):
    from websockets.asyncio.client import connect

    url = one_turn_server
    first, second = _account(url, "first"), _account(url, "second")

    def opened(token: str):
        return connect(url.replace("http", "ws", 1) + "/api/conversation",
                       additional_headers=bearer(token))

    async def scenario() -> tuple[TurnResult, TurnResult, list[dict]]:
        async with opened(first) as one, opened(second) as other:
            await one.recv(), await other.recv()  # ready
            ahead, behind = TurnResult(), TurnResult()
            recorded = Recording(other)
            running = asyncio.create_task(take_turn(one, "I had a long day at work today.", ahead))
            await _until_running(url)
            await take_turn(recorded, "My sister is visiting this weekend.", behind)
            await running
            return ahead, behind, recorded.events

    ahead, behind, events = asyncio.run(scenario())
    refusal = next(e for e in events if e["event"] == "error")
    assert refusal["code"] == "server-busy" and refusal["retry_after_s"] >= 1 and not refusal["turn_id"]
    assert ahead.ok and behind.ok and behind.retries >= 1 and not behind.lost
    turns = asyncio.run(store.recent_turns("second", limit=10))
    assert [t.role for t in turns] == ["user", "assistant"]  # the refused try stored nothing


def test_over_capacity_the_openai_endpoint_answers_503_and_the_openai_client_retries_to_a_reply(one_turn_server):
    import openai
    from websockets.asyncio.client import connect

    url = one_turn_server
    first, second = _account(url, "first"), _account(url, "second")
    made = httpx.post(url + "/api/keys", json={"label": "client"}, headers=bearer(second), timeout=10)
    key = made.json()["key"]
    body = {"model": "kindred", "messages": [{"role": "user", "content": "I finally finished the book."}]}

    async def scenario():
        async with connect(url.replace("http", "ws", 1) + "/api/conversation",
                           additional_headers=bearer(first)) as one:
            await one.recv()
            running = asyncio.create_task(take_turn(one, "I had a long day at work today.", TurnResult()))
            await _until_running(url)
            async with httpx.AsyncClient(timeout=10) as client:
                refused = await client.post(url + "/v1/chat/completions", json=body, headers=bearer(key))
            client = openai.OpenAI(base_url=url + "/v1", api_key=key, max_retries=5)
            completed = await asyncio.to_thread(client.chat.completions.create, **body)
            await running
            return refused, completed

    refused, completed = asyncio.run(scenario())
    assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["code"] == "server-busy"
    assert completed.choices[0].message.content
