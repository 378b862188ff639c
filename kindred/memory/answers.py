"""Does a question ask *when*, and does a memory say when?

"When did James start playing Civilization?" is answered by "Been playing it for a month now",
which shares no word with the question and little of its meaning; what marks it out is that it
says when. Recall gives such a memory a small lift for such a question. English and Korean.

(Places, counts and titles were tried the same way on LoCoMo, `kindred bench memory`: too few
questions ask for them and the lift moved recall by less than its noise, so they were left out.)
"""
from __future__ import annotations

import re

_ASKS_WHEN = re.compile(r"^\W*when\b|\bwhen (did|does|do|is|was|were|will|has|had)\b"
                        r"|\bwhat (year|month|day|date|time)\b|\bhow long\b|\bsince when\b"
                        r"|언제|몇\s?(년|월|일|시)|며칠|얼마나\s?(오래|됐)")

# Word sets, not one big expression: an alternation of every time phrase cost 0.05 ms a text (find_span's
# rules 0.2 ms), this about 0.03 ms, and recall checks the best few dozen candidates of each question.
_WHEN_WORDS = frozenset(
    "since ago weekend weekends tonight yesterday today tomorrow recently lately monday tuesday wednesday "
    "thursday friday saturday sunday january february march april june july august september october "
    "november december".split())
_NEAR = frozenset("last next this past".split())
_PERIODS = frozenset("night year month week summer winter spring fall autumn time".split())
_UNITS = frozenset("year years month months week weeks day days hour hours".split())
_AFTER_UNIT = frozenset("ago now back before later earlier".split())
_COUNTS = frozenset("a an one two three four five six seven eight nine ten few several couple".split())
_BEFORE_MAY = frozenset("in of early late mid since".split())
_WORD = re.compile(r"[a-z]+|\d+")
_NUMBERED = re.compile(r"\b(19|20)\d\d\b|\d+\s?(년|개월|달|주|일|시간)\s?(전|째|동안|후|뒤)")
_KO_WHEN = ("어제", "오늘", "내일", "모레", "그저께", "그제", "작년", "올해", "내년", "지난", "저번", "다음 주",
            "다음 달", "다음주", "다음달", "주말", "요일", "최근", "요즘", "얼마 전")


def asks_when(question: str) -> bool:
    """"When did…", "How long…", "What year…", "언제…", "몇 년…"."""
    return bool(_ASKS_WHEN.search(question.lower()))


def says_when(text: str) -> bool:
    """A time in any form: "for three years now", "last weekend", "in May 2023", "작년에", "3일 전"."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    if _WHEN_WORDS.intersection(words):
        return True
    for before, word, after in zip(["", *words], words, [*words[1:], ""]):
        if (before in _NEAR and word in _PERIODS) or (word in _UNITS and after in _AFTER_UNIT) \
                or (before == "for" and (word in _COUNTS or word.isdigit()) and after in _UNITS) \
                or (word == "may" and (before in _BEFORE_MAY or after.isdigit())):
            return True
    if any(ch.isdigit() for ch in lowered) and _NUMBERED.search(lowered):
        return True
    return any(phrase in lowered for phrase in _KO_WHEN)
