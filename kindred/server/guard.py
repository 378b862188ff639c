"""ASGI middleware: Host and Origin checks, and the security headers of every response."""
from __future__ import annotations

import json

from .errors import error_body
from .security import ServerOptions

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SECURITY_HEADERS = [
    (b"content-security-policy",
     (b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"connect-src 'self'; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(self), microphone=(self), geolocation=()"),
]


class GuardMiddleware:
    def __init__(self, app, options: ServerOptions) -> None:
        self.app = app
        self.options = options

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        refusal = None
        if not self.options.host_allowed(host):
            refusal = ("host-refused", f"This server does not answer to the name '{host}'.",
                       "Start it with --allow-host NAME for each name it is reached by.")
        elif _needs_origin_check(scope) and not self.options.origin_allowed(headers.get("origin"), host):
            refusal = ("origin-refused", "Requests from another site's page are refused.",
                       "Open Kindred from its own address, or start it with --allow-origin URL.")
        if refusal is not None:
            if scope["type"] == "websocket":
                await receive()  # the websocket.connect message
            await _refuse(scope, send, *refusal)
            return
        await self.app(scope, receive, _with_security_headers(send) if scope["type"] == "http" else send)


def _needs_origin_check(scope) -> bool:
    return scope["type"] == "websocket" or scope.get("method", "GET") not in SAFE_METHODS


def _with_security_headers(send):
    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            message = dict(message)
            message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
        await send(message)
    return sending


async def _refuse(scope, send, code: str, message: str, hint: str) -> None:
    if scope["type"] == "websocket":
        # Before accepting: the handshake is answered with HTTP 403.
        await send({"type": "websocket.close", "code": 1008, "reason": code})
        return
    body = json.dumps(error_body(403, code, message, hint)).encode("utf-8")
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})
