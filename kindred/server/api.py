"""REST under /api/: sign-in, history, memories, feedback, export. Every read names its user."""
from __future__ import annotations

import asyncio
import json
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import bounded_json
from ..bounded_json import bounded_id
from ..errors import KindredError, StoreError
from ..models import micro_batch
from .accounts import rate_key
from .errors import AccountError, MemoryNotFoundError, MemoryUnavailableError, RateLimitedError, error_body
from .openapi import openapi_spec
from .security import SESSION_COOKIE
from .state import state_of, token_of

MAX_BODY_BYTES = 64 * 1024
HISTORY_LIMIT = 500
VOICE_REASON = "Voice needs the speech module (speech-to-text and text-to-speech), which is not installed yet."
CAMERA_REASON = "Reading facial expression needs the camera module, which is not installed yet."
MEMORY_EDIT_REASON = ("Editing and forgetting needs the long-term memory, which this server runs without; "
                      "this list is read-only.")
MEMORY_KINDS = ("fact", "emotion", "open", "summary")  # what was kept, shown before the raw turns
MAX_MEMORY_TEXT = 2000
# Which replica answered: behind a load balancer, the one thing a health probe cannot otherwise tell.
# Random per process, so it names no host and no PID to whoever asks.
REPLICA = secrets.token_hex(6)


async def health(request: Request) -> JSONResponse:
    """Ready: this replica can answer a turn, its store taking writes; 503 otherwise (take it out of rotation)."""
    state = state_of(request)
    chat = state.companion.chat
    problem = await asyncio.to_thread(state.db.write_problem)
    body: dict[str, object] = {"status": "ok" if problem is None else "not-ready", "alive": True,
                               "ready": problem is None, "backend": chat.backend, "model": chat.model,
                               "replica": REPLICA, "turns": state.gate.figures(), "encoders": micro_batch.figures()}
    if problem is not None:
        body["problem"] = {"code": problem.code, "message": "The store does not take writes.",
                           "hint": "Check that KINDRED_HOME is writable and its disk has room; `kindred doctor`."}
    return JSONResponse(body, status_code=200 if problem is None else 503)


async def alive(request: Request) -> JSONResponse:
    """Alive: the process answers. A full disk is not cured by a restart, so liveness does not look at it."""
    return JSONResponse({"status": "ok", "alive": True, "replica": REPLICA})


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
            "memory_edit": {"available": _book(state) is not None,
                            "reason": "" if _book(state) is not None else MEMORY_EDIT_REASON},
        },
    })


async def create_account(request: Request) -> JSONResponse:
    state = state_of(request)
    if not state.options.signup_open:
        raise AccountError("New accounts cannot be made from this page.",
                           "Ask the owner to run `kindred serve --add-account NAME`.", code="signup-closed")
    body = await json_body(request)
    name = await asyncio.to_thread(state.accounts.create, body.get("name", ""), body.get("password", ""),
                                   reserved=state.companion.settings.user)
    return _signed_in(request, name, status=201)


async def login(request: Request) -> JSONResponse:
    state = state_of(request)
    if not state.options.auth_required:
        return JSONResponse({"user": state.companion.settings.user, "token": None})
    body = await json_body(request)
    wait = state.rates.sign_in_allowed(rate_key(body.get("name", "")))
    if wait:  # counted before the password is checked: a right guess must not skip the queue
        raise RateLimitedError(wait)
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
    ratings = await state.db.database.call(state.feedback.ratings, user)  # on the engine's thread, off the loop
    return JSONResponse({"turns": [_turn_json(t, ratings) for t in turns]})


async def memories(request: Request) -> JSONResponse:
    """What Kindred keeps about the user: facts, feelings, open threads and summaries first, then their own words.

    ``?turns=0`` leaves the raw turns out. Without the long-term memory: their own words, read-only.
    """
    state = state_of(request)
    user = state.require_user(request)
    limit = _int_param(request, "limit", 100, HISTORY_LIMIT)
    book = _book(state)
    if book is None:
        turns = await state.companion.store.recent_turns(user, limit=limit)
        items = [{"id": t.id, "text": t.text, "when": t.created_at, "kind": "said"}
                 for t in reversed(turns) if t.role == "user"]
        return JSONResponse({"items": items, "can_edit": False, "note": MEMORY_EDIT_REASON})
    kept = []
    for kind in MEMORY_KINDS:
        kept += await book.list(user, kind=kind, limit=limit)
    kept.sort(key=lambda m: (m.happened_at, m.id), reverse=True)
    items = [_memory_json(m) for m in kept[:limit]]
    if request.query_params.get("turns", "1") not in ("0", "false", "no"):
        turns = await book.list(user, kind="turn", limit=limit * 2)
        items += [_memory_json(m) for m in turns if m.topic == "user"][:max(0, limit - len(items))]
    return JSONResponse({"items": items, "can_edit": True, "note": ""})


