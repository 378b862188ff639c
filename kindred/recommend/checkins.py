"""Check-ins Kindred starts herself: "how did the interview go?" the day after it.

Scheduled from memory (an upcoming event, an unresolved worry, a run of low
mood); delivered only when the person has opted in, outside their quiet hours,
within a daily cap, and not while snoozed. Time is always passed in, so tests
use a fake clock. ``now`` is a moment (naive: the machine's local time); days,
mornings and quiet hours are on the person's own clock, in their stored zone
(kindred.localtime), else ``default_zone`` (the ``timezone`` setting), else the
machine's. Timestamps are stored in UTC.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta, tzinfo

from ..database.tables import DatabaseSource
from ..database.timestamps import parse_utc, utc_text
from ..errors import KindredError
from ..localtime import at_local, day_start_utc, local
from ..localtime.person import person_zone
from .checkins_repo import CheckinsRepo
from .when import parse_day

CHECKIN_HOUR = time(10, 0)  # the morning after: late enough to be awake, early enough to matter
EVENING_HOUR = time(18, 30)
EXPIRES_AFTER = timedelta(days=3)  # "how did it go?" a week later would be strange
LOW_MOOD_RUN = 3
LOW_MOOD_VALENCE = -0.35

# Events worth asking about afterwards, EN and KO, with how to name them in the message.
_EVENTS = [(re.compile(p, re.IGNORECASE), en, ko) for p, en, ko in [
    (r"\binterview", "interview", "면접"), (r"\b(?:exam|test|midterm|final)s?\b", "exam", "시험"),
    (r"\bpresentation|\bpitch\b", "presentation", "발표"),
    (r"\bdoctor|\bappointment|\bcheck-?up", "appointment", "진료"),
    (r"\bdentist", "dentist visit", "치과"), (r"\bsurgery|\boperation\b", "surgery", "수술"),
    (r"\baudition", "audition", "오디션"), (r"\bfirst day\b", "first day", "첫 출근"),
    (r"\b(?:date|blind date)\b", "date", "데이트"), (r"\bwedding", "wedding", "결혼식"),
    (r"\bfuneral", "funeral", "장례식"), (r"\bresults?\b", "results", "결과 발표"),
    (r"\bmeeting\b", "meeting", "회의"), (r"\b(?:move|moving)\b", "move", "이사"),
    (r"\btherapy", "therapy session", "상담"),
    (r"면접", "interview", "면접"), (r"시험", "exam", "시험"), (r"발표", "presentation", "발표"),
    (r"병원|진료", "appointment", "진료"), (r"치과", "dentist visit", "치과"), (r"수술", "surgery", "수술"),
    (r"오디션", "audition", "오디션"), (r"첫\s*출근", "first day", "첫 출근"), (r"데이트|소개팅", "date", "데이트"),
    (r"결혼식", "wedding", "결혼식"), (r"장례", "funeral", "장례식"), (r"회의|미팅", "meeting", "회의"),
    (r"이사", "move", "이사"), (r"상담", "therapy session", "상담"),
]]


class CheckinError(KindredError):
    code = "checkin-invalid"
    exit_code = 2


@dataclass(frozen=True)
class CheckIn:
    id: int
    reason: str  # event:<name>:<day> | worry:<topic> | low-mood
    message: str
    language: str
    due_at: datetime  # UTC
    expires_at: datetime  # UTC
    status: str  # pending | delivered | cancelled | expired
    source_text: str = ""


@dataclass(frozen=True)
class CheckinSettings:
    enabled: bool = False  # opt-in
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)
    daily_cap: int = 1
    snoozed_until: datetime | None = None


def find_event(text: str) -> tuple[str, str] | None:
    """(English name, Korean name) of the first event a message mentions, if any."""
    for pattern, en, ko in _EVENTS:
        if pattern.search(text):
            return en, ko
    return None


def schedule_from_memory(db_path: DatabaseSource, user: str, text: str, said_at: datetime, *,
                         language: str = "en", register_ko: str = "banmal", default_zone: str = "") -> CheckIn | None:
    """A check-in the morning after an event the text mentions ("interview on Friday"); None without one.

    "Tomorrow" is the day after the person's today, where they are: "exam tomorrow" said in Seoul on
    Thursday at 08:00 (still Wednesday in UTC) is Friday's exam, asked about on Saturday at 10:00 there."""
    event = find_event(text)
    if event is None:
        return None
    zone = _zone(db_path, user, default_zone)
    today = local(said_at, zone).date()
    day = parse_day(text, today)
    if day is None or day < today:
        return None
    en, ko = event
    if language == "ko":
        message = f"{ko} 어땠어? 계속 궁금했어." if register_ko == "banmal" else f"{ko} 어떠셨어요? 계속 궁금했어요."
    else:
        message = f"How did the {en} go? I've been wondering."
    due = at_local(day + timedelta(days=1), CHECKIN_HOUR, zone)
    return _add(db_path, user, f"event:{en}:{day.isoformat()}", message, language, due, text, said_at)


