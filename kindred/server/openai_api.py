"""An OpenAI-compatible endpoint: ``POST /v1/chat/completions`` (streamed or whole) and ``GET /v1/models``.

So Open WebUI, SillyTavern, LibreChat and anything that speaks the OpenAI API can talk to Kindred. The
newest user message is her turn, run by the same ``run_turn`` as the page's WebSocket (safety first, then
feelings, memory and strategy); the client's earlier messages are not stored again. The account comes
from an API key (``Authorization: Bearer kindred-…``, see ``api_keys.py``), the per-account turn limit
is the page's, and errors have the OpenAI shape with Kindred's codes (``errors.error_body``).
Set-up for the clients and the ``kindred`` extension field: docs/integrations.md.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..events import Event, Failed, Replied, RunStarted, Token
from ..turn import run_turn
from .errors import AuthError, RateLimitedError, error_body
from .openai_wire import DONE, TurnReading, chunk, completion, failed_status, models_list, parse_request, sse
from .state import ServerState, state_of

log = logging.getLogger("kindred.server")
STARTED = int(time.time())  # the model's "created": when this server began offering it


def api_user(state: ServerState, request: Request) -> str:
    user = state.api_user_of(request)
    if user is None:
        raise AuthError("This needs a Kindred API key.",
                        "Send 'Authorization: Bearer KEY' with a key from `kindred keys create --user NAME` "
                        "or the page's API keys section; a revoked key no longer works.", code="api-key-invalid")
    return user


async def models(request: Request) -> JSONResponse:
    api_user(state_of(request), request)
    return JSONResponse(models_list(STARTED))


async def chat_completions(request: Request) -> Response:
    state = state_of(request)
    user = api_user(state, request)
    text, stream = parse_request(await request.body())  # its size: the limits middleware's, before this
    state.gate.refuse_if_full()  # 503 server-busy with Retry-After, before the account's budget is spent
    wait = state.rates.turn_allowed(user)  # the page's per-account turn budget: one account, one budget
    if wait:
        raise RateLimitedError(wait)
    run = _admitted(state, _logged(state, run_turn(state.companion, text, user=user)))
    reading = TurnReading()
    if not stream:
        return await _whole(run, reading)
    # Up to her first words nothing is sent, so a turn that fails before replying (an empty message, the
    # model unreachable) is answered with its own HTTP status and error, as a whole request would be.
    ahead: list[Event] = []
    async for event in run:
        reading.see(event)
        ahead.append(event)
        if isinstance(event, Token | Replied | Failed):
            break
    if reading.failed is not None and reading.replied is None and not any(isinstance(e, Token) for e in ahead):
        await run.aclose()
        return _failed(reading.failed)
    return TurnStream(_streamed(run, ahead, reading))


async def _whole(run: AsyncGenerator[Event, None], reading: TurnReading) -> Response:
    completion_id, created = "", int(time.time())
    async for event in run:
        reading.see(event)
        if isinstance(event, RunStarted):
            completion_id = f"chatcmpl-{event.turn_id}"
    if reading.replied is None:
        failed = reading.failed or Failed(completion_id[9:], "respond", "turn-crashed",
                                          "The turn ended without a reply.", "Try again; the log has the details.")
        return _failed(failed)
    return JSONResponse(completion(completion_id, created, reading.replied.text, reading))


async def _streamed(run: AsyncGenerator[Event, None], ahead: list[Event],
                    reading: TurnReading) -> AsyncGenerator[str, None]:
    completion_id, created = "", int(time.time())
    said = False  # whether any of her words went out: a safety reply comes whole, in its Replied event
    events = _replay(ahead, run)
    try:
        async for event in events:
            reading.see(event)
            if isinstance(event, RunStarted):
                completion_id = f"chatcmpl-{event.turn_id}"
                yield chunk(completion_id, created, {"role": "assistant", "content": ""})
            elif isinstance(event, Token) and event.text:
                said = True
                yield chunk(completion_id, created, {"content": event.text})
            elif isinstance(event, Replied) and not said and event.text:
                said = True
                yield chunk(completion_id, created, {"content": event.text})
        if reading.replied is None and reading.failed is not None:
            failed = reading.failed  # mid-reply: the stream can only say so in its own error event
            yield sse(error_body(failed_status(failed), failed.code, failed.message, failed.hint))
        else:
            yield chunk(completion_id, created, {}, "stop", reading)
        yield DONE
    finally:
        await events.aclose()
        await run.aclose()  # a client that left mid-reply: the turn stores what was said, marked interrupted


async def _replay(ahead: list[Event], run: AsyncGenerator[Event, None]) -> AsyncGenerator[Event, None]:
    """The events read ahead, then the rest of the run (seeing one twice changes no reading)."""
    for event in ahead:
        yield event
    async for event in run:
        yield event


async def _logged(state: ServerState, run: AsyncGenerator[Event, None]) -> AsyncGenerator[Event, None]:
    """The run's events, each also written to the event log (``--log-events``) as the sockets' are."""
    try:
        async for event in run:
            if state.events is not None:
                state.events.write(event)  # type: ignore[attr-defined]
            yield event
    except asyncio.CancelledError:
        log.info("an OpenAI client left mid-turn; the turn keeps what was said")
        raise
    finally:
        await run.aclose()


async def _admitted(state: ServerState, run: AsyncGenerator[Event, None]) -> AsyncGenerator[Event, None]:
    """The run once this replica has a place for it (the page's line: admission.py), held until her reply.
    A line that filled since the check raises ServerBusyError at the first event: a 503 like the check's."""
    try:
        async with state.gate.admitted() as place:
            async for event in run:
                if isinstance(event, Replied):
                    place.release()  # as on the page: the next in line starts at her reply
                yield event
    finally:
        await run.aclose()


class TurnStream(Response):
    """The stream of one turn as server-sent events, closed whatever ends it.

    Starlette's StreamingResponse, when the server reports a closed connection at ``send``, leaves its
    iterator suspended, never closed: the turn would wait there, half-answered, until collected. Here a
    client that leaves (seen at the next send, or at once by watching ``receive``) cancels the stream and
    closes the turn, which then stores what was said, marked interrupted, as a closed page socket does."""

    media_type = "text/event-stream"

    def __init__(self, chunks: AsyncGenerator[str, None]) -> None:
        super().__init__(headers={"cache-control": "no-cache", "x-accel-buffering": "no"})
        # Response counts the (empty) body as the content-length; a stream has none: HTTP/1.1 chunks it.
        self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        self.chunks = chunks

    async def __call__(self, scope, receive, send) -> None:
        streaming = asyncio.ensure_future(self._stream(send))
        watching = asyncio.ensure_future(_until_disconnect(receive))
        try:
            await asyncio.wait({streaming, watching}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (streaming, watching):
                task.cancel()
            await asyncio.gather(streaming, watching, return_exceptions=True)
            await self.chunks.aclose()
        failure = None if streaming.cancelled() else streaming.exception()
        if failure is not None:
            raise failure  # a bug: the server logs it, rather than a stream that stops without a word

    async def _stream(self, send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        try:
            async for text in self.chunks:
                await send({"type": "http.response.body", "body": text.encode("utf-8"), "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:  # the client has gone (ASGI 2.4 servers say so at send)
            return


async def _until_disconnect(receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _failed(failed: Failed) -> JSONResponse:
    status = failed_status(failed)
    headers = {"retry-after": str(failed.retry_after_s)} if failed.retry_after_s else None
    return JSONResponse(error_body(status, failed.code, failed.message, failed.hint), status_code=status,
                        headers=headers)


ROUTES = [
    Route("/v1/models", models),
    Route("/v1/chat/completions", chat_completions, methods=["POST"]),
]

__all__ = ["ROUTES", "api_user"]
