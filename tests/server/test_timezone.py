"""The page reports the browser's time zone; the server keeps it per account, and check-ins follow it."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kindred.localtime.person import set_person_zone
from kindred.recommend import list_checkins

from .conftest import bearer, say, sign_up

pytestmark = pytest.mark.both_engines


def test_the_browser_zone_is_stored_for_that_account_only(make_client):
    alice_client, bob_client = make_client(), make_client()
    alice, bob = sign_up(alice_client, "alice"), sign_up(bob_client, "bob")
    reported = alice_client.post("/api/timezone", json={"timezone": "Asia/Seoul"}, headers=bearer(alice))
    assert reported.status_code == 200 and reported.json() == {"timezone": "Asia/Seoul", "set_by": "browser"}
    assert alice_client.get("/api/checkins", headers=bearer(alice)).json()["timezone"] == "Asia/Seoul"
    assert bob_client.get("/api/checkins", headers=bearer(bob)).json()["timezone"] != "Asia/Seoul"
    # Another account's name in the body changes nothing: the user comes from the token.
    bob_client.post("/api/timezone", json={"timezone": "Europe/London", "user": "alice"}, headers=bearer(bob))
    assert alice_client.get("/api/checkins", headers=bearer(alice)).json()["timezone"] == "Asia/Seoul"


@pytest.mark.parametrize("body, code", [({"timezone": "Asia/Seol"}, "timezone-unknown"),
                                        ({"timezone": 9}, "timezone-invalid"), ({}, "timezone-invalid"),
                                        ({"timezone": "x" * 200}, "timezone-invalid")])
def test_a_zone_that_cannot_be_used_is_a_coded_400(client, body, code):
    token = sign_up(client, "alice")
    refused = client.post("/api/timezone", json=body, headers=bearer(token))
    assert refused.status_code == 400 and refused.json()["error"]["code"] == code
    assert refused.json()["error"]["hint"]


def test_the_zone_needs_a_signed_in_person(client):
    assert client.post("/api/timezone", json={"timezone": "Asia/Seoul"}).status_code == 401


def test_a_zone_the_person_chose_is_kept_when_the_browser_reports_another(client, settings):
    token = sign_up(client, "alice")
    set_person_zone(settings.database_location, "alice", "Asia/Seoul")  # kindred checkins tz Asia/Seoul
    kept = client.post("/api/timezone", json={"timezone": "America/New_York"}, headers=bearer(token)).json()
    assert kept == {"timezone": "Asia/Seoul", "set_by": "person"}


def test_a_check_in_planned_on_the_page_is_on_the_browsers_clock(client, settings):
    token = sign_up(client, "alice")
    client.post("/api/timezone", json={"timezone": "Asia/Seoul"}, headers=bearer(token))
    companion = client.app.state.kindred.companion
    companion.store.clock = lambda: datetime(2026, 1, 7, 23, 0, tzinfo=UTC)  # Thursday 08:00 in Seoul
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()
        say(socket, "I have an exam tomorrow")
    [checkin] = list_checkins(settings.database_location, "alice")
    assert checkin.due_at == datetime(2026, 1, 10, 1, 0, tzinfo=UTC)  # Saturday 10:00 in Seoul