def schedule_after_worry(db_path: DatabaseSource, user: str, topic: str, said_at: datetime, *,
                         language: str = "en", register_ko: str = "banmal", days: int = 2,
                         default_zone: str = "") -> CheckIn | None:
    """An evening check-in a couple of days after an unresolved worry (``topic``: a short noun phrase)."""
    topic = " ".join(topic.split())[:60]
    if not topic:
        return None
    if language == "ko":
        message = (f"요즘 {topic} 때문에 걱정하던 거, 좀 어때?" if register_ko == "banmal"
                   else f"요즘 {topic} 때문에 걱정하시던 거, 좀 어떠세요?")
    else:
        message = f"You were worried about {topic}. How are you feeling about it now?"
    zone = _zone(db_path, user, default_zone)
    due = at_local(local(said_at, zone).date() + timedelta(days=days), EVENING_HOUR, zone)
    return _add(db_path, user, f"worry:{topic.lower()}", message, language, due, topic, said_at)


def schedule_after_low_mood(db_path: DatabaseSource, user: str, valences: Sequence[float], now: datetime, *,
                            language: str = "en", register_ko: str = "banmal",
                            default_zone: str = "") -> CheckIn | None:
    """A check-in tomorrow evening after a run of low readings (newest last)."""
    recent = list(valences)[-LOW_MOOD_RUN:]
    if len(recent) < LOW_MOOD_RUN or max(recent) > LOW_MOOD_VALENCE:
        return None
    if language == "ko":
        message = "어제 많이 힘들어 보였어. 오늘은 좀 어때?" if register_ko == "banmal" else \
            "어제 많이 힘들어 보이셨어요. 오늘은 좀 어떠세요?"
    else:
        message = "You seemed to be having a hard time yesterday. How are you today?"
    zone = _zone(db_path, user, default_zone)
    due = at_local(local(now, zone).date() + timedelta(days=1), EVENING_HOUR, zone)
    return _add(db_path, user, "low-mood", message, language, due, "", now)


def due_checkins(db_path: DatabaseSource, user: str, now: datetime, *, default_zone: str = "") -> list[CheckIn]:
    """Check-ins that would be delivered now (nothing is marked): opted in, not snoozed, outside quiet hours,
    within today's cap, all on the person's clock."""
    zone = _zone(db_path, user, default_zone)
    with CheckinsRepo.opened(db_path) as checkins:
        return _due(checkins, user, now, zone)


def deliver_due(db_path: DatabaseSource, user: str, now: datetime, *, default_zone: str = "") -> list[CheckIn]:
    """The due check-ins, each claimed for this caller alone: call when `kindred chat` starts or the page is open.

    Two replicas (or a terminal and a page) may deliver for one person at the same moment. One transaction
    first locks the person's settings row, so the second waits and then counts today's deliveries afresh
    (the daily cap holds across replicas); each check-in then changes hands in one conditional UPDATE whose
    row count says who has it, so a check-in is delivered once whatever the timing.
    """
    zone = _zone(db_path, user, default_zone)
    with CheckinsRepo.opened(db_path) as checkins:
        if not _due(checkins, user, now, zone):
            return []  # the usual answer to an open page's look each minute: no write, no lock
        with checkins.transaction() as locked:
            if not locked.lock_settings(user):
                return []  # no settings row: never opted in
            due = _due(locked, user, now, zone)  # again, under the lock: another replica may have delivered
            claimed = [c for c in due if locked.claim(user, c.id, utc_text(now, timespec="seconds"))]
    return [replace(c, status="delivered") for c in claimed]


def mark_delivered(db_path: DatabaseSource, user: str, checkin_id: int, now: datetime) -> bool:
    """Claim one pending check-in as delivered; True only for the one caller that got it."""
    with CheckinsRepo.opened(db_path) as checkins:
        return checkins.claim(user, checkin_id, utc_text(now, timespec="seconds"))


