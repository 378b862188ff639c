"""Days from how people say them, in English and Korean."""
from datetime import date

import pytest

from kindred.recommend.when import parse_day

WEDNESDAY = date(2025, 3, 12)


@pytest.mark.parametrize("text, expected", [
    ("I have an interview on Friday", date(2025, 3, 14)),
    ("Friday!", date(2025, 3, 14)),
    ("this Friday", date(2025, 3, 14)),
    ("next Friday", date(2025, 3, 21)),
    ("on Wednesday", date(2025, 3, 19)),  # said on a Wednesday: the next one
    ("on Sat", date(2025, 3, 15)),
    ("금요일에 면접 있어", date(2025, 3, 14)),
    ("다음 주 금요일에 시험", date(2025, 3, 21)),
    ("일요일에", date(2025, 3, 16)),
    ("tomorrow", date(2025, 3, 13)),
    ("내일 발표야", date(2025, 3, 13)),
    ("모레", date(2025, 3, 14)),
    ("내일모레", date(2025, 3, 14)),
    ("오늘 시험", date(2025, 3, 12)),
    ("nervous today about Friday's interview", date(2025, 3, 14)),
    ("in 3 days", date(2025, 3, 15)),
    ("in a week", date(2025, 3, 19)),
    ("3일 후에", date(2025, 3, 15)),
    ("March 20", date(2025, 3, 20)),
    ("the 20th of March", date(2025, 3, 20)),
    ("3월 5일", date(2026, 3, 5)),  # already past this year
    ("2025-04-01", date(2025, 4, 1)),
])
def test_days_are_found(text, expected):
    assert parse_day(text, WEDNESDAY) == expected


@pytest.mark.parametrize("text", ["no date here", "the sun is out", "I sat down", "February 30"])
def test_no_day_is_invented(text):
    assert parse_day(text, WEDNESDAY) is None
