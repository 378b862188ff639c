"""Dates and keyword terms in English and Korean."""
from datetime import date

import pytest

from kindred.memory.dates import find_span
from kindred.memory.terms import match_query, terms

WEDNESDAY = date(2026, 1, 7)


@pytest.mark.parametrize("text,start,end", [
    ("what did I do last weekend?", "2026-01-03", "2026-01-04"),
    ("지난주에 뭐 했지?", "2025-12-29", "2026-01-04"),
    ("지난 주말에 뭐 했어?", "2026-01-03", "2026-01-04"),
    ("my interview is tomorrow", "2026-01-08", "2026-01-08"),
    ("어제 친구 만났어", "2026-01-06", "2026-01-06"),
    ("다음 주 금요일에 면접 있어", "2026-01-16", "2026-01-16"),
    ("I saw her 3 days ago", "2026-01-04", "2026-01-04"),
    ("last month was hard", "2025-12-01", "2025-12-31"),
    ("on Friday", "2026-01-09", "2026-01-09"),
])
def test_relative_dates(text, start, end):
    span = find_span(text, WEDNESDAY)
    assert (span.start.isoformat(), span.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text,start,end", [
    ("What did Gina find on 1 February, 2023?", "2023-02-01", "2023-02-01"),
    ("What painting did she show on October 13, 2023?", "2023-10-13", "2023-10-13"),
    ("What setback did she face in October 2023?", "2023-10-01", "2023-10-31"),
    ("When did she go camping in June?", "2025-06-01", "2025-06-30"),  # the latest June begun: last year's
    ("When did she go camping in January?", "2026-01-01", "2026-01-31"),
    ("How many times in 2023?", "2023-01-01", "2023-12-31"),
    ("What did she do last weekend before April 10, 2023?", "2023-04-10", "2023-04-10"),  # the written anchor
    ("2023년 5월 3일에 누구랑 저녁 먹었지?", "2023-05-03", "2023-05-03"),
    ("2023년 10월에 뭐 했어?", "2023-10-01", "2023-10-31"),
])
def test_written_calendar_dates(text, start, end):
    span = find_span(text, WEDNESDAY)
    assert (span.start.isoformat(), span.end.isoformat()) == (start, end)


def test_no_date_named():
    assert find_span("I like tea", WEDNESDAY) is None
    assert find_span("You may be right", WEDNESDAY) is None  # the verb, not the month
    assert find_span("It was 31 June, 2023", WEDNESDAY).phrase == "june, 2023"  # no such day: the month


def test_korean_terms_drop_particles_and_match_inside_compounds():
    assert "면접" in terms("면접을 봤어") and "면접" in terms("면접이 내일이야")
    assert "시험" in terms("기말시험 끝났어")  # a bigram of the compound


def test_english_terms_skip_stopwords_and_stem():
    assert terms("I was hiking with my sisters") == ["hik", "sister"]
    assert match_query('what about "quotes" OR NEAR') == '"quot" OR "near"'  # operators and quotes neutralised
