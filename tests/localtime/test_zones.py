"""Zone names, this machine's zone, and the UTC edges of a person's days."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kindred.errors import ConfigError
from kindred.localtime import TimeZoneError, local, machine_zone, utc_text_edges, zone_name, zone_named

SEOUL = ZoneInfo("Asia/Seoul")


def test_a_zone_is_named_the_iana_way_and_empty_means_this_machine():
    assert zone_named("Asia/Seoul") == SEOUL
    assert zone_named(" Europe/London ").key == "Europe/London"
    now = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert zone_named("").utcoffset(now) == machine_zone().utcoffset(now)


@pytest.mark.parametrize("name, guess", [("Asia/Seol", "Asia/Seoul"), ("asia/seoul", "Asia/Seoul"),
                                         ("Asia", None), ("Mars/Olympus_Mons", None), ("../../etc/passwd", None),
                                         ("KST", None)])
def test_an_unknown_zone_is_a_coded_error_with_the_fix(name, guess):
    with pytest.raises(TimeZoneError) as refused:
        zone_named(name)
    error = refused.value
    assert isinstance(error, ConfigError) and error.code == "timezone-unknown"
    assert name in error.message and "Asia/Seoul" in error.hint
    if guess:
        assert f"Did you mean {guess}?" in error.message


def test_the_machine_zone_keeps_its_daylight_saving_rules(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/London")
    zone = machine_zone()
    assert zone_name(zone) == "Europe/London"
    winter, summer = datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC)
    assert zone.utcoffset(winter).total_seconds() == 0 and zone.utcoffset(summer).total_seconds() == 3600


def test_local_reads_a_moment_on_the_persons_clock():
    wednesday_night_utc = datetime(2026, 1, 7, 23, 0, tzinfo=UTC)
    assert local(wednesday_night_utc, SEOUL).strftime("%A %H:%M") == "Thursday 08:00"


def test_a_seoul_weekend_begins_on_friday_afternoon_in_utc():
    low, high = utc_text_edges(date(2026, 1, 10), date(2026, 1, 11), SEOUL)
    assert (low, high) == ("2026-01-09T15:00:00+00:00", "2026-01-11T15:00:00+00:00")
    saturday_breakfast = "2026-01-09T23:00:00.000000+00:00"  # as the stores write happened_at
    assert low <= saturday_breakfast < high
    assert not low <= "2026-01-09T14:59:59.999999+00:00" < high  # Friday 23:59 in Seoul
    # In UTC the edges are plain dates, the range the stores always used.
    assert utc_text_edges(date(2026, 1, 10), date(2026, 1, 11), UTC) == ("2026-01-10", "2026-01-12")
