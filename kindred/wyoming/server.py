"""Listening: a Wyoming server on a URI (tcp://host:port, unix://path, stdio://) with one handler per connection."""
from __future__ import annotations

import asyncio
import sys
from functools import partial
from urllib.parse import urlparse

from ..errors import InputError
from .service import WyomingService


def parse_uri(uri: str):
    """The package's server for ``uri``; a URI it cannot serve is an InputError (code wyoming-uri-invalid)."""
    from wyoming.server import AsyncServer

    try:
        return AsyncServer.from_uri(uri)
    except ValueError as exc:
        raise InputError(f"'{uri}' is not a Wyoming address: {exc}.",
                         "Give --uri tcp://127.0.0.1:10700 (or unix:///path/to/socket, stdio://).",
                         code="wyoming-uri-invalid") from exc


async def serve(service: WyomingService, uri: str, *, version: str, ready=None) -> None:
    """Serve until cancelled. ``ready``: called once the port accepts connections (the CLI prints then)."""
    from .describe import kindred_info
    from .handler import KindredEventHandler

    server = parse_uri(uri)
    info = kindred_info(service.speech, user=service.user, model=service.companion.chat.model,
                        version=version).event()
    factory = partial(KindredEventHandler, service=service, info=info)
    if urlparse(uri).scheme == "stdio":
        await server.run(factory)  # one client, on stdin/stdout: nothing to announce on stdout
        return
    try:
        await server.start(factory)
    except OSError as exc:
        raise InputError(f"Cannot listen on {uri}: {exc.strerror or exc}.",
                         "Pick a free port, or stop what listens there.", code="wyoming-listen-failed") from exc
    if ready is not None:
        ready()
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
        print("(the Wyoming endpoint stopped)", file=sys.stderr)
