"""Rate and size limits: per address and per account, answered with 429 + Retry-After or 413.

Token buckets: each key (an address, an account) may spend ``burst`` requests at once and gets
them back at ``per_minute`` a minute. Sign-in has its own, much smaller buckets per address and
per account name (``sign_in_allowed``, asked by the handler once it has read the name), so passwords
cannot be guessed at the speed of the server nor from many addresses at once; sign-up has a bucket
of its own per address, so making accounts cannot use up anyone's sign-ins. Conversation turns on
the WebSocket are counted per account (``turn_allowed``), since one socket can ask for many.
Buckets live in memory: a restart forgets them, which only ever errs towards letting someone in.
"""
from __future__ import annotations

import asyncio
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from .errors import error_body
from .security import Limits

SIGN_IN_PATH = "/api/login"
SIGN_UP_PATH = "/api/accounts"
OPENAI_PREFIX = "/v1/"  # the OpenAI-compatible endpoint: an API key names the account, bodies may be larger
MAX_TRACKED_KEYS = 10_000  # the oldest idle buckets go first; a flood of addresses cannot grow memory


class Buckets:
    """Token buckets by key; ``take`` returns 0 when allowed, else the seconds until it would be."""

    def __init__(self, per_minute: int, *, burst: int | None = None, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(1, per_minute // 4))
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > MAX_TRACKED_KEYS:
                self._buckets.popitem(last=False)
        return wait


class RateLimits:
    """The buckets of one server."""

    def __init__(self, limits: Limits | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits = limits or Limits()
        self.by_address = Buckets(limits.requests_per_minute_per_address, clock=clock)
        self.by_account = Buckets(limits.requests_per_minute_per_account, clock=clock)
        self.sign_ins = Buckets(limits.sign_ins_per_minute_per_address, burst=limits.sign_ins_per_minute_per_address,
                                clock=clock)
        self.sign_ins_by_account = Buckets(limits.sign_ins_per_minute_per_account,
                                           burst=limits.sign_ins_per_minute_per_account, clock=clock)
        self.sign_ups = Buckets(limits.sign_ups_per_minute_per_address, burst=limits.sign_ups_per_minute_per_address,
                                clock=clock)
        self.turns = Buckets(limits.turns_per_minute_per_account, clock=clock)

    def turn_allowed(self, user: str) -> float:
        return self.turns.take(user)

    def sign_in_allowed(self, name: str) -> float:
        """One guess at the account ``name``, whichever address it comes from."""
        return self.sign_ins_by_account.take(name)


class LimitsMiddleware:
    """Before any handler: the body size, then the address's bucket, then the account's."""

    def __init__(self, app, rate_limits: RateLimits) -> None:
        self.app = app
        self.rates = rate_limits

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown", 0))[0]
        wait = self.rates.by_address.take(address)
        if not wait and scope["type"] == "http" and scope.get("method") == "POST":
            if scope["path"] == SIGN_IN_PATH:
                wait = self.rates.sign_ins.take(address)
            elif scope["path"] == SIGN_UP_PATH:
                wait = self.rates.sign_ups.take(address)
        if not wait:
            # Finding the account is a database read: done on a worker thread, never on the event loop, and
            # kept in the scope, where the handlers' user_of / api_user_of find it again without a read.
            user = await asyncio.to_thread(_signed_in_user, scope)
            wait = self.rates.by_account.take(user) if user else 0.0
        if wait:
            await _too_many(scope, receive, send, wait)
            return
        if scope["type"] == "http":
            most = self.rates.limits.max_body_bytes
            if scope["path"].startswith(OPENAI_PREFIX):  # clients send the whole conversation each time
                most = self.rates.limits.max_openai_body_bytes
            try:  # a body trickled in a byte at a time would hold the connection and this task forever
                async with asyncio.timeout(self.rates.limits.body_timeout_s):
                    body = None if _declared_length(scope) > most else await _bounded_body(receive, most)
            except TimeoutError:
                await _respond(send, 408, "body-timeout", "The request's body did not arrive in time.",
                               f"Send the whole body within {self.rates.limits.body_timeout_s:g} s.",
                               [(b"connection", b"close")])
                return
            if body is None:
                await _respond(send, 413, "body-too-large", "The request is too large.",
                               f"Send less than {most // 1024} KiB.")
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)


def _signed_in_user(scope) -> str | None:
    """The account a request speaks for (its token), or None; the handlers check it again."""
    from starlette.requests import HTTPConnection

    app = scope.get("app")
    state = getattr(getattr(app, "state", None), "kindred", None)
    from .state import API_USER_KEY, USER_KEY

    if state is None or not state.options.auth_required:
        return None
    if scope.get("path", "").startswith(OPENAI_PREFIX):
        scope[API_USER_KEY] = user = state.api_user_of(HTTPConnection(scope))
    else:
        scope[USER_KEY] = user = state.user_of(HTTPConnection(scope))
    return user


def _declared_length(scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


async def _bounded_body(receive, most: int) -> bytes | None:
    """The whole body, or None as soon as it passes ``most`` bytes, whatever length was declared."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > most:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def replaying():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes
    return replaying


async def _too_many(scope, receive, send, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    if scope["type"] == "websocket":
        await receive()  # the websocket.connect message; closing before accepting answers HTTP 403
        await send({"type": "websocket.close", "code": 1013, "reason": "rate-limited"})
        return
    await _respond(send, 429, "rate-limited", "Too many requests; please slow down.",
                   f"Try again in {seconds} s.", [(b"retry-after", str(seconds).encode())])


async def _respond(send, status: int, code: str, message: str, hint: str, extra: list | None = None) -> None:
    body = json.dumps(error_body(status, code, message, hint)).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(extra or [])]})  # the guard outside adds the security headers
    await send({"type": "http.response.body", "body": body})
