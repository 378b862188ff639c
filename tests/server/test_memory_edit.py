"""The memory panel's REST: list, edit and forget the user's long-term memories, never another user's."""
from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from kindred.memory.book import NewMemory
from kindred.memory.embedder import HashEmbedder
from kindred.memory.long_term import open_long_term_memory
from kindred.server import ServerOptions, create_app
from kindred.turn import Companion

from ..conftest import ScriptedChat
from .conftest import FAST_HASHER, PAGE_ORIGIN, TEST_HOSTS, bearer, say, sign_up

pytestmark = pytest.mark.both_engines


@pytest.fixture
def companion(settings, store):  # overrides conftest's: this server has the long-term memory
    memory = open_long_term_memory(store, settings, embedder=HashEmbedder())
    return Companion(settings=settings, chat=ScriptedChat(("Hello", " there", ".")), store=store, memory=memory)


@pytest.fixture
def two_users(make_client, companion):
    alice_client, bob_client = make_client(), make_client()
    alice, bob = sign_up(alice_client, "alice"), sign_up(bob_client, "bob")
    book = companion.memory.book
    [fact] = asyncio.run(book.add("alice", [NewMemory("fact", "my sister lives in Busan", "2026-01-02T10:00:00+00:00",
                                                       topic="sister's home", value="Busan")]))
    return alice_client, bob_client, alice, bob, fact


def _texts(client, token) -> list[str]:
    return [item["text"] for item in client.get("/api/memories", headers=bearer(token)).json()["items"]]


def test_memories_are_listed_with_can_edit_and_kept_ones_first(two_users):
    alice_client, _, alice, _, fact = two_users
    with alice_client.websocket_connect("/api/conversation") as socket:
        socket.receive_json()
        say(socket, "my secret is the blue door")
    body = alice_client.get("/api/memories", headers=bearer(alice)).json()
    assert body["can_edit"] is True
    assert body["items"][0] == {**body["items"][0], "id": fact, "kind": "fact", "text": "my sister lives in Busan"}
    assert any(i["kind"] == "turn" and "blue door" in i["text"] for i in body["items"])
    assert all(i["kind"] != "turn" for i in alice_client.get("/api/memories?turns=0",
                                                             headers=bearer(alice)).json()["items"])
    session = alice_client.get("/api/session", headers=bearer(alice)).json()
    assert session["capabilities"]["memory_edit"] == {"available": True, "reason": ""}


def test_edit_keeps_the_old_text_in_history(two_users, companion):
    alice_client, _, alice, _, fact = two_users
    response = alice_client.patch(f"/api/memories/{fact}", json={"text": "my sister lives in Seoul"},
                                  headers=bearer(alice))
    assert response.status_code == 200, response.text
    assert response.json()["item"]["text"] == "my sister lives in Seoul"
    assert _texts(alice_client, alice) == ["my sister lives in Seoul"]
    history = asyncio.run(companion.memory.book.history("alice", fact))
    assert history[-1]["old_value"] == "my sister lives in Busan"


def test_forget_deletes_for_real(two_users, companion, store):
    alice_client, _, alice, _, fact = two_users
    assert alice_client.delete(f"/api/memories/{fact}", headers=bearer(alice)).json() == {"forgotten": fact}
    assert _texts(alice_client, alice) == []
    assert asyncio.run(companion.memory.book.get("alice", fact)) is None
    assert store.read("SELECT COUNT(*) FROM memory_vectors WHERE memory_id = ?", (fact,))[0][0] == 0
    again = alice_client.delete(f"/api/memories/{fact}", headers=bearer(alice))
    assert again.status_code == 404 and again.json()["error"]["code"] == "memory-not-found"


def test_b_can_never_read_edit_or_forget_a_memory_of_a(two_users, companion):
    alice_client, bob_client, alice, bob, fact = two_users
    assert _texts(bob_client, bob) == []
    assert "Busan" not in bob_client.get("/api/memories?user=alice", headers=bearer(bob)).text
    edited = bob_client.patch(f"/api/memories/{fact}", json={"text": "hacked"}, headers=bearer(bob))
    assert edited.status_code == 404 and edited.json()["error"]["code"] == "memory-not-found"
    forgotten = bob_client.delete(f"/api/memories/{fact}", headers=bearer(bob))
    assert forgotten.status_code == 404 and forgotten.json()["error"]["code"] == "memory-not-found"
    assert "Busan" not in edited.text + forgotten.text
    assert _texts(alice_client, alice) == ["my sister lives in Busan"]
    memory = asyncio.run(companion.memory.book.get("alice", fact))
    assert memory.text == "my sister lives in Busan"
    assert asyncio.run(companion.memory.book.history("alice", fact)) == []


def test_without_a_token_or_with_bad_input_nothing_changes(two_users, make_client):
    alice_client, _, alice, _, fact = two_users
    stranger = make_client()
    assert stranger.patch(f"/api/memories/{fact}", json={"text": "x"}).status_code == 401
    assert stranger.delete(f"/api/memories/{fact}").status_code == 401
    for path, body in ((f"/api/memories/{fact}", {"text": "   "}), (f"/api/memories/{fact}", {"text": 3}),
                       ("/api/memories/abc", {"text": "x"}), ("/api/memories/0", {"text": "x"})):
        response = alice_client.patch(path, json=body, headers=bearer(alice))
        assert response.status_code == 400, (path, response.text)
    assert alice_client.delete("/api/memories/abc", headers=bearer(alice)).status_code == 400
    assert _texts(alice_client, alice) == ["my sister lives in Busan"]


def test_openapi_describes_edit_and_forget(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"patch", "delete"} <= set(paths["/api/memories/{memory_id}"])


def test_without_long_term_memory_the_list_stays_read_only(settings, store):
    plain = Companion(settings=settings, chat=ScriptedChat(("Hi",)), store=store)
    app = create_app(plain, ServerOptions(allowed_hosts=TEST_HOSTS), password_hasher=FAST_HASHER)
    client = TestClient(app, headers={"origin": PAGE_ORIGIN})
    token = sign_up(client, "carol")
    body = client.get("/api/memories", headers=bearer(token)).json()
    assert body["can_edit"] is False and body["note"]
    assert client.get("/api/session", headers=bearer(token)).json()["capabilities"]["memory_edit"]["available"] is False
    refused = client.delete("/api/memories/1", headers=bearer(token))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "memory-unavailable"
