"""Does a question ask *when*, and does a memory say when?

"When did James start playing Civilization?" is answered by "Been playing it for a month now",
which shares no word with the question and little of its meaning; what marks it out is that it
says when. Recall gives such a memory a small lift for such a question. English and Korean.

(Places, counts and titles were tried the same way on LoCoMo, `kindred bench memory`: too few
questions ask for them and the lift moved recall by less than its noise, so they were left out.)
"""
from __future__ import annotations

import re
from datetime import date

from .dates import find_span

_COUNT = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|few|several)"

_ASKS_WHEN = re.compile(r"^\W*when\b|\bwhen (did|does|do|is|was|were|will|has|had)\b"
                        r"|\bwhat (year|month|day|date|time)\b|\bhow long\b|\bsince when\b"
                        r"|언제|몇\s?(년|월|일|시)|며칠|얼마나\s?(오래|됐)")

_TELLS_WHEN = re.compile(
    rf"\b{_COUNT} (years?|months?|weeks?|days?|hours?) (ago|now|back|before|later)\b"
    rf"|\bfor {_COUNT} (years?|months?|weeks?|days?)\b|\b(since|ago|weekend|tonight|last night)\b"
    r"|\b(19|20)\d\d\b|\b(last|next|this|past) (year|month|week|summer|winter|spring|fall|autumn|time)\b"
    r"|\d+\s?(년|개월|주|일)\s?(전|째|동안|후|뒤)|작년|재작년|올해|지난|저번|다음 (해|달|주)")


def asks_when(question: str) -> bool:
    """"When did…", "How long…", "What year…", "언제…", "몇 년…"."""
    return bool(_ASKS_WHEN.search(question.lower()))


def says_when(text: str, today: date) -> bool:
    """A time in any form: "for three years now", "last weekend", "in May 2023", "작년에", "3일 전"."""
    lowered = text.lower()
    return bool(_TELLS_WHEN.search(lowered)) or find_span(lowered, today) is not None
