"""Cleaning what the user typed or pasted before anything else sees it."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..errors import InputError

HARD_LIMIT_CHARS = 200_000  # above this we refuse: nobody types that, and storing it helps no one


@dataclass(frozen=True)
class CleanInput:
    text: str  # what is stored: the whole message, cleaned
    prompt_text: str  # what the model sees: at most max_chars, cut at a word
    truncated: bool


def clean_user_text(raw: str | bytes, max_chars: int) -> CleanInput:
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if len(raw) > HARD_LIMIT_CHARS:
        raise InputError(f"The message is {len(raw):,} characters long; the limit is {HARD_LIMIT_CHARS:,}.",
                         "Send a shorter message, or the part that matters most.", code="input-too-long")
    unreadable = sum(1 for ch in raw if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\t\r"))
    if len(raw) > 20 and unreadable / len(raw) > 0.1:
        raise InputError("The message does not look like text (it may be binary data).",
                         "Paste text rather than a file's raw bytes.", code="input-not-text")
    # Drop control characters (binary garbage, terminal escapes) but keep newlines and tabs.
    kept = [ch for ch in raw if ch in "\n\t" or unicodedata.category(ch)[0] != "C"]
    text = unicodedata.normalize("NFC", "".join(kept)).replace("\ufffd", "").strip()
    if not text:
        raise InputError("The message is empty.", "Type something to say, or /help for commands.",
                         code="input-empty")
    meaningful = sum(1 for ch in text if ch.isalnum())
    if meaningful < max(1, len(text) // 10) and len(text) > 20:
        raise InputError("The message does not look like text (it may be binary data).",
                         "Paste text rather than a file's raw bytes.", code="input-not-text")
    if len(text) <= max_chars:
        return CleanInput(text, text, False)
    cut = text[:max_chars]
    space = cut.rfind(" ", max_chars - 200)
    return CleanInput(text, (cut[:space] if space > 0 else cut) + " …", True)
