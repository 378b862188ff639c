"""Which language a message is in: Korean, English, or something else.

Script counts are enough to tell Hangul from Latin text reliably; among Latin
texts a short list of very common English words separates English from other
languages that use the same script.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z']+")
_COMMON_EN = frozenset(
    "i you he she it we they me my your the a an and or but is am are was were be been to of in on at "
    "for with that this what how why when not no yes do does did have has had so just really today "
    "feel feeling day work good bad sad happy tired love like want need can can't don't i'm it's".split()
)


def _is_hangul(ch: str) -> bool:
    code = ord(ch)
    return 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def detect_language(text: str) -> str:
    """Return 'ko', 'en' or 'other'."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "other"
    hangul = sum(1 for ch in letters if _is_hangul(ch))
    latin = sum(1 for ch in letters if ch.isascii())
    if hangul / len(letters) >= 0.3:
        return "ko"
    if latin / len(letters) < 0.7:
        return "other"
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return "other"
    common = sum(1 for w in words if w in _COMMON_EN)
    # Short messages ("ok", "thanks") rarely contain a function word; ASCII is then a fair guess.
    if len(words) <= 3 or common / len(words) >= 0.15:
        return "en"
    return "other"


def hangul_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if _is_hangul(ch)) / len(letters) if letters else 0.0
