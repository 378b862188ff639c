"""Running the app with uvicorn: in the foreground (`kindred serve`) or in a thread (tests, bench)."""
from __future__ import annotations

import socket
import threading
import time

import uvicorn

from ..errors import BackendUnavailableError
from .conversation import MAX_MESSAGE_CHARS
from .timeouts import HeaderDeadlineProtocol, with_header_timeout

# A WebSocket frame larger than the largest message the conversation accepts (a camera frame as
# base64) is refused by uvicorn before it is buffered whole (its default allows 16 MiB).
WS_MAX_BYTES = MAX_MESSAGE_CHARS + 64 * 1024


def serve_forever(app, host: str, port: int) -> None:
    uvicorn.run(app, host=host, port=port, log_level="info", ws="websockets-sansio", proxy_headers=False,
                ws_max_size=WS_MAX_BYTES, http=HeaderDeadlineProtocol)


class BackgroundServer:
    """The app on a free loopback port in a daemon thread: ``with BackgroundServer(app) as url: ...``."""

    def __init__(self, app, host: str = "127.0.0.1", *, header_timeout_s: float | None = None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        http = HeaderDeadlineProtocol if header_timeout_s is None else with_header_timeout(header_timeout_s)
        # proxy_headers off as in serve_forever: uvicorn's default trusts X-Forwarded-For from loopback, and
        # which proxies to trust is the app's to say (ServerOptions.trusted_proxies).
        config = uvicorn.Config(app, log_level="warning", ws="websockets-sansio", lifespan="off",
                                ws_max_size=WS_MAX_BYTES, http=http, proxy_headers=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise BackendUnavailableError("The test server did not start.", "See the log above.",
                                              code="server-start-failed")
            time.sleep(0.02)
        return self.url

    def __exit__(self, *exc_info) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
