"""Finding the day an event happens from how people say it: "on Friday", "next Tuesday", "금요일에", "3월 5일".

Only days, no times: a check-in needs to know which day went by, not the hour.
Relative words resolve against the day the words were said.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

_WEEKDAYS_EN = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
                "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
                "sat": 5, "sunday": 6, "sun": 6}
_WEEKDAYS_KO = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
_MONTHS_EN = {name: index + 1 for index, names in enumerate(
    ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
     "september sep sept", "october oct", "november nov", "december dec")) for name in names.split()}
_I = re.IGNORECASE
_EN_WEEKDAY = re.compile(r"\b(?:(next|this|coming)\s+)?(" + "|".join(sorted(_WEEKDAYS_EN, key=len, reverse=True))
                         + r")\b\.?", _I)
_KO_WEEKDAY = re.compile(r"(다음\s*주|담주|이번\s*주|다다음\s*주)?\s*([월화수목금토일])요일")
_IN_DAYS = re.compile(r"\bin\s+(\d{1,2}|a|one|two|three|four|five|six|seven)\s+(day|week)s?\b", _I)
_KO_IN_DAYS = re.compile(r"(\d{1,2})\s*일\s*(?:후|뒤)|(\d{1,2}|일|한|두|세)\s*주\s*(?:일\s*)?(?:후|뒤)")
_EN_MONTH_DAY = re.compile(r"\b(" + "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
                           + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
                           + "|".join(sorted(_MONTHS_EN, key=len, reverse=True)) + r")\b", _I)
_KO_MONTH_DAY = re.compile(r"(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "일": 1, "한": 1, "두": 2, "세": 3}


def parse_day(text: str, today: date) -> date | None:
    """The day ``text`` refers to, said on ``today``; None when it names no day."""
    # A named day beats "today": "nervous today about Friday's interview" is about Friday.
    for finder in (_explicit_date, _in_days, _weekday, _relative_word):
        found = finder(text, today)
        if found is not None:
            return found
    return None


def _explicit_date(text: str, today: date) -> date | None:
    if match := _ISO.search(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    month = day = None
    if match := _KO_MONTH_DAY.search(text):
        month, day = int(match[1]), int(match[2])
    elif match := _EN_MONTH_DAY.search(text):
        if match[1]:
            month, day = _MONTHS_EN[match[1].lower()], int(match[2])
        else:
            month, day = _MONTHS_EN[match[4].lower()], int(match[3])
    if month is None or day is None:
        return None
    found = _safe_date(today.year, month, day)
    if found is not None and found < today:  # "March 5" said in April means next year's
        found = _safe_date(today.year + 1, month, day)
    return found


def _relative_word(text: str, today: date) -> date | None:
    lowered = text.lower()
    if "day after tomorrow" in lowered or "내일모레" in text or "모레" in text:
        return today + timedelta(days=2)
    if re.search(r"\btomorrow\b", lowered) or "내일" in text:
        return today + timedelta(days=1)
    if re.search(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", lowered) or re.search(
            r"오늘|이따가", text):
        return today
    return None


def _in_days(text: str, today: date) -> date | None:
    if match := _IN_DAYS.search(text):
        count = int(match[1]) if match[1].isdigit() else _NUMBER_WORDS[match[1].lower()]
        return today + timedelta(days=count * (7 if match[2].lower() == "week" else 1))
    if match := _KO_IN_DAYS.search(text):
        if match[1]:
            return today + timedelta(days=int(match[1]))
        weeks = int(match[2]) if match[2].isdigit() else _NUMBER_WORDS[match[2]]
        return today + timedelta(weeks=weeks)
    return None


def _weekday(text: str, today: date) -> date | None:
    qualifier, target = "", None
    if match := _KO_WEEKDAY.search(text):
        qualifier = re.sub(r"\s", "", match[1] or "")
        qualifier = {"다음주": "next", "담주": "next", "다다음주": "after-next", "이번주": "this"}.get(qualifier, "")
        target = _WEEKDAYS_KO[match[2]]
    elif match := _EN_WEEKDAY.search(text):
        word = match[2].lower()
        if word == "sun" and not re.search(r"\bsun\.|\bon sun\b", text, _I):
            return None  # "the sun" is weather, not Sunday
        if word in {"sat", "wed"} and not re.search(rf"\bon {word}\b", text, _I):
            return None  # "I sat", "wed" as married: only "on Sat" counts
        qualifier = (match[1] or "").lower()
        target = _WEEKDAYS_EN[word]
    if target is None:
        return None
    if qualifier in {"next", "after-next"}:
        # "next Friday" / 다음 주 금요일: that day in the week after this one (weeks start on Monday).
        start_of_next_week = today + timedelta(days=7 - today.weekday())
        return start_of_next_week + timedelta(days=target + (7 if qualifier == "after-next" else 0))
    ahead = (target - today.weekday()) % 7
    if qualifier == "this":
        return today + timedelta(days=ahead)
    # A bare weekday means the next one to come; said on that very day it means a week on.
    return today + timedelta(days=ahead or 7)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
