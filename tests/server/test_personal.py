"""What I've learned about you (editable, per user) and check-ins delivered on the open page."""
from __future__ import annotations

from datetime import timedelta

import pytest

from kindred.recommend import list_checkins

from .conftest import bearer, say, sign_up

pytestmark = pytest.mark.both_engines


@pytest.fixture
def pair(make_client):
    alice_client, bob_client = make_client(), make_client()
    return alice_client, bob_client, sign_up(alice_client, "alice"), sign_up(bob_client, "bob")


def test_learned_preferences_are_listed_edited_and_forgotten(pair):
    alice_client, _, alice, _ = pair
    empty = alice_client.get("/api/learned", headers=bearer(alice)).json()
    assert empty["lines"] == [] and "short" in empty["choices"]["reply_length"]
    edited = alice_client.post("/api/learned", json={"field": "reply_length", "value": "short"},
                               headers=bearer(alice)).json()
    assert edited["preferences"]["reply_length"] == "short"
    assert any("short replies" in line for line in edited["lines"])
    alice_client.post("/api/learned", json={"field": "never_call", "value": "+buddy"}, headers=bearer(alice))
    listed = alice_client.get("/api/learned", headers=bearer(alice)).json()
    assert listed["preferences"]["never_call"] == ["buddy"]
    removed = alice_client.post("/api/learned", json={"field": "never_call", "value": "-buddy"},
                                headers=bearer(alice)).json()
    assert removed["preferences"]["never_call"] == []
    bad = alice_client.post("/api/learned", json={"field": "reply_length", "value": "endless"}, headers=bearer(alice))
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "preference-invalid"
    forgotten = alice_client.delete("/api/learned", headers=bearer(alice)).json()
    assert forgotten["lines"] == [] and forgotten["preferences"]["reply_length"] == "normal"


def test_b_cannot_read_or_edit_what_was_learned_about_a(pair):
    alice_client, bob_client, alice, bob = pair
    alice_client.post("/api/learned", json={"field": "address_as", "value": "Captain"}, headers=bearer(alice))
    assert "Captain" not in bob_client.get("/api/learned", headers=bearer(bob)).text
    assert "Captain" not in bob_client.get("/api/learned?user=alice", headers=bearer(bob)).text
    bob_client.delete("/api/learned", headers=bearer(bob))
    bob_client.post("/api/learned", json={"field": "address_as", "value": "Bobby", "user": "alice"},
                    headers=bearer(bob))
    mine = alice_client.get("/api/learned", headers=bearer(alice)).json()
    assert mine["preferences"]["address_as"] == "Captain"
    assert bob_client.get("/api/learned", headers=bearer(bob)).json()["preferences"]["address_as"] == "Bobby"
    assert bob_client.get("/api/learned", headers={"authorization": "Bearer nope"}).status_code == 401


def _interview(client, token, settings) -> object:
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()
        say(socket, "I have a job interview on Friday and I'm nervous")
    pending = list_checkins(settings.database_location, "alice")
    assert len(pending) == 1, pending
    return pending[0]


def test_checkins_are_opt_in_listed_and_cancelled_per_user(pair, settings):
    alice_client, bob_client, alice, bob = pair
    checkin = _interview(alice_client, alice, settings)
    listed = alice_client.get("/api/checkins", headers=bearer(alice)).json()
    assert listed["enabled"] is False and [i["id"] for i in listed["items"]] == [checkin.id]
    assert bob_client.get("/api/checkins", headers=bearer(bob)).json()["items"] == []
    refused = bob_client.delete(f"/api/checkins/{checkin.id}", headers=bearer(bob))
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "checkin-missing"
    on = alice_client.post("/api/checkins/settings", json={"enabled": True}, headers=bearer(alice)).json()
    assert on["enabled"] is True
    assert bob_client.get("/api/checkins", headers=bearer(bob)).json()["enabled"] is False
    cancelled = alice_client.delete(f"/api/checkins/{checkin.id}", headers=bearer(alice)).json()
    assert cancelled["items"] == []


def _quiet_hours_off(settings, user):
    from datetime import time

    from kindred.recommend import configure_checkins

    configure_checkins(settings.database_location, user, enabled=True, quiet=(time(0, 0), time(0, 0)))


def test_a_due_checkin_arrives_on_connect_only_for_its_user(pair, settings):
    alice_client, bob_client, alice, bob = pair
    checkin = _interview(alice_client, alice, settings)
    for client in (alice_client, bob_client):
        client.app.state.kindred.clock = lambda: checkin.due_at + timedelta(hours=1)
    _quiet_hours_off(settings, "bob")
    with bob_client.websocket_connect("/api/conversation", headers=bearer(bob)) as socket:
        socket.receive_json()
        events = say(socket, "hello")
    assert all(e["event"] != "checkin" for e in events)
    with alice_client.websocket_connect("/api/conversation", headers=bearer(alice)) as socket:
        socket.receive_json()
        events = say(socket, "hello")  # not opted in yet: nothing arrives
    assert all(e["event"] != "checkin" for e in events)
    _quiet_hours_off(settings, "alice")
    with alice_client.websocket_connect("/api/conversation", headers=bearer(alice)) as socket:
        socket.receive_json()
        arrived = socket.receive_json()
    assert arrived["event"] == "checkin" and arrived["id"] == checkin.id
    assert "interview" in arrived["message"]
    assert list_checkins(settings.database_location, "alice") == []  # delivered once, not again


def test_checkins_are_looked_for_periodically_while_open(make_client, settings):
    client = make_client(checkin_interval_s=0.05)
    token = sign_up(client, "alice")
    checkin = _interview(client, token, settings)
    later = [checkin.due_at - timedelta(hours=1)]
    client.app.state.kindred.clock = lambda: later[0]
    _quiet_hours_off(settings, "alice")
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()
        later[0] = checkin.due_at + timedelta(minutes=5)  # time passes while the page is open
        arrived = socket.receive_json()
    assert arrived["event"] == "checkin" and arrived["id"] == checkin.id
