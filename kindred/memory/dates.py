"""Dates in English and Korean ("last weekend", "지난주", "on Friday", "in May 2023") as date spans.

Used twice: a temporal question ("what did I do last weekend?") narrows recall to
what happened in that span, and an event mentioned in passing ("my interview is
tomorrow") gets a due date, so the next session can ask how it went.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # inclusive
    phrase: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS_KO = ["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"]
_KO_OFFSET = {"지난": -1, "저번": -1, "이번": 0, "다음": 1}
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "a couple of": 2, "a few": 3, "few": 3}


def _week(today: date, offset: int) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def _weekend(today: date, offset: int) -> tuple[date, date]:
    saturday = today - timedelta(days=today.weekday()) + timedelta(days=5, weeks=offset)
    return saturday, saturday + timedelta(days=1)


def _month(today: date, offset: int) -> tuple[date, date]:
    year, month = divmod(today.year * 12 + today.month - 1 + offset, 12)
    first = date(year, month + 1, 1)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _year(today: date, offset: int) -> tuple[date, date]:
    return date(today.year + offset, 1, 1), date(today.year + offset, 12, 31)


def _weekday(today: date, index: int, direction: int) -> tuple[date, date]:
    if direction < 0:
        back = (today.weekday() - index) % 7 or 7
        day = today - timedelta(days=back)
    else:
        ahead = (index - today.weekday()) % 7 or 7
        day = today + timedelta(days=ahead)
    return day, day


def _day(today: date, offset: int) -> tuple[date, date]:  # also: a week's Monday + weekday index
    day = today + timedelta(days=offset)
    return day, day


# (pattern, function of (today, match) -> (start, end)); checked in order, longer phrases first.
_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"\bday after tomorrow\b|모레"), lambda t, m: _day(t, 2)),
    (re.compile(r"\bday before yesterday\b|그저께|그제"), lambda t, m: _day(t, -2)),
    (re.compile(r"(지난|저번|이번|다음)\s?주\s?(월요일|화요일|수요일|목요일|금요일|토요일|일요일)"),
     lambda t, m: _day(_week(t, _KO_OFFSET[m.group(1)])[0], WEEKDAYS_KO.index(m.group(2)))),
    (re.compile(r"\b(last|past) weekend\b|지난\s?주말|저번\s?주말"), lambda t, m: _weekend(t, -1)),
    (re.compile(r"\bthis weekend\b|이번\s?주말"), lambda t, m: _weekend(t, 0)),
    (re.compile(r"\bnext weekend\b|다음\s?주말"), lambda t, m: _weekend(t, 1)),
    (re.compile(r"\b(last|past) week\b|지난\s?주|저번\s?주"), lambda t, m: _week(t, -1)),
    (re.compile(r"\bthis week\b|이번\s?주"), lambda t, m: _week(t, 0)),
    (re.compile(r"\bnext week\b|다음\s?주"), lambda t, m: _week(t, 1)),
    (re.compile(r"\blast month\b|지난\s?달|저번\s?달"), lambda t, m: _month(t, -1)),
    (re.compile(r"\bthis month\b|이번\s?달"), lambda t, m: _month(t, 0)),
    (re.compile(r"\bnext month\b|다음\s?달"), lambda t, m: _month(t, 1)),
    (re.compile(r"\blast year\b|작년"), lambda t, m: _year(t, -1)),
    (re.compile(r"\bnext year\b|내년"), lambda t, m: _year(t, 1)),
    (re.compile(r"\b(\d+|a|one|two|three|four|five|six|seven|a few|a couple of) days? ago\b"),
     lambda t, m: _day(t, -_count(m.group(1)))),
    (re.compile(r"(\d+)\s?일\s?전"), lambda t, m: _day(t, -int(m.group(1)))),
    (re.compile(r"\bin (\d+|a|one|two|three|four|five|six|seven|a few|a couple of) days?\b"),
     lambda t, m: _day(t, _count(m.group(1)))),
    (re.compile(r"(\d+)\s?일\s?(후|뒤)"), lambda t, m: _day(t, int(m.group(1)))),
    (re.compile(r"\b(last|this|next|on)?\s?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
     lambda t, m: _weekday(t, WEEKDAYS_EN.index(m.group(2)), -1 if m.group(1) == "last" else 1)),
    (re.compile(r"(지난|저번|이번|다음)?\s?(월요일|화요일|수요일|목요일|금요일|토요일|일요일)"),
     lambda t, m: _weekday(t, WEEKDAYS_KO.index(m.group(2)), -1 if m.group(1) in ("지난", "저번") else 1)),
    (re.compile(r"\btomorrow\b|내일"), lambda t, m: _day(t, 1)),
    (re.compile(r"\byesterday\b|어제"), lambda t, m: _day(t, -1)),
    (re.compile(r"\btoday\b|\btonight\b|오늘"), lambda t, m: _day(t, 0)),
    (re.compile(r"\brecently\b|\blately\b|최근|요즘"), lambda t, m: (t - timedelta(days=14), t)),
]


# Calendar dates written out ("on 7 May, 2023", "May 7, 2023", "in October 2023", "in June"). They come
# before the relative phrases: in "last weekend before April 10, 2023" the written date is the anchor.
MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"]
_MONTH = "(" + "|".join(MONTHS_EN) + ")"
_CALENDAR: list[tuple[re.Pattern[str], object]] = [
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b"),
     lambda t, m: _on(int(m.group(3)), m.group(2), int(m.group(1)))),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"),
     lambda t, m: _on(int(m.group(3)), m.group(1), int(m.group(2)))),
    (re.compile(rf"\b{_MONTH},?\s+(\d{{4}})\b"), lambda t, m: _whole_month(int(m.group(2)), m.group(1))),
    # A bare month only after a preposition, so the verb "may" is never read as a month.
    (re.compile(rf"\b(?:in|during|since|of|early|late|mid)\s+{_MONTH}\b(?!\s+\d)"),
     lambda t, m: _whole_month(_latest_year(t, m.group(1)), m.group(1))),
    (re.compile(r"(\d{4})\s?년\s?(\d{1,2})\s?월\s?(\d{1,2})\s?일"),
     lambda t, m: _on(int(m.group(1)), MONTHS_EN[int(m.group(2)) - 1], int(m.group(3)))),
    (re.compile(r"(\d{4})\s?년\s?(\d{1,2})\s?월"),
     lambda t, m: _whole_month(int(m.group(1)), MONTHS_EN[int(m.group(2)) - 1])),
    (re.compile(r"\b(?:in|during|since)\s+((?:19|20)\d\d)\b|((?:19|20)\d\d)\s?년"),
     lambda t, m: _year(date(int(m.group(1) or m.group(2)), 1, 1), 0)),
]


def _on(year: int, month: str, day: int) -> tuple[date, date]:
    when = date(year, MONTHS_EN.index(month) + 1, day)
    return when, when


def _whole_month(year: int, month: str) -> tuple[date, date]:
    return _month(date(year, MONTHS_EN.index(month) + 1, 1), 0)


def _latest_year(today: date, month: str) -> int:
    """A month named without a year is the latest one that has begun ("in June", asked in January: last June)."""
    return today.year if MONTHS_EN.index(month) + 1 <= today.month else today.year - 1


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1)


def find_span(text: str, today: date) -> Span | None:
    """The date the text names — a written calendar date first, else the first relative one, resolved against
    ``today``; None when it names none (or names an impossible day, like 31 June)."""
    lowered = text.lower()
    for pattern, resolve in _CALENDAR + _RULES:
        match = pattern.search(lowered)
        if match:
            try:
                start, end = resolve(today, match)  # type: ignore[operator]
            except ValueError:
                continue
            return Span(start, end, match.group(0).strip())
    return None


def is_past_question(text: str) -> bool:
    """Does the question look back in time ("what did I do", "뭐 했지") rather than ahead?"""
    lowered = text.lower()
    return bool(re.search(r"\b(did|was|were|went|had|ago|last)\b|했|었|였|갔", lowered))