async def edit_memory(request: Request) -> JSONResponse:
    """The user corrects one of their memories: {"text": ...}. The old text stays in its history."""
    state = state_of(request)
    user = state.require_user(request)
    book = _require_book(state)
    memory_id = _memory_id(request)
    body = await json_body(request)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise AccountError("The memory needs some text.", 'Send {"text": "..."}; to remove it, forget it instead.',
                           code="memory-text-invalid")
    if len(text) > MAX_MEMORY_TEXT:
        raise AccountError("The memory text is too long.", f"Keep it under {MAX_MEMORY_TEXT} characters.",
                           code="memory-text-invalid")
    if await book.get(user, memory_id) is None:
        raise _not_found(memory_id)
    memory = await book.edit(user, memory_id, " ".join(text.split()))
    return JSONResponse({"item": _memory_json(memory)})


async def forget_memory(request: Request) -> JSONResponse:
    """Forget one memory for real: its row, vector, keyword entry and history."""
    state = state_of(request)
    user = state.require_user(request)
    book = _require_book(state)
    memory_id = _memory_id(request)
    if await book.forget(user, [memory_id]) == 0:
        raise _not_found(memory_id)
    return JSONResponse({"forgotten": memory_id})


def _book(state):
    memory = getattr(state.companion, "memory", None)
    return memory.book if memory is not None else None


def _require_book(state):
    book = _book(state)
    if book is None:
        raise MemoryUnavailableError(MEMORY_EDIT_REASON, "Start Kindred with its long-term memory to edit or forget.")
    return book


def _memory_id(request: Request) -> int:
    memory_id = bounded_id(request.path_params.get("memory_id", ""))
    if memory_id is None:  # also one too wide for the id column, which the store could not even look up
        raise AccountError("That is not a memory id.", "GET /api/memories lists the ids.", code="memory-id-invalid")
    return memory_id


def _not_found(memory_id: int) -> MemoryNotFoundError:
    return MemoryNotFoundError(f"There is no memory {memory_id} of yours.", "GET /api/memories lists your memories.")


def _memory_json(memory) -> dict:
    return {"id": memory.id, "kind": memory.kind, "topic": memory.topic, "text": memory.text,
            "when": memory.happened_at, "event_date": memory.event_date, "status": memory.status,
            "updated_at": memory.updated_at}


async def feedback(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    body = await json_body(request)
    # The rating, the preferences it teaches and the suggestion it rewards: statements run off the loop.
    await state.db.database.call(state.feedback.rate, user, str(body.get("turn_id", "")), body.get("rating"))
    return JSONResponse({"turn_id": body.get("turn_id"), "rating": body.get("rating")})


async def export(request: Request) -> Response:
    state = state_of(request)
    user = state.require_user(request)
    turns = await state.companion.store.recent_turns(user, limit=10**9)
    ratings = await state.db.database.call(state.feedback.ratings, user)  # on the engine's thread, off the loop
    data = {"user": user, "turns": [_turn_json(t, ratings) for t in turns]}
    return Response(json.dumps(data, ensure_ascii=False, indent=1), media_type="application/json",
                    headers={"content-disposition": 'attachment; filename="kindred-export.json"'})


async def json_body(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise AccountError("The request is too large.", "Send less than 64 KiB.", code="body-too-large")
    data = bounded_json.loads(raw or b"{}")  # too deep, too large a number, a lone surrogate: a coded 400
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
    retry = getattr(exc, "retry_after_s", None)
    return JSONResponse(error_body(status, exc.code, exc.message, exc.hint), status_code=status,
                        headers={"retry-after": str(retry)} if retry else None)


EXCEPTION_HANDLERS = {KindredError: kindred_error}

ROUTES = [
    Route("/api/openapi.json", openapi),
    Route("/api/session", session),
    Route("/api/accounts", create_account, methods=["POST"]),
    Route("/api/login", login, methods=["POST"]),
    Route("/api/logout", logout, methods=["POST"]),
    Route("/api/history", history),
    Route("/api/memories", memories),
    Route("/api/memories/{memory_id}", edit_memory, methods=["PATCH"]),
    Route("/api/memories/{memory_id}", forget_memory, methods=["DELETE"]),
    Route("/api/feedback", feedback, methods=["POST"]),
    Route("/api/export", export),
]

__all__ = ["EXCEPTION_HANDLERS", "ROUTES", "alive", "health"]
