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


# Misspellings of the words risk turns on ("suicde", "myslef", "swalowed"): a token one edit away (two for long
# words) from one of these, with the same first letter, is read as it. Short words are left to the rules'
# own patterns ("kil", "wnat", "pils"): at that length one edit reaches too many ordinary words.
_LEXICON = ("suicide", "suicidal", "myself", "overdose", "overdosed", "swallowed", "disappear", "anymore",
            "everyone", "everybody", "without", "happier", "paracetamol", "tylenol", "ibuprofen", "antidepressants",
            "painkillers", "sleeping", "goodbye", "burden", "point")
_WORD = re.compile(r"(?<!['a-z])[a-z]{5,}(?!['a-z])")  # "everyone's" is not a misspelling of "everyone"
# Korean misspellings and spacing slips of the same kind: 쥭고십다 → 죽고 싶다, 자샬 → 자살, 먹엇어 → 먹었어.
_KO_FOLDS = (
    (re.compile(r"쥭"), "죽"), (re.compile(r"자[샬쌀]|쟈살"), "자살"), (re.compile(r"자헤"), "자해"),
    (re.compile(r"주거(?=\s*(?:버리|싶|시퍼|야지))"), "죽어"), (re.compile(r"(살고|죽고)\s*십지\s*안"), r"\1 싶지 않"),
    (re.compile(r"(죽|디지|뒤지|뒈지|사라지|없어지|끝내|살|버리)[고구]\s*(?:싶퍼|시퍼|시프|십어|십|싶)"), r"\1고 싶"),
    (re.compile(r"먹엇|머겄|머것"), "먹었"), (re.compile(r"머거써"), "먹었어"), (re.compile(r"펀지"), "편지"),
    (re.compile(r"놧"), "놨"), (re.compile(r"삼켯"), "삼켰"),
    (re.compile(r"햇(?=어|다|음)"), "했"),
    (re.compile(r"업써|업서"), "없어"), (re.compile(r"업스면|업으면"), "없으면"),
)


def _close(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein distance of a and b is at most ``limit`` (small strings only)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def _respell(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _LEXICON:
        return word
    for known in _LEXICON:
        if word[0] == known[0] and _close(word, known, 2 if len(known) >= 8 else 1):
            return known
    return word


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
    text = _WORD.sub(_respell, text)
    for pattern, plain in _KO_FOLDS:
        text = pattern.sub(plain, text)
    text = re.sub(r"\s+", " ", text).strip()
    # "이 자 살 때" is "when you buy this ruler": 살 before 때 is 사다 (buy), so it is not rejoined into 자살.
    text = re.sub(r"(?<![가-힣])자 살 때(?!문)", "자 살때", text)
    # Two single syllables in a row are rare in real Korean; three single letters rarer in English.
    text = _join_single_tokens(text, _single_hangul, 2)
    return _join_single_tokens(text, _single_latin, 3)
