"""REST under /api/: sign-in, history, memories, feedback, export. Every read names its user."""
from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import KindredError, StoreError
from .errors import AccountError
from .openapi import openapi_spec
from .security import SESSION_COOKIE
from .state import state_of, token_of

MAX_BODY_BYTES = 64 * 1024
HISTORY_LIMIT = 500
VOICE_REASON = "Voice needs the speech module (speech-to-text and text-to-speech), which is not installed yet."
CAMERA_REASON = "Reading facial expression needs the camera module, which is not installed yet."
MEMORY_EDIT_REASON = "Editing and forgetting memories will come with the memory module; for now this list is read-only."


async def health(request: Request) -> JSONResponse:
    chat = state_of(request).companion.chat
    return JSONResponse({"status": "ok", "backend": chat.backend, "model": chat.model})


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(openapi_spec())


async def session(request: Request) -> JSONResponse:
    state = state_of(request)
    options = state.options
    return JSONResponse({
        "user": state.user_of(request),
        "auth_required": options.auth_required,
        "signup_open": options.signup_open,
        "capabilities": {
            "voice": {"available": options.voice_available, "reason": "" if options.voice_available else VOICE_REASON},
            "camera": {"available": options.camera_available,
                       "reason": "" if options.camera_available else CAMERA_REASON},
            "memory_edit": {"available": False, "reason": MEMORY_EDIT_REASON},
        },
    })


async def create_account(request: Request) -> JSONResponse:
    state = state_of(request)
    if not state.options.signup_open:
        raise AccountError("New accounts cannot be made from this page.",
                           "Ask the owner to run `kindred serve --add-account NAME`.", code="signup-closed")
    body = await json_body(request)
    name = await asyncio.to_thread(state.accounts.create, body.get("name", ""), body.get("password", ""))
    return _signed_in(request, name, status=201)


async def login(request: Request) -> JSONResponse:
    state = state_of(request)
    if not state.options.auth_required:
        return JSONResponse({"user": state.companion.settings.user, "token": None})
    body = await json_body(request)
    name = await asyncio.to_thread(state.accounts.authenticate, body.get("name", ""), body.get("password", ""))
    return _signed_in(request, name)


async def logout(request: Request) -> JSONResponse:
    token = token_of(request)
    if token:
        state_of(request).accounts.revoke(token)
    response = JSONResponse({"user": None})
    response.delete_cookie(SESSION_COOKIE, path="/", samesite="strict", httponly=True)
    return response


async def history(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    limit = _int_param(request, "limit", 100, HISTORY_LIMIT)
    turns = await state.companion.store.recent_turns(user, limit=limit)
    ratings = state.feedback.ratings(user)
    return JSONResponse({"turns": [_turn_json(t, ratings) for t in turns]})


async def memories(request: Request) -> JSONResponse:
    """What Kindred keeps about the user: for now, their own words, newest first."""
    state = state_of(request)
    user = state.require_user(request)
    turns = await state.companion.store.recent_turns(user, limit=_int_param(request, "limit", 100, HISTORY_LIMIT))
    items = [{"id": t.id, "text": t.text, "when": t.created_at, "kind": "said"}
             for t in reversed(turns) if t.role == "user"]
    return JSONResponse({"items": items, "can_edit": False, "note": MEMORY_EDIT_REASON})


async def feedback(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    body = await json_body(request)
    state.feedback.rate(user, str(body.get("turn_id", "")), body.get("rating"))
    return JSONResponse({"turn_id": body.get("turn_id"), "rating": body.get("rating")})


async def export(request: Request) -> Response:
    state = state_of(request)
    user = state.require_user(request)
    turns = await state.companion.store.recent_turns(user, limit=10**9)
    ratings = state.feedback.ratings(user)
    data = {"user": user, "turns": [_turn_json(t, ratings) for t in turns]}
    return Response(json.dumps(data, ensure_ascii=False, indent=1), media_type="application/json",
                    headers={"content-disposition": 'attachment; filename="kindred-export.json"'})


async def json_body(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise AccountError("The request is too large.", "Send less than 64 KiB.", code="body-too-large")
    try:
        data = json.loads(raw or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AccountError("The request is not valid JSON.", "Send a JSON object.", code="body-invalid") from exc
    if not isinstance(data, dict):
        raise AccountError("The request must be a JSON object.", "Send a JSON object.", code="body-invalid")
    return data


def _signed_in(request: Request, name: str, status: int = 200) -> JSONResponse:
    state = state_of(request)
    token = state.accounts.issue_token(name)
    response = JSONResponse({"user": name, "token": token}, status_code=status)
    response.set_cookie(SESSION_COOKIE, token, max_age=30 * 24 * 3600, path="/", httponly=True,
                        samesite="strict", secure=state.options.secure_cookie)
    return response


def _int_param(request: Request, name: str, default: int, most: int) -> int:
    try:
        return max(1, min(most, int(request.query_params.get(name, default))))
    except ValueError:
        return default


def _turn_json(turn, ratings: dict[str, str]) -> dict:
    return {"turn_id": turn.turn_id, "role": turn.role, "text": turn.text, "language": turn.language,
            "status": turn.status, "created_at": turn.created_at, "session_id": turn.session_id,
            "rating": ratings.get(turn.turn_id) if turn.role == "assistant" else None}


async def kindred_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KindredError)
    status = getattr(exc, "status", 500 if isinstance(exc, StoreError) else 400)
    return JSONResponse({"error": {"code": exc.code, "message": exc.message, "hint": exc.hint}}, status_code=status)


EXCEPTION_HANDLERS = {KindredError: kindred_error}

ROUTES = [
    Route("/api/openapi.json", openapi),
    Route("/api/session", session),
    Route("/api/accounts", create_account, methods=["POST"]),
    Route("/api/login", login, methods=["POST"]),
    Route("/api/logout", logout, methods=["POST"]),
    Route("/api/history", history),
    Route("/api/memories", memories),
    Route("/api/feedback", feedback, methods=["POST"]),
    Route("/api/export", export),
]

__all__ = ["EXCEPTION_HANDLERS", "ROUTES", "health"]
