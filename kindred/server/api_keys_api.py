"""The page's API keys section: list, make and revoke the signed-in account's keys (``api_keys.py``).

A new key is in the answer to the POST that made it and nowhere else, ever; the list shows ids,
labels and when each key was last used.
"""
from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .api import json_body
from .errors import ApiKeyError, ApiKeyNotFoundError
from .state import ServerState, state_of


def _book(state: ServerState):
    if state.keys is None:
        raise ApiKeyError("This server has no API keys.", "Start it with `kindred serve`.", code="api-keys-unavailable")
    return state.keys


async def list_keys(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    keys = await asyncio.to_thread(_book(state).listed, user)
    return JSONResponse({"keys": [k.as_json() for k in keys]})


async def create_key(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    body = await json_body(request)
    label = body.get("label", "")
    record, key = await asyncio.to_thread(_book(state).create, user, label if isinstance(label, str) else "")
    return JSONResponse({"key": key, **record.as_json()}, status_code=201)


async def revoke_key(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    key_id = str(request.path_params.get("key_id", ""))[:64]
    revoked = await asyncio.to_thread(_book(state).revoke, key_id, user=user)
    if revoked is None:  # another account's key is answered exactly like one that never was
        raise ApiKeyNotFoundError(f"You have no API key {key_id}.", "GET /api/keys lists yours.")
    return JSONResponse({"revoked": revoked.id})


ROUTES = [
    Route("/api/keys", list_keys),
    Route("/api/keys", create_key, methods=["POST"]),
    Route("/api/keys/{key_id}", revoke_key, methods=["DELETE"]),
]
