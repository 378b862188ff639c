"""The web server: REST and a WebSocket over one shared Companion, and the accessible page."""
from __future__ import annotations

from .app import create_app
from .security import ServerOptions, options_for_bind

__all__ = ["ServerOptions", "create_app", "options_for_bind"]
