"""Kindred: a local-first AI companion.

The public API is what ``__all__`` names; everything else may change between versions.
Heavy parts (the companion and its models) load only when first asked for, so
``import kindred`` stays cheap for scripts that only want the events or the settings.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .config import Settings, load_settings
from .errors import KindredError
from .events import (
    Chose,
    Event,
    Failed,
    Felt,
    Heard,
    Recalled,
    Replied,
    SafetyChecked,
    Suggested,
    Token,
    event_from_dict,
)

__version__ = "0.1.0"

_LAZY = {"Companion": "kindred.turn", "open_companion": "kindred.runtime"}

__all__ = [
    "Chose",
    "Companion",
    "Event",
    "Failed",
    "Felt",
    "Heard",
    "KindredError",
    "Recalled",
    "Replied",
    "SafetyChecked",
    "Settings",
    "Suggested",
    "Token",
    "event_from_dict",
    "load_settings",
    "open_companion",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kindred' has no attribute {name!r}")
