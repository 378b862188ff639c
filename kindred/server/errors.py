"""Errors of the server: each with a stable code the page shows and a hint."""
from __future__ import annotations

from ..errors import ConfigError, KindredError


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
