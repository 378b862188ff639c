"""Time zones by IANA name, the machine's own zone, and moving between UTC and a wall clock."""
from __future__ import annotations

import difflib
import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..errors import ConfigError

EXAMPLES = "Asia/Seoul, Europe/London, America/New_York"


class TimeZoneError(ConfigError):
    code = "timezone-unknown"


def zone_named(name: str) -> tzinfo:
    """The zone an IANA name ("Asia/Seoul") stands for; "" is this machine's zone. Unknown: TimeZoneError."""
    name = name.strip()
    if not name:
        return machine_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a directory ("Asia"), a bad path
        raise unknown_zone(name) from exc


def unknown_zone(name: str) -> TimeZoneError:
    try:
        known = available_timezones()
    except OSError:
        known = set()
    if not known:  # no tz database at all (some Windows and container installs)
        return TimeZoneError(f"No time zones are installed, so '{name}' cannot be used.",
                             "pip install tzdata, or leave the zone empty to use this machine's.")
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6) or \
        [z for z in known if z.lower() == name.lower()]
    guess = f" Did you mean {close[0]}?" if close else ""
    return TimeZoneError(f"'{name}' is not a time zone Kindred knows.{guess}",
                         f"Use an IANA zone name such as {EXAMPLES}; leave it empty for this machine's zone.")


def machine_zone() -> tzinfo:
    """This machine's zone, with its daylight-saving rules where they can be found, else today's offset.

    The offset alone would put a check-in planned across a clock change an hour out, so the named
    zone is looked for first: ``TZ``, then where ``/etc/localtime`` points, then that file itself.
    """
    if tz := os.environ.get("TZ", "").lstrip(":"):
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass  # a POSIX rule like "KST-9": Python's own local time below honours it
        return datetime.now().astimezone().tzinfo or UTC
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return ZoneInfo(target.split("zoneinfo/", 1)[1])
        with open("/etc/localtime", "rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return datetime.now().astimezone().tzinfo or UTC


def zone_name(zone: tzinfo) -> str:
    """A name to show: the IANA key when there is one, else the abbreviation ("KST", "UTC+09:00")."""
    key = getattr(zone, "key", None)
    return key if key and key != "localtime" else (datetime.now(zone).tzname() or str(zone))


def local(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` on the wall clock of ``zone``. A naive moment is this machine's local time."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(zone)


def at_local(day: date, at: time, zone: tzinfo) -> datetime:
    """``day`` at ``at`` on the wall clock of ``zone``, as an aware moment."""
    return datetime.combine(day, at, tzinfo=zone)


def day_start_utc(day: date, zone: tzinfo) -> datetime:
    """The UTC moment ``day`` begins where ``zone`` is: the edge of a day in a query on UTC timestamps."""
    return at_local(day, time(0, 0), zone).astimezone(UTC)


def clock_of(holder: object) -> datetime:
    """Now, by ``holder``'s own clock where it has one (a store's ``clock``, which tests set), else the system's."""
    clock = getattr(holder, "clock", None)
    return clock() if callable(clock) else datetime.now(UTC)


def utc_text_edges(first: date, last: date, zone: tzinfo) -> tuple[str, str]:
    """Bounds ``low <= stamp < high`` of the days ``first`` … ``last`` (inclusive) on ``zone``'s clock, for ISO
    UTC timestamps compared as text, as the stores do. An edge at UTC midnight is written as the date alone
    (it sorts before every timestamp of its day, however precise), so in UTC this is a plain date range."""
    def edge(day: date) -> str:
        moment = day_start_utc(day, zone)
        return moment.date().isoformat() if moment.time() == time(0, 0) else moment.isoformat(timespec="seconds")

    return edge(first), edge(last + timedelta(days=1))
