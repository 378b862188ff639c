"""Rate and size limits against the real app: 429 with Retry-After and a coded error, 413 for big bodies,
per address and per account, and turns on the WebSocket counted per account."""
from __future__ import annotations

from kindred.server.limits import Buckets
from kindred.server.security import Limits

from .conftest import PASSWORD, bearer, refused_code, say, sign_up


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_buckets_allow_a_burst_then_refill_at_the_rate():
    clock = Clock()
    buckets = Buckets(60, burst=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == 1.0  # one a second: the next one in a second
    assert buckets.take("b") == 0  # another key has its own bucket
    clock.now += 1.0
    assert buckets.take("a") == 0


def test_sign_in_attempts_per_address_get_429_with_retry_after(make_client):
    client = make_client(limits=Limits(sign_ins_per_minute_per_address=3))
    sign_up(client, "mina")
    statuses = [client.post("/api/login", json={"name": "mina", "password": "wrong guess"}).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]  # the sign-up before them has a bucket of its own
    refused = client.post("/api/login", json={"name": "mina", "password": PASSWORD})
    assert refused.status_code == 429, "a right password does not skip the queue"
    assert int(refused.headers["retry-after"]) >= 1
    error = refused.json()["error"]
    assert error["code"] == "rate-limited" and "Try again" in error["hint"]
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_sign_in_guesses_at_one_account_are_limited_whichever_address_they_come_from(companion):
    """Three addresses used to get ten guesses each at one account a minute."""
    from starlette.testclient import TestClient

    from kindred.server import ServerOptions, create_app

    from .conftest import FAST_HASHER, PAGE_ORIGIN, TEST_HOSTS

    app = create_app(companion, ServerOptions(allowed_hosts=TEST_HOSTS), password_hasher=FAST_HASHER)
    clients = [TestClient(app, headers={"origin": PAGE_ORIGIN}, client=(f"127.0.0.{n}", 50000)) for n in (2, 3, 4)]
    sign_up(clients[0], "mina")
    statuses = [c.post("/api/login", json={"name": name, "password": "wrong guess"}).status_code
                for c in clients for name in ("mina", " mina", "mina", "mina")]
    assert statuses.count(401) == Limits().sign_ins_per_minute_per_account and statuses.count(429) == 6
    refused = clients[2].post("/api/login", json={"name": "mina", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["code"] == "rate-limited"
    sign_up(clients[1], "bob")  # another account still signs in from the same addresses
    assert clients[2].post("/api/login", json={"name": "bob", "password": PASSWORD}).status_code == 200


def test_sign_ups_have_their_own_bucket_and_cannot_lock_anyone_out_of_signing_in(make_client):
    client = make_client(limits=Limits(sign_ins_per_minute_per_address=3, sign_ups_per_minute_per_address=2))
    assert [client.post("/api/accounts", json={"name": f"user{n}", "password": PASSWORD}).status_code
            for n in range(3)] == [201, 201, 429]
    assert client.post("/api/login", json={"name": "user0", "password": PASSWORD}).status_code == 200


def test_requests_per_account_are_limited_across_tokens(make_client):
    client = make_client(limits=Limits(requests_per_minute_per_account=8))
    token = sign_up(client, "mina")
    second = client.post("/api/login", json={"name": "mina", "password": PASSWORD}).json()["token"]
    codes = [client.get("/api/history", headers=bearer(t)).status_code for t in [token, second] * 4]
    assert codes.count(429) >= 1 and codes[0] == 200
    other = make_client(limits=Limits(requests_per_minute_per_account=8))  # its own app, its own buckets
    assert other.get("/health").status_code == 200


def test_requests_per_address_are_limited_even_without_an_account(make_client):
    client = make_client(limits=Limits(requests_per_minute_per_address=4))
    codes = [client.get("/health").status_code for _ in range(3)]
    assert codes[0] == 200 and 429 in codes


def test_a_body_over_the_limit_is_refused_with_413_before_any_handler(make_client):
    client = make_client()
    token = sign_up(client, "mina")
    big = "x" * (64 * 1024 + 1)
    response = client.post("/api/feedback", content=big, headers={**bearer(token), "content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "body-too-large"

    def chunks():  # no content-length: counted as it arrives
        for _ in range(20):
            yield b"y" * 8192
    streamed = client.post("/api/feedback", content=chunks(), headers=bearer(token))
    assert streamed.status_code == 413


def test_websocket_turns_are_limited_per_account_with_a_coded_event(make_client):
    client = make_client(limits=Limits(turns_per_minute_per_account=4))
    sign_up(client, "mina")
    with client.websocket_connect("/api/conversation") as socket:
        socket.receive_json()
        for _ in range(1):  # burst is a quarter of the minute's budget: one turn, then a wait
            assert say(socket, "hello")[-1]["event"] == "done"
        socket.send_json({"type": "say", "text": "one more"})
        refused = socket.receive_json()
    assert refused["event"] == "error" and refused["code"] == "rate-limited" and refused["retry_after_s"] >= 1


def test_websocket_handshakes_count_against_the_address(make_client):
    client = make_client(limits=Limits(requests_per_minute_per_address=8))
    sign_up(client, "mina")  # one request of the burst of two
    with client.websocket_connect("/api/conversation") as socket:
        assert socket.receive_json()["event"] == "ready"
    assert refused_code(client) == 1013  # "try again later", before the socket is accepted


def test_the_account_of_a_request_is_looked_up_once_and_off_the_event_loop(make_client):
    """A sign-in lookup is a database read: it must not stall every other person's stream (issue #20)."""
    import asyncio

    client = make_client()
    token = sign_up(client, "mina")
    accounts = client.app.state.kindred.accounts
    looked_up, on_loop = [], []
    real = accounts.user_for_token

    def recording(given):
        looked_up.append(given)
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:  # a worker thread has no running loop
            on_loop.append(False)
        return real(given)

    accounts.user_for_token = recording
    response = client.get("/api/history", headers=bearer(token))
    assert response.status_code == 200
    assert looked_up == [token] and on_loop == [False]  # the handler used the middleware's answer
    assert client.get("/api/history", headers=bearer("not-a-token")).status_code == 401
