"""What every handler shares: the companion, the options, accounts, feedback, voice, camera and the clock."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from starlette.requests import HTTPConnection

from ..turn import Companion
from .accounts import AccountBook
from .admission import TurnGate
from .api_keys import ApiKeyBook
from .db import ServerDatabase
from .errors import AuthError
from .feedback import FeedbackBook
from .limits import RateLimits
from .security import SESSION_COOKIE, Limits, ServerOptions

# Where the limits middleware leaves the account it looked up (off the event loop) for this request.
USER_KEY = "kindred.user"
API_USER_KEY = "kindred.api_user"


@dataclass
class ServerState:
    companion: Companion
    options: ServerOptions
    db: ServerDatabase
    accounts: AccountBook
    feedback: FeedbackBook
    speech: object | None = None  # speech.Speech (or a test double): None when voice is off
    faces: object | None = None  # camera.FaceReaders: None when the camera is off
    clock: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())  # tests set a fake one
    rates: RateLimits = field(default_factory=RateLimits)
    events: object | None = None  # events.log.EventLog (--log-events): every event a socket sends
    keys: ApiKeyBook | None = None  # the OpenAI-compatible endpoint's API keys (None: that endpoint refuses all)
    gate: TurnGate = field(default_factory=lambda: TurnGate.for_limits(Limits()))  # turns at once, and in line

    def user_of(self, conn: HTTPConnection) -> str | None:
        """The signed-in user of a request or WebSocket, or None."""
        if not self.options.auth_required:
            return self.companion.settings.user
        if USER_KEY in conn.scope:  # looked up by the limits middleware, on a worker thread
            return conn.scope[USER_KEY]
        return self.accounts.user_for_token(token_of(conn))

    def api_user_of(self, conn: HTTPConnection) -> str | None:
        """The account an OpenAI-compatible client's API key names, or None. Only a key opens /v1 (a page's
        session token does not); without sign-in (``--no-auth``) everyone is the local user, as on the page."""
        if not self.options.auth_required:
            return self.companion.settings.user
        if API_USER_KEY in conn.scope:
            return conn.scope[API_USER_KEY]
        header = conn.headers.get("authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else None
        return self.keys.user_for_key(key) if self.keys is not None else None

    def require_user(self, conn: HTTPConnection) -> str:
        user = self.user_of(conn)
        if user is None:
            raise AuthError("Please sign in first.", "Sign in on the start page, or send 'Authorization: Bearer "
                            "TOKEN' from POST /api/login.", code="auth-required")
        return user


def token_of(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return conn.cookies.get(SESSION_COOKIE)


def state_of(conn: HTTPConnection) -> ServerState:
    return conn.app.state.kindred