def _due(checkins: CheckinsRepo, user: str, now: datetime, zone: tzinfo) -> list[CheckIn]:
    row = checkins.settings(user)
    settings = _settings(row) if row else CheckinSettings()
    wall = local(now, zone)
    if not settings.enabled or in_quiet_hours(wall.time(), settings):
        return []
    if settings.snoozed_until is not None and now.astimezone(UTC) < settings.snoozed_until:
        return []
    start_of_day = utc_text(day_start_utc(wall.date(), zone), timespec="seconds")
    room = settings.daily_cap - checkins.delivered_since(user, start_of_day)
    if room <= 0:
        return []
    return [_checkin(row) for row in checkins.due(user, utc_text(now, timespec="seconds"), room)]


def list_checkins(db_path: DatabaseSource, user: str, *, include_done: bool = False) -> list[CheckIn]:
    with CheckinsRepo.opened(db_path) as checkins:
        rows = checkins.listed(user, include_done=include_done)
    return [_checkin(row) for row in rows]


def cancel_checkin(db_path: DatabaseSource, user: str, checkin_id: int | None = None) -> int:
    """Cancel one pending check-in, or all of them when ``checkin_id`` is None; returns how many."""
    with CheckinsRepo.opened(db_path) as checkins:
        cancelled = checkins.cancel(user, checkin_id)
    if checkin_id is not None and not cancelled:
        raise CheckinError(f"There is no pending check-in {checkin_id}.", "`kindred checkins list` shows them.",
                           code="checkin-missing")
    return cancelled


def checkin_settings(db_path: DatabaseSource, user: str) -> CheckinSettings:
    with CheckinsRepo.opened(db_path) as checkins:
        row = checkins.settings(user)
    return _settings(row) if row else CheckinSettings()


def _settings(row: tuple) -> CheckinSettings:
    enabled, start, end, cap, snoozed = row
    return CheckinSettings(bool(enabled), time.fromisoformat(start), time.fromisoformat(end), int(cap),
                           parse_utc(snoozed) if snoozed else None)


def configure_checkins(db_path: DatabaseSource, user: str, *, enabled: bool | None = None,
                       quiet: tuple[time, time] | None = None, daily_cap: int | None = None,
                       snoozed_until: datetime | None = None, clear_snooze: bool = False) -> CheckinSettings:
    """Opt in or out, set quiet hours, the daily cap, or a snooze; unspecified values stay."""
    if daily_cap is not None and not 0 <= daily_cap <= 10:
        raise CheckinError(f"A daily cap of {daily_cap} is out of range.", "Choose 0 to 10 check-ins a day.")
    current = checkin_settings(db_path, user)
    start, end = quiet or (current.quiet_start, current.quiet_end)
    snooze = None if clear_snooze else (snoozed_until or current.snoozed_until)
    with CheckinsRepo.opened(db_path) as checkins:
        checkins.save_settings(user, (int(current.enabled if enabled is None else enabled), start.isoformat("minutes"),
                                      end.isoformat("minutes"), current.daily_cap if daily_cap is None else daily_cap,
                                      utc_text(snooze, timespec="seconds") if snooze else None))
    return checkin_settings(db_path, user)


def stop_checkins(db_path: DatabaseSource, user: str) -> int:
    """Opt out and cancel everything pending; returns how many were cancelled."""
    configure_checkins(db_path, user, enabled=False)
    return cancel_checkin(db_path, user)


def in_quiet_hours(moment: time, settings: CheckinSettings) -> bool:
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # spans midnight, e.g. 22:00–08:00


def _checkin(row: tuple) -> CheckIn:
    return CheckIn(row[0], row[1], row[2], row[3], parse_utc(row[4]), parse_utc(row[5]), row[6], row[7])


def _add(db_path: DatabaseSource, user: str, reason: str, message: str, language: str, due: datetime,
         source: str, now: datetime) -> CheckIn:
    with CheckinsRepo.opened(db_path) as checkins:
        # The same event mentioned twice is one check-in (UNIQUE on user, reason, due).
        row = checkins.add(user, reason, source[:300], message, language, utc_text(due, timespec="seconds"),
                           utc_text(due + EXPIRES_AFTER, timespec="seconds"), utc_text(now, timespec="seconds"))
    return _checkin(row)


def _zone(db_path: DatabaseSource, user: str, default_zone: str) -> tzinfo:
    return person_zone(db_path, user, default_zone).zone
