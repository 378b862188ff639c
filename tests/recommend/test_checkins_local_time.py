"""Check-ins on the person's own clock, and each delivered once however many replicas deliver at once.

The clock here is UTC, as the turn loop's is: the person's days and hours come from their stored zone.
2026-01-08 is a Thursday; 08:00 in Seoul that morning is 23:00 on Wednesday in UTC.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kindred.database import open_database
from kindred.localtime.person import set_person_zone
from kindred.memory.sql_store import SQLStore, open_sql_store
from kindred.recommend.checkins import (
    configure_checkins,
    deliver_due,
    due_checkins,
    list_checkins,
    mark_delivered,
    schedule_from_memory,
)
from kindred.turn import Companion

from ..conftest import ScriptedChat

pytestmark = pytest.mark.both_engines

SEOUL = ZoneInfo("Asia/Seoul")
THURSDAY_MORNING_IN_SEOUL = datetime(2026, 1, 7, 23, 0, tzinfo=UTC)


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment given on the Seoul clock, handed over in UTC as the turn loop and the server do."""
    return datetime(2026, 1, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


@pytest.fixture
def db(settings):
    set_person_zone(settings.database_location, "mina", "Asia/Seoul")
    configure_checkins(settings.database_location, "mina", enabled=True)
    return settings.database_location


def test_exam_tomorrow_said_on_thursday_morning_in_seoul_is_asked_about_on_saturday_morning_there(db):
    checkin = schedule_from_memory(db, "mina", "I have an exam tomorrow", THURSDAY_MORNING_IN_SEOUL)
    assert checkin.reason == "event:exam:2026-01-09"  # Friday's exam, not Thursday's (UTC's "tomorrow")
    assert checkin.due_at.astimezone(SEOUL) == datetime(2026, 1, 10, 10, 0, tzinfo=SEOUL)
    assert checkin.due_at.tzinfo == UTC  # stored and returned in UTC

    assert deliver_due(db, "mina", seoul(9, 19)) == []  # Friday 19:00 there: the hour the old code picked
    assert deliver_due(db, "mina", seoul(10, 9, 59)) == []
    assert [c.id for c in deliver_due(db, "mina", seoul(10, 10, 5))] == [checkin.id]


def test_the_zone_setting_serves_a_person_who_has_not_named_one(settings):
    db = settings.database_location
    checkin = schedule_from_memory(db, "jun", "exam tomorrow", THURSDAY_MORNING_IN_SEOUL, default_zone="Asia/Seoul")
    assert checkin.due_at == seoul(10, 10)
    utc_person = schedule_from_memory(db, "ana", "exam tomorrow", THURSDAY_MORNING_IN_SEOUL, default_zone="UTC")
    assert utc_person.due_at == datetime(2026, 1, 9, 10, 0, tzinfo=UTC)  # Wednesday in UTC: Thursday's exam


def test_none_in_quiet_hours_on_their_clock(db):
    configure_checkins(db, "mina", quiet=(time(21, 0), time(11, 0)))  # a late riser, in Seoul
    checkin = schedule_from_memory(db, "mina", "exam tomorrow", THURSDAY_MORNING_IN_SEOUL)
    # 10:30 in Seoul is 01:30 in UTC: outside quiet hours by UTC's clock, inside them by hers.
    assert due_checkins(db, "mina", seoul(10, 10, 30)) == []
    assert deliver_due(db, "mina", seoul(10, 10, 30)) == []
    assert [c.id for c in deliver_due(db, "mina", seoul(10, 11, 5))] == [checkin.id]
    assert list_checkins(db, "mina", include_done=True)[0].status == "delivered"


def test_the_daily_cap_counts_her_day_not_utcs(db):
    today = schedule_from_memory(db, "mina", "exam today", THURSDAY_MORNING_IN_SEOUL)  # due Friday 10:00 there
    tomorrow = schedule_from_memory(db, "mina", "interview tomorrow", THURSDAY_MORNING_IN_SEOUL)  # Saturday
    # Saturday 08:30 in Seoul is still Friday in UTC; 10:30 there is Saturday in both. One day for her.
    assert [c.id for c in deliver_due(db, "mina", seoul(10, 8, 30))] == [today.id]
    assert deliver_due(db, "mina", seoul(10, 10, 30)) == []  # the cap of one a day holds on her day
    assert [c.id for c in deliver_due(db, "mina", seoul(11, 9, 0))] == [tomorrow.id]  # Sunday there


def test_a_turn_through_the_companion_plans_the_check_in_on_her_clock(settings, db):
    store = open_sql_store(db, clock=lambda: THURSDAY_MORNING_IN_SEOUL)  # the turn loop's clock, faked
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store)

    async def talk():
        return [e async for e in companion.turn("I have an exam tomorrow and I'm nervous", user="mina")]

    asyncio.run(talk())
    asyncio.run(store.close())
    [checkin] = list_checkins(db, "mina")
    assert checkin.due_at.astimezone(SEOUL) == datetime(2026, 1, 10, 10, 0, tzinfo=SEOUL)


