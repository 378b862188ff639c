"""Kindred as a Wyoming service (`kindred wyoming`), for Home Assistant's Assist and Wyoming satellites.

Modules: ``framing`` (reading frames, bad ones answered), ``describe`` (the info answer), ``speech``
(Whisper and her voices), ``service`` (her turn and the tone of its speech), ``handler`` (one
connection's events), ``server`` (listening). The ``wyoming`` package (pip install
'kindred[wyoming]') is imported only inside them, after ``require_wyoming`` has said whether it is there.
"""
from __future__ import annotations

from ..errors import MissingExtraError


def require_wyoming() -> None:
    """Raise MissingExtraError (extra-missing, naming kindred[wyoming]) when the wyoming package is absent."""
    import importlib.util

    if importlib.util.find_spec("wyoming") is None:
        raise MissingExtraError("wyoming", "wyoming", "The Wyoming endpoint")
