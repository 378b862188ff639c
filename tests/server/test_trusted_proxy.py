"""Behind a reverse proxy every request comes from the proxy's address: the per-address limits then
count people only when X-Forwarded-For is read, and it may be read only from a proxy configured as
trusted (anyone else could write any address into it and get a fresh budget with each request)."""
from __future__ import annotations

import httpx
import pytest

from kindred.errors import ConfigError
from kindred.server import ServerOptions, create_app, options_for_bind
from kindred.server.runner import BackgroundServer
from kindred.server.security import Limits

from .conftest import FAST_HASHER, TEST_HOSTS

ONE_A_MINUTE = Limits(requests_per_minute_per_address=1)  # one request, then the next a minute later


def statuses(url: str, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(timeout=10) as client:
        return [client.get(url + "/health/live", headers={"x-forwarded-for": address}).status_code
                for address in forwarded_for]


def serve(companion, **options):
    app = create_app(companion, ServerOptions(allowed_hosts=TEST_HOSTS, limits=ONE_A_MINUTE, **options),
                     password_hasher=FAST_HASHER)
    return BackgroundServer(app)


def test_without_a_trusted_proxy_the_header_is_ignored(companion):
    with serve(companion) as url:
        assert statuses(url, ["10.0.0.1", "10.0.0.2"]) == [200, 429]


def test_from_a_trusted_proxy_each_person_has_their_own_budget(companion):
    with serve(companion, trusted_proxies=("127.0.0.1/32",)) as url:
        assert statuses(url, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) == [200] * 3
        assert statuses(url, ["10.0.0.9"] * 2) == [200, 429]  # one person is still one person


def test_a_proxy_that_is_not_an_address_is_refused_with_a_fix():
    with pytest.raises(ConfigError) as refused:
        options_for_bind("127.0.0.1", 8765, accounts=0, trusted_proxies=("my-proxy",), voice_available=False,
                         camera_available=False)
    assert refused.value.code == "proxy-invalid" and "127.0.0.1" in refused.value.hint
    options = options_for_bind("127.0.0.1", 8765, accounts=0, trusted_proxies=("10.0.0.0/8", "127.0.0.1"),
                               voice_available=False, camera_available=False)
    assert options.trusted_proxies == ("10.0.0.0/8", "127.0.0.1/32")
