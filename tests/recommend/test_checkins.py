"""Check-ins from remembered events, with a fake clock: opt-in, quiet hours, daily cap, snooze and stop."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kindred.localtime.person import set_person_zone
from kindred.memory.sql_store import open_sql_store
from kindred.recommend.checkins import (
    CheckinError,
    cancel_checkin,
    configure_checkins,
    deliver_due,
    due_checkins,
    list_checkins,
    schedule_after_low_mood,
    schedule_after_worry,
    schedule_from_memory,
    stop_checkins,
)

pytestmark = pytest.mark.both_engines

SEOUL = ZoneInfo("Asia/Seoul")
USER = "local"


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def set(self, day: int, hour: int, minute: int = 0) -> datetime:
        self.now = datetime(2025, 3, day, hour, minute, tzinfo=SEOUL)
        return self.now


@pytest.fixture
def db(settings):
    # The people here live in Seoul. The days and hours are theirs because their zone is stored, not because
    # the clock below carries it: the moment a caller passes is only an instant (tests/recommend/
    # test_checkins_local_time.py passes UTC ones).
    for user in (USER, "other"):
        set_person_zone(settings.database_location, user, "Asia/Seoul")
    return settings.database_location


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 12, 20, 0, tzinfo=SEOUL))  # Wednesday evening


def test_interview_on_friday_brings_a_check_in_on_saturday_and_none_in_quiet_hours(db, clock):
    configure_checkins(db, USER, enabled=True)
    checkin = schedule_from_memory(db, USER, "I have an interview on Friday", clock.now)
    assert checkin is not None
    local_due = checkin.due_at.astimezone(SEOUL)
    assert local_due.strftime("%A") == "Saturday" and local_due.date().isoformat() == "2025-03-15"
    assert checkin.message == "How did the interview go? I've been wondering."

    assert due_checkins(db, USER, clock.set(14, 18)) == []  # Friday: the interview is today
    assert due_checkins(db, USER, clock.set(14, 23, 30)) == []  # quiet hours, and not due yet
    assert due_checkins(db, USER, clock.set(15, 7, 0)) == []  # Saturday 07:00: quiet hours (22:00-08:00)
    assert due_checkins(db, USER, clock.set(15, 9, 59)) == []  # not due until 10:00
    due = due_checkins(db, USER, clock.set(15, 10, 30))
    assert [c.id for c in due] == [checkin.id]

    configure_checkins(db, USER, quiet=(time(21, 0), time(11, 0)))  # a late riser
    assert due_checkins(db, USER, clock.set(15, 10, 30)) == []
    delivered = deliver_due(db, USER, clock.set(15, 11, 5))
    assert [c.message for c in delivered] == [checkin.message]
    assert due_checkins(db, USER, clock.set(15, 12)) == []  # delivered once only


def test_korean_event_gets_a_korean_check_in_in_the_asked_register(db, clock):
    checkin = schedule_from_memory(db, USER, "금요일에 면접 있어", clock.now, language="ko")
    assert checkin.message.startswith("면접 어땠어")
    polite = schedule_from_memory(db, "other", "금요일에 면접 있어요", clock.now, language="ko",
                                  register_ko="jondaetmal")
    assert "어떠셨어요" in polite.message
    assert checkin.due_at.astimezone(SEOUL).date().isoformat() == "2025-03-15"


def test_nothing_is_delivered_without_opting_in(db, clock):
    schedule_from_memory(db, USER, "exam tomorrow", clock.now)
    assert len(list_checkins(db, USER)) == 1
    assert due_checkins(db, USER, clock.set(13, 12)) == []
    assert due_checkins(db, USER, clock.set(14, 12)) == []
    configure_checkins(db, USER, enabled=True)
    assert len(due_checkins(db, USER, clock.set(14, 12))) == 1


def test_no_event_or_no_day_schedules_nothing(db, clock):
    assert schedule_from_memory(db, USER, "I had a long day", clock.now) is None
    assert schedule_from_memory(db, USER, "my interview went badly", clock.now) is None  # no day: it's past
    assert list_checkins(db, USER) == []


def test_the_same_event_mentioned_twice_is_one_check_in(db, clock):
    first = schedule_from_memory(db, USER, "interview on Friday", clock.now)
    again = schedule_from_memory(db, USER, "so nervous about Friday's interview", clock.now + timedelta(hours=1))
    assert first.id == again.id and len(list_checkins(db, USER)) == 1


def test_daily_cap_snooze_and_expiry(db, clock):
    configure_checkins(db, USER, enabled=True)
    schedule_from_memory(db, USER, "exam on Thursday", clock.now)
    schedule_after_worry(db, USER, "money", clock.set(12, 20))  # due Friday 18:30
    # Both due on Friday evening; the cap of one a day holds the second back until Saturday.
    assert len(deliver_due(db, USER, clock.set(14, 19))) == 1
    assert deliver_due(db, USER, clock.set(14, 20)) == []
    configure_checkins(db, USER, snoozed_until=clock.set(15, 9) + timedelta(days=1))
    assert due_checkins(db, USER, clock.set(15, 12)) == []
    configure_checkins(db, USER, clear_snooze=True)
    assert len(due_checkins(db, USER, clock.set(15, 12))) == 1
    assert due_checkins(db, USER, clock.set(25, 12)) == []  # a week late: expired, never "how did it go?"


def test_cap_can_be_raised_and_bad_caps_are_refused(db, clock):
    configure_checkins(db, USER, enabled=True, daily_cap=2)
    schedule_from_memory(db, USER, "exam on Thursday", clock.now)
    schedule_after_worry(db, USER, "money", clock.now)
    assert len(due_checkins(db, USER, clock.set(14, 19))) == 2
    with pytest.raises(CheckinError):
        configure_checkins(db, USER, daily_cap=50)


def test_cancel_and_stop(db, clock):
    configure_checkins(db, USER, enabled=True)
    one = schedule_from_memory(db, USER, "exam tomorrow", clock.now)
    schedule_from_memory(db, USER, "dentist on Friday", clock.now)
    assert cancel_checkin(db, USER, one.id) == 1
    with pytest.raises(CheckinError) as info:
        cancel_checkin(db, USER, one.id)
    assert info.value.code == "checkin-missing"
    assert stop_checkins(db, USER) == 1
    assert list_checkins(db, USER) == [] and due_checkins(db, USER, clock.set(20, 12)) == []


def test_low_mood_run_schedules_tomorrow_evening(db, clock):
    assert schedule_after_low_mood(db, USER, [-0.6, -0.1, -0.7], clock.now) is None
    checkin = schedule_after_low_mood(db, USER, [-0.6, -0.5, -0.7], clock.now)
    assert checkin.due_at.astimezone(SEOUL).strftime("%a %H:%M") == "Thu 18:30"


def test_check_ins_are_per_user_and_survive_a_new_store(settings, db, clock):
    configure_checkins(db, USER, enabled=True)
    schedule_from_memory(db, USER, "interview on Friday", clock.now)
    store = open_sql_store(settings.database_location)  # a new session, a new connection
    assert len(due_checkins(store, USER, clock.set(15, 10, 30))) == 1
    assert due_checkins(store, "someone-else", clock.set(15, 10, 30)) == []
