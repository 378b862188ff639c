"""Errors of the server: each with a stable code the page shows and a hint."""
from __future__ import annotations

from ..errors import ConfigError, KindredError

# The OpenAI error shape's "type" for each status: every error body of the server is
# {"error": {"message", "type", "code", "hint"}}, so OpenAI clients (the openai package, Open WebUI)
# read Kindred's errors as their own and the page reads the same code and hint.
ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
               404: "not_found_error", 408: "invalid_request_error", 409: "conflict_error",
               413: "invalid_request_error", 429: "rate_limit_error", 503: "server_error"}


def error_body(status: int, code: str, message: str, hint: str) -> dict:
    return {"error": {"message": message, "type": ERROR_TYPES.get(status, "server_error"), "code": code,
                      "param": None, "hint": hint}}


class AuthError(KindredError):
    """Not signed in, a wrong password, or a token that expired."""

    code = "auth-failed"
    exit_code = 2
    status = 401


class AccountError(KindredError):
    """An account cannot be created as asked (name taken, weak password)."""

    code = "account-invalid"
    exit_code = 2
    status = 400


class OriginRefusedError(KindredError):
    """A browser request came from a page this server did not serve."""

    code = "origin-refused"
    exit_code = 2
    status = 403


class UnsafeBindError(ConfigError):
    """Listening beyond this machine without accounts would expose every conversation."""

    code = "bind-unsafe"


class MemoryNotFoundError(KindredError):
    """No memory with that id belongs to the signed-in user (another user's id looks exactly the same)."""

    code = "memory-not-found"
    exit_code = 2
    status = 404


class MemoryUnavailableError(KindredError):
    """This server runs without the long-term memory, so memories cannot be edited or forgotten here."""

    code = "memory-unavailable"
    exit_code = 2
    status = 409


class RateLimitedError(KindredError):
    """Too many attempts at once (sign-in guesses at one account); answered 429 with Retry-After."""

    code = "rate-limited"
    exit_code = 2
    status = 429

    def __init__(self, wait_s: float) -> None:
        import math

        self.retry_after_s = max(1, math.ceil(wait_s))
        super().__init__("Too many requests; please slow down.", f"Try again in {self.retry_after_s} s.")


class ServerBusyError(KindredError):
    """More turns than this replica runs and queues (admission.TurnGate): answered 503 with Retry-After on
    HTTP, an error event with ``retry_after_s`` on the WebSocket; the message was not stored, send it again."""

    code = "server-busy"
    exit_code = 2
    status = 503

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__("Kindred is answering many people right now.",
                         f"Send the message again in {retry_after_s} s; it has not been stored.")


class ApiKeyError(KindredError):
    """An API key cannot be made or found as asked (no such account, no such key)."""

    code = "api-key-invalid"
    exit_code = 2
    status = 400


class ApiKeyNotFoundError(KindredError):
    """No API key with that id belongs to the signed-in account (another account's looks exactly the same)."""

    code = "api-key-not-found"
    exit_code = 2
    status = 404


class ModelNotFoundError(KindredError):
    """An OpenAI client asked for a model this server does not offer (it offers one: Kindred)."""

    code = "model-not-found"
    exit_code = 2
    status = 404


class OpenAIRequestError(KindredError):
    """A chat.completions request Kindred cannot answer (no user message, the newest one already answered)."""

    code = "request-invalid"
    exit_code = 2
    status = 400
