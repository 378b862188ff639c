"""Host and Origin checks, security headers, and the refusal to listen beyond loopback without accounts."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from kindred.server import ServerOptions, create_app, options_for_bind
from kindred.server.errors import UnsafeBindError

from .conftest import TEST_HOSTS, bearer, refused_code, sign_up


def test_websocket_from_another_site_is_refused(client):
    token = sign_up(client, "mina")
    assert refused_code(client, origin="http://evil.example", **bearer(token)) == 1008


def test_websocket_from_the_page_itself_is_accepted(client):
    sign_up(client, "mina")
    with client.websocket_connect("/api/conversation", headers={"origin": "http://testserver"}) as socket:
        assert socket.receive_json()["event"] == "ready"


def test_cross_site_post_is_refused_but_reads_of_public_pages_are_not(client):
    response = client.post("/api/login", json={"name": "a", "password": "b" * 8},
                           headers={"origin": "http://evil.example"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "origin-refused"
    assert client.get("/health", headers={"origin": "http://evil.example"}).status_code == 200


def test_unknown_host_header_is_refused_against_dns_rebinding(companion):
    client = TestClient(create_app(companion, ServerOptions()), base_url="http://rebound.example")
    response = client.get("/health")
    assert response.status_code == 403 and response.json()["error"]["code"] == "host-refused"


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200 and "<title>Kindred</title>" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    for asset in ("app.js", "app.css", "i18n.js", "net.js", "orb.js"):
        assert client.get(f"/static/{asset}").status_code == 200


def test_page_uses_no_outside_assets(client):
    import re

    html = client.get("/").text
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_openapi_lists_the_api(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/history" in spec["paths"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_non_loopback_without_accounts_refuses_to_start(host):
    with pytest.raises(UnsafeBindError) as info:
        options_for_bind(host, 8765, accounts=0)
    assert info.value.code == "bind-unsafe" and "--add-account" in info.value.hint
    with pytest.raises(UnsafeBindError):
        options_for_bind(host, 8765, accounts=3, no_auth=True)


def test_non_loopback_with_accounts_starts_with_signup_closed():
    options = options_for_bind("192.168.1.20", 8765, accounts=1)
    assert options.auth_required and not options.signup_open
    assert options.host_allowed("192.168.1.20:8765")


def test_loopback_defaults():
    options = options_for_bind("127.0.0.1", 8765, accounts=0)
    assert options.auth_required and options.signup_open
    assert options.host_allowed("localhost:8765") and options.host_allowed("[::1]:8765")
    assert not options.host_allowed("evil.example:8765")
    assert options_for_bind("127.0.0.1", 8765, accounts=0, no_auth=True).auth_required is False


def test_test_hosts_fixture_is_not_the_default():
    assert "testserver" not in ServerOptions().allowed_hosts and "testserver" in TEST_HOSTS
