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


def test_no_date_named():
    assert find_span("I like tea", WEDNESDAY) is None


def test_korean_terms_drop_particles_and_match_inside_compounds():
    assert "면접" in terms("면접을 봤어") and "면접" in terms("면접이 내일이야")
    assert "시험" in terms("기말시험 끝났어")  # a bigram of the compound


def test_english_terms_skip_stopwords_and_stem():
    assert terms("I was hiking with my sisters") == ["hik", "sister"]
    assert match_query('what about "quotes" OR NEAR') == '"quot" OR "near"'  # operators and quotes neutralised
