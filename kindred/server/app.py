"""The ASGI app: the page, REST under /api/, and a WebSocket per conversation.

One Companion (one loaded model) serves every user; each request names its user
from a session token, and every read of the store is made with that user.
"""
from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import FileResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from ..turn import Companion
from . import api, api_keys_api, openai_api, personal
from .accounts import AccountBook
from .admission import TurnGate
from .api_keys import ApiKeyBook
from .conversation import conversation_socket
from .db import ServerDatabase
from .feedback import FeedbackBook
from .guard import GuardMiddleware
from .limits import LimitsMiddleware, RateLimits
from .security import ServerOptions
from .state import ServerState

STATIC_DIR = Path(__file__).parent / "static"


async def index(request) -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", headers={"cache-control": "no-cache"})


def create_app(companion: Companion, options: ServerOptions | None = None, *,
               password_hasher: PasswordHasher | None = None, speech: object | None = None,
               face_reader: object | None = None, event_log: object | None = None) -> Starlette:
    """The app over one shared companion. ``password_hasher``: argon2 parameters (tests use cheap ones);
    ``speech`` (transcribe/synthesize) and ``face_reader`` (read): engines to use instead of the packaged
    ones, which load on first use when ``options`` turn voice or the camera on. ``event_log``: an
    events.log.EventLog that gets every event the sockets send (``--log-events``)."""
    options = options or ServerOptions()
    if options.micro_batch:
        _share_encoders(companion)
    if options.voice_available and speech is None:
        from .speech import Speech

        speech = Speech(companion.settings)
    faces = None
    if options.camera_available:
        from .camera import FaceReaders

        faces = FaceReaders(face_reader)
    # The companion's own connection when its store is the configured database (one per process and engine).
    own = getattr(companion.store, "database", None)
    same = own is not None and str(own.location) == str(companion.settings.database_location)
    db = ServerDatabase(own if own is not None and same else companion.settings.database_location)
    routes = [
        Route("/", index),
        Route("/health", api.health),
        Route("/health/live", api.alive),
        *api.ROUTES,
        *personal.ROUTES,
        *api_keys_api.ROUTES,
        *openai_api.ROUTES,
        WebSocketRoute("/api/conversation", conversation_socket),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    rates = RateLimits(options.limits)
    # Guard first: a request from a refused host or origin must not spend anyone's rate budget.
    middleware = [Middleware(GuardMiddleware, options=options), Middleware(LimitsMiddleware, rate_limits=rates)]
    if options.trusted_proxies:  # before both: the limits count the person the proxy names, not the proxy
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        middleware.insert(0, Middleware(ProxyHeadersMiddleware, trusted_hosts=list(options.trusted_proxies)))
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=api.EXCEPTION_HANDLERS)
    app.state.kindred = ServerState(companion, options, db, AccountBook(db, password_hasher), FeedbackBook(db),
                                    speech=speech if options.voice_available else None, faces=faces, rates=rates,
                                    events=event_log, keys=ApiKeyBook(db),
                                    gate=TurnGate.for_limits(options.limits))
    return app


def _share_encoders(companion: Companion) -> None:
    """Concurrent turns share the emotion encoder's and the memory embedder's passes, in micro-batches
    (kindred.models.micro_batch): one call for the messages that arrived within a few milliseconds."""
    for part in (companion.emotion, companion.memory):
        share = getattr(part, "serve_batched", None)
        if share is not None:
            share()
