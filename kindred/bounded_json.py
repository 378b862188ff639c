"""JSON from outside (a request body, a WebSocket frame, an import file), parsed within bounds.

``json.loads`` alone lets hostile input fail deep inside whoever uses the value: nesting past
Python's recursion limit (RecursionError), integers too long to parse (ValueError) or too wide for
a database column (OverflowError when bound), a lone surrogate such as ``"\\ud800"`` that no UTF-8
encoder accepts (UnicodeEncodeError). Each is refused here with a coded ``InputError`` instead, so
every caller answers bad input the same way: a 4xx on REST, an error event on the socket.
"""
from __future__ import annotations

import json
import re
from typing import Any

from .errors import InputError

MAX_DEPTH = 32  # every message Kindred reads is a few levels deep; an export is four
MAX_INT = 2**63 - 1  # what both engines store in an integer column
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # unrolled: linear on a 4 MB camera frame
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def loads(raw: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The value of ``raw``; ``InputError`` (``json-invalid``, ``json-too-deep``, ``number-too-large``,
    ``text-invalid``) for anything that is not small, plain JSON."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise InputError("The data is not UTF-8 text.", "Send JSON encoded as UTF-8.", code="json-invalid") from exc
    _check_depth(text, max_depth)
    try:
        value = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except InputError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise InputError("The data is not valid JSON.", "Send plain JSON, as JSON.stringify writes it.",
                         code="json-invalid") from exc
    _check_text(value)
    return value


def bounded_id(raw: object) -> int | None:
    """A positive row id from a path or field, or None: never one a database column cannot hold."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INT else None


def _check_depth(text: str, most: int) -> None:
    # Brackets inside strings do not nest; what remains is short for any real message.
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", _STRINGS.sub("", text)):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > most:
            raise InputError(f"The data is nested more than {most} levels deep.",
                             "Send flat JSON objects, as the page does.", code="json-too-deep")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(number := int(text)) > MAX_INT:
        raise InputError("A number in the data is too large.", f"Numbers must lie within ±{MAX_INT}.",
                         code="number-too-large")
    return number


def _no_constant(name: str) -> float:
    raise InputError(f"'{name}' is not a JSON number.", "Send finite numbers only.", code="json-invalid")


def _check_text(value: Any) -> None:
    """Every string and key encodes as UTF-8 (a lone surrogate from a ``\\ud800`` escape does not)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise InputError("The data has text that is not valid Unicode (a lone surrogate).",
                                 "Send whole characters; escape pairs such as \\ud83d\\ude00 together.",
                                 code="text-invalid") from exc
        elif isinstance(item, dict):
            stack += list(item.keys()) + list(item.values())
        elif isinstance(item, list):
            stack += item