def replica(db) -> SQLStore:
    """A store on a connection of its own, as another process has (``open_sql_store`` shares this one's)."""
    return SQLStore(open_database(db))


def test_a_claim_made_after_another_replica_delivered_gets_nothing(db, settings):
    checkin = schedule_from_memory(db, "mina", "exam tomorrow", THURSDAY_MORNING_IN_SEOUL)
    replica_a, replica_b = replica(db), replica(db)
    try:
        now = seoul(10, 10, 5)
        [seen_by_a] = due_checkins(replica_a, "mina", now)  # A looks first…
        assert [c.id for c in deliver_due(replica_b, "mina", now)] == [checkin.id]  # …B delivers…
        assert mark_delivered(replica_a, "mina", seen_by_a.id, now) is False  # …so A's claim finds it gone
        assert deliver_due(replica_a, "mina", now) == []
    finally:
        asyncio.run(replica_a.close())
        asyncio.run(replica_b.close())


def _race(db, user: str, now: datetime, deliverers: int = 2) -> list[int]:
    """Every deliverer, each on its own connection, calls deliver_due at the same instant; the ids delivered."""
    stores = [replica(db) for _ in range(deliverers)]
    start, got = threading.Barrier(deliverers), []
    lock = threading.Lock()

    def deliver(store) -> None:
        start.wait()
        found = deliver_due(store, user, now)
        with lock:
            got.extend(c.id for c in found)

    threads = [threading.Thread(target=deliver, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for store in stores:
        asyncio.run(store.close())
    return got


def test_deliverers_racing_on_separate_connections_deliver_each_check_in_once(settings):
    db = settings.database_location
    for round_ in range(8):  # several rounds: a race that is lost only sometimes is still caught
        user = f"racer-{round_}"
        set_person_zone(db, user, "Asia/Seoul")
        configure_checkins(db, user, enabled=True, daily_cap=1)
        schedule_from_memory(db, user, "exam tomorrow", THURSDAY_MORNING_IN_SEOUL)
        schedule_from_memory(db, user, "interview tomorrow", THURSDAY_MORNING_IN_SEOUL)
        delivered = _race(db, user, seoul(10, 10, 5), deliverers=3)
        assert len(delivered) == 1, f"round {round_}: {delivered}"  # once, and within the cap of one a day


def _deliver_in_a_process(db, user: str, now: datetime, start, results) -> None:
    start.wait()
    results.put([c.id for c in deliver_due(db, user, now)])


def test_two_processes_delivering_at_once_deliver_once(db):
    checkin = schedule_from_memory(db, "mina", "exam tomorrow", THURSDAY_MORNING_IN_SEOUL)
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as two `kindred serve` are
    start, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_deliver_in_a_process, args=(db, "mina", seoul(10, 10, 5), start, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    got = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(got, key=len) == [[], [checkin.id]]
    assert list_checkins(db, "mina", include_done=True)[0].status == "delivered"


def test_due_times_are_stored_in_utc(db):
    checkin = schedule_from_memory(db, "mina", "exam tomorrow", THURSDAY_MORNING_IN_SEOUL)
    from kindred.database.tables import Tables

    with Tables(db) as tables:
        [(due_text,)] = tables.read("SELECT due_at FROM checkins WHERE id = ?", (checkin.id,))
    assert due_text == "2026-01-10T01:00:00+00:00"
    assert checkin.expires_at - checkin.due_at == timedelta(days=3)
