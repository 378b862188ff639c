"""The WebSocket of one conversation: the page says something, the turn's events stream back.

Client → server: ``{"type": "say", "text": "...", "new_session": false}`` and
``{"type": "cancel"}``. Server → client: ``{"event": "ready", "user": ...}``, then
for each turn its events as ``event.to_dict()`` and ``{"event": "done", "turn_id"}``.
A socket is bound to the user who opened it; it never carries anyone else's turns.
"""
from __future__ import annotations

import asyncio
import json
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect

from ..errors import KindredError
from .state import state_of

MAX_MESSAGE_CHARS = 200_000
UNAUTHORISED = 4401
log = logging.getLogger("kindred.server")


async def conversation_socket(websocket: WebSocket) -> None:
    state = state_of(websocket)
    user = state.user_of(websocket)
    if user is None:
        await websocket.close(code=UNAUTHORISED, reason="auth-required")
        return
    await websocket.accept()
    await websocket.send_json({"event": "ready", "user": user})
    running: asyncio.Task | None = None
    try:
        while True:
            message = await _receive(websocket)
            if message is None:
                continue
            kind = message.get("type")
            if kind == "cancel":
                if running is not None and not running.done():
                    running.cancel()
                continue
            if kind != "say":
                await _send_error(websocket, "message-unknown", f"Unknown message type {kind!r}.",
                                  "Send {\"type\": \"say\", \"text\": \"...\"} or {\"type\": \"cancel\"}.")
                continue
            if running is not None and not running.done():
                await _send_error(websocket, "turn-busy", "Still answering the last message.",
                                  "Wait for the reply, or send {\"type\": \"cancel\"} first.")
                continue
            running = asyncio.create_task(_run_turn(websocket, state.companion, user, message))
    except WebSocketDisconnect:
        pass
    finally:
        if running is not None and not running.done():
            running.cancel()  # the turn stores what was said so far, marked interrupted
            await asyncio.gather(running, return_exceptions=True)


async def _receive(websocket: WebSocket) -> dict | None:
    raw = await websocket.receive_text()
    if len(raw) > MAX_MESSAGE_CHARS:
        await _send_error(websocket, "message-too-large", "That message is too long to send at once.",
                          f"Send under {MAX_MESSAGE_CHARS} characters.")
        return None
    try:
        message = json.loads(raw)
    except json.JSONDecodeError:
        message = None
    if not isinstance(message, dict):
        await _send_error(websocket, "message-invalid", "Messages are JSON objects.",
                          "Send {\"type\": \"say\", \"text\": \"...\"}.")
        return None
    return message


async def _run_turn(websocket: WebSocket, companion, user: str, message: dict) -> None:
    turn_id = ""
    try:
        text = message.get("text", "")
        async for event in companion.turn(text if isinstance(text, str) else "", user=user,
                                          new_session=bool(message.get("new_session"))):
            turn_id = event.turn_id
            await websocket.send_text(event.to_json())
    except KindredError as exc:
        await _send_error(websocket, exc.code, exc.message, exc.hint, turn_id)
    except asyncio.CancelledError:
        await _send_quietly(websocket, {"event": "cancelled", "turn_id": turn_id})
        raise
    except Exception:  # a bug must not kill the socket silently
        log.exception("turn failed")
        await _send_error(websocket, "turn-crashed", "Something went wrong while answering.",
                          "Try again; the server log has the details.", turn_id)
    await _send_quietly(websocket, {"event": "done", "turn_id": turn_id})


async def _send_error(websocket: WebSocket, code: str, message: str, hint: str, turn_id: str = "") -> None:
    await _send_quietly(websocket, {"event": "error", "turn_id": turn_id, "stage": "server", "code": code,
                                    "message": message, "hint": hint})


async def _send_quietly(websocket: WebSocket, data: dict) -> None:
    try:
        await websocket.send_text(json.dumps(data, ensure_ascii=False))
    except (WebSocketDisconnect, RuntimeError):
        pass
