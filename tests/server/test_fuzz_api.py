"""Fuzzing the REST bodies and WebSocket messages of the real app: every answer is a 2xx or a 4xx with a
coded JSON error (never a 500, never a dead socket), and nothing stored for anyone is lost."""
from __future__ import annotations

import asyncio
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.server.security import Limits

from .conftest import PASSWORD, bearer, say, sign_up

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NO_RATE_LIMITS = Limits(requests_per_minute_per_address=10**6, requests_per_minute_per_account=10**6,
                        sign_ins_per_minute_per_address=10**6, turns_per_minute_per_account=10**6)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                 max_size=4), max_leaves=10)
FIELDS = st.sampled_from(["name", "password", "turn_id", "rating", "text", "type", "new_session", "speak",
                          "jpeg", "language"])
OBJECTS = st.dictionaries(FIELDS, JSON, max_size=5)
BODIES = st.one_of(st.binary(max_size=300), JSON.map(lambda v: json.dumps(v).encode()),
                   OBJECTS.map(lambda v: json.dumps(v).encode()))
ROUTES = st.sampled_from([("POST", "/api/accounts"), ("POST", "/api/login"), ("POST", "/api/feedback"),
                          ("POST", "/api/logout"), ("PATCH", "/api/memories/1"), ("DELETE", "/api/memories/1"),
                          ("PATCH", "/api/memories/-5"), ("PATCH", "/api/memories/abc"), ("GET", "/api/history")])


def _alice(client, companion):
    token = sign_up(client, "alice")
    with client.websocket_connect("/api/conversation") as socket:
        socket.receive_json()
        say(socket, "my secret is the blue door")
    return token


def _is_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _stored(companion, user):
    return [(t.role, t.text) for t in asyncio.run(companion.store.recent_turns(user, limit=1000))]


def test_rest_bodies(make_client, companion):
    client = make_client(limits=NO_RATE_LIMITS)
    _alice(client, companion)
    alice_before = _stored(companion, "alice")
    client.cookies.clear()
    bob = sign_up(client, "bob")
    client.cookies.clear()

    @FUZZ
    @given(ROUTES, BODIES, st.booleans(), st.text(max_size=12))
    def request(route, body, signed_in, query):
        method, path = route
        headers = {**(bearer(bob) if signed_in else {}), "content-type": "application/json"}
        response = client.request(method, path, content=body, headers=headers, params={"limit": query})
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert response.json()["error"]["code"]
        client.cookies.clear()  # a fuzzed sign-up must not sign the next example in
        assert _stored(companion, "alice") == alice_before

    request()
    assert client.post("/api/login", json={"name": "alice", "password": PASSWORD}).status_code == 200


def test_websocket_messages(make_client, companion):
    client = make_client(limits=NO_RATE_LIMITS)
    _alice(client, companion)
    alice_before = _stored(companion, "alice")
    client.cookies.clear()
    sign_up(client, "bob")
    messages = st.one_of(st.text(max_size=200), JSON.map(json.dumps),
                         st.fixed_dictionaries({"type": st.sampled_from(
                             ["say", "cancel", "audio_start", "audio_end", "audio_abort", "frame", "camera_off",
                              "speak", "repeat", "nonsense"])}, optional={k: JSON for k in
                                                                          ("text", "jpeg", "speak", "language")})
                         .map(json.dumps))

    @FUZZ
    @given(st.lists(st.one_of(messages, st.binary(max_size=64)), min_size=1, max_size=4))
    def conversation(sent):
        with client.websocket_connect("/api/conversation") as socket:
            assert socket.receive_json()["event"] == "ready"
            for message in sent:
                if isinstance(message, bytes):
                    socket.send_bytes(message)
                else:
                    socket.send_text(message)
            socket.send_text("{not json: the sentinel")  # answered with message-invalid, after all the others
            invalid_left = 1 + sum(not _is_object(m) for m in sent if isinstance(m, str))
            while invalid_left:
                event = socket.receive_json()
                assert event.get("code") != "turn-crashed", event
                if event["event"] == "error":
                    assert event["code"] and event["hint"]
                    invalid_left -= event["code"] == "message-invalid"
        assert _stored(companion, "alice") == alice_before

    conversation()
