"""`kindred serve --workers N`: N server processes behind one port, sharing one database.

Each worker is a full, stateless replica: accounts, session tokens, conversations and the
conversation's feeling state live in the database, so the kernel may hand any connection to
any worker, and a load balancer may send a user's next turn to any replica. Uvicorn starts
the workers and restarts one that dies; each builds its own companion from the settings the
parent passes in the environment (the only way into a freshly spawned process).
"""
from __future__ import annotations

import dataclasses
import json
import os
from typing import Any

from ..config import load_settings
from .security import Limits, ServerOptions

CONFIG_ENV = "KINDRED_REPLICA_CONFIG"
APP_FACTORY = "kindred.server.replicas:app_from_environment"


def replica_config(overrides: dict[str, object], options: ServerOptions, *, with_emotion: bool,
                   event_log: str | None = None) -> str:
    return json.dumps({"settings": {k: v for k, v in overrides.items() if v is not None},
                       "options": dataclasses.asdict(options), "with_emotion": with_emotion,
                       "event_log": event_log})


def options_from(data: dict[str, object]) -> ServerOptions:
    fields = {f.name: f for f in dataclasses.fields(ServerOptions)}
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in fields}
    # asdict turned the nested Limits into a dict; the limits middleware reads attributes.
    if isinstance(values.get("limits"), dict):
        values["limits"] = Limits(**values["limits"])
    return ServerOptions(**values)


def app_from_environment():
    """The uvicorn factory each worker calls: one companion per process, one shared database."""
    from ..events.log import EventLog
    from ..runtime import open_companion
    from .app import create_app

    config = json.loads(os.environ[CONFIG_ENV])
    settings = load_settings(**config["settings"])
    options = options_from(config["options"])
    companion = open_companion(settings, with_emotion=bool(config["with_emotion"]), terminal=not options.auth_required)
    log = config.get("event_log")
    return create_app(companion, options, event_log=EventLog(log) if log else None)


def serve_workers(config: str, host: str, port: int, workers: int) -> None:
    import uvicorn

    os.environ[CONFIG_ENV] = config
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_level="info",
                ws="websockets-sansio", proxy_headers=False, http="kindred.server.timeouts:HeaderDeadlineProtocol")
