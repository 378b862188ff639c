"""Each person's stored zone: chosen by them, reported by their browser, or the default; on both engines."""
import pytest

from kindred.cli import main
from kindred.database.tables import Tables
from kindred.localtime import TimeZoneError
from kindred.localtime.person import REPORTED, forget_person_zone, person_zone, set_person_zone

pytestmark = pytest.mark.both_engines


@pytest.fixture
def db(settings):
    return settings.database_location


def test_without_a_stored_zone_the_setting_then_the_machine_decides(db, monkeypatch):
    assert person_zone(db, "mina", "Asia/Seoul").name == "Asia/Seoul"
    assert person_zone(db, "mina", "Asia/Seoul").set_by == "setting"
    monkeypatch.setenv("TZ", "Europe/London")
    assert (person_zone(db, "mina").name, person_zone(db, "mina").set_by) == ("Europe/London", "machine")


def test_a_chosen_zone_outranks_the_browser_and_a_reported_one_follows_the_browser(db):
    assert set_person_zone(db, "mina", "Europe/London", by=REPORTED).name == "Europe/London"
    assert set_person_zone(db, "mina", "Asia/Tokyo", by=REPORTED).name == "Asia/Tokyo"  # she travelled
    assert set_person_zone(db, "mina", "Asia/Seoul").set_by == "person"
    kept = set_person_zone(db, "mina", "America/New_York", by=REPORTED)
    assert (kept.name, kept.set_by) == ("Asia/Seoul", "person")  # a laptop on home time stays on it
    assert person_zone(db, "jun", "UTC").name == "UTC"  # one person's zone is theirs alone
    forget_person_zone(db, "mina")
    assert person_zone(db, "mina", "UTC").set_by == "setting"


def test_an_unknown_zone_is_refused_and_nothing_is_stored(db):
    with pytest.raises(TimeZoneError) as refused:
        set_person_zone(db, "mina", "Asia/Seol")
    assert refused.value.code == "timezone-unknown" and "Asia/Seoul" in refused.value.message
    with Tables(db) as tables:
        assert tables.read("SELECT COUNT(*) FROM person_timezones")[0][0] == 0


def test_a_stored_zone_this_machine_does_not_know_falls_back_without_failing(db, caplog):
    with Tables(db) as tables:  # written by a machine with a newer tz database
        tables.write("INSERT INTO person_timezones(user_id, timezone, set_by, updated_at) "
                     "VALUES ('mina', 'Atlantis/Capital', 'person', '2026-01-01T00:00:00+00:00')")
    assert person_zone(db, "mina", "Asia/Seoul").name == "Asia/Seoul"
    assert "[timezone-unknown]" in caplog.text


def test_kindred_checkins_tz_shows_sets_refuses_and_forgets(home, capsys):
    assert main(["checkins", "tz"]) == 0
    assert "this machine's" in capsys.readouterr().out
    assert main(["checkins", "tz", "Asia/Seoul"]) == 0
    assert "Asia/Seoul (your choice)" in capsys.readouterr().out
    assert main(["checkins", "tz", "Asia/Seol"]) == 2
    printed = capsys.readouterr()
    assert "[timezone-unknown]" in printed.err and "Did you mean Asia/Seoul?" in printed.err
    assert main(["checkins", "list", "--json"]) == 0
    assert '"timezone": "Asia/Seoul"' in capsys.readouterr().out
    assert main(["checkins", "tz", "auto"]) == 0
    assert "this machine's" in capsys.readouterr().out
