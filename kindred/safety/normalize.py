"""Undoing the tricks people use, on purpose or not, that hide risk words from a matcher.

Leetspeak ("k1ll mys3lf"), spacing ("자 살", "k i l l"), zero-width characters,
stretched letters ("diiiie"), full-width letters and curly apostrophes all turn
into the plain form the rules and the classifier were written for. Numbers that
stand alone ("30 pills", "call 109") are left as they are.
"""
from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f\u180e]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# Digits and symbols that stand for letters, applied only inside words that have letters too.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_MIXED_WORD = re.compile(r"[a-z0-9@$]*[a-z][a-z0-9@$]*")
_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])[!|](?=[a-z])")
_STRETCHED = re.compile(r"([a-z\u3131-\u318e])\1{2,}")
_HANGUL_SYLLABLE = "\uac00-\ud7a3"
# "자1살", "자.살", "자_살": one filler character between two syllables.
_FILLED_HANGUL = re.compile(rf"(?<=[{_HANGUL_SYLLABLE}])[0-9._\-*~^/|·•,+]{{1,2}}(?=[{_HANGUL_SYLLABLE}])")
# "k.i.l.l", "k-i-l-l": separators between single letters.
_DOTTED_LETTERS = re.compile(r"\b(?:[a-z][.\-_*]){2,}[a-z]\b")


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isdigit() or not any(ch.isalpha() for ch in word):
        return word
    return word.translate(_LEET)


def _join_single_tokens(text: str, is_single, min_run: int) -> str:
    """Join runs of one-character tokens: "자 살 하 고" → "자살하고", "k i l l" → "kill"."""
    tokens = text.split(" ")
    out: list[str] = []
    run: list[str] = []
    for token in tokens + [""]:
        if is_single(token):
            run.append(token)
            continue
        if len(run) >= min_run:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return " ".join(out)


def _single_hangul(token: str) -> bool:
    return len(token) == 1 and "\uac00" <= token <= "\ud7a3"


def _single_latin(token: str) -> bool:
    return len(token) == 1 and "a" <= token <= "z"


def normalize(text: str) -> str:
    """One lower-case, de-obfuscated line; the form every safety check reads."""
    text = unicodedata.normalize("NFC", text)
    # NFKC folds full-width letters, but would also turn "ㅈㅅ"-style jamo into conjoining jamo.
    text = "".join(ch if "\u3130" <= ch <= "\u318f" else unicodedata.normalize("NFKC", ch) for ch in text)
    text = _INVISIBLE.sub("", text).translate(_APOSTROPHES).lower()
    text = _MIXED_WORD.sub(_unleet, text)
    text = _BETWEEN_LETTERS.sub(lambda m: "i" if m.group(0) == "!" else "l", text)
    text = _DOTTED_LETTERS.sub(lambda m: re.sub(r"[.\-_*]", "", m.group(0)), text)
    text = _STRETCHED.sub(r"\1", text)
    text = _FILLED_HANGUL.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    # Two single syllables in a row are rare in real Korean; three single letters rarer in English.
    text = _join_single_tokens(text, _single_hangul, 2)
    return _join_single_tokens(text, _single_latin, 3)
