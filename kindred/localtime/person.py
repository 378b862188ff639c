"""Each person's time zone: the one they chose, else the one their browser reports, else the default.

The default is the ``timezone`` setting, and without one this machine's zone. A zone the
person chose is kept when the page reports another: they may keep a laptop on home time
while abroad. A reported one follows them as they travel.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from ..database.tables import DatabaseSource
from ..database.timestamps import utc_text
from .zones import TimeZoneError, zone_name, zone_named
from .zones_repo import ZonesRepo

log = logging.getLogger("kindred.localtime")
CHOSEN, REPORTED = "person", "browser"


@dataclass(frozen=True)
class PersonZone:
    zone: tzinfo
    name: str
    set_by: str  # person | browser | setting (the timezone setting) | machine


def person_zone(source: DatabaseSource, user: str, default: str = "") -> PersonZone:
    """The zone ``user`` lives in. ``default``: the ``timezone`` setting ("" for this machine's)."""
    with ZonesRepo.opened(source) as zones:
        stored = zones.get(user)
    if stored:
        name, set_by = stored
        try:
            return PersonZone(zone_named(name), name, set_by)
        except TimeZoneError as exc:  # stored by a machine whose tz database knew it: fall back, never fail
            log.warning("[%s] %s Using the default zone for now.", exc.code, exc.message)
    zone = zone_named(default)
    return PersonZone(zone, zone_name(zone), "setting" if default.strip() else "machine")


def set_person_zone(source: DatabaseSource, user: str, name: str, *, by: str = CHOSEN,
                    now: datetime | None = None) -> PersonZone:
    """Store ``user``'s zone; ``by``: CHOSEN (the person) or REPORTED (their browser). Returns the zone in effect,
    which for a report is the person's own choice where they made one. An unknown name raises TimeZoneError."""
    name = name.strip()
    if not name:
        raise TimeZoneError("No time zone was given.", "Name one, such as Asia/Seoul; `kindred checkins tz auto` "
                            "goes back to the browser's or this machine's.")
    zone_named(name)
    if by not in (CHOSEN, REPORTED):
        raise ValueError(f"set_person_zone: by must be {CHOSEN!r} or {REPORTED!r}, not {by!r}")
    stamp = utc_text(now or datetime.now(UTC), timespec="seconds")
    with ZonesRepo.opened(source) as zones:
        zones.put(user, name, by, stamp, keep_choice=by == REPORTED)  # a report never replaces a choice
    return person_zone(source, user)


def forget_person_zone(source: DatabaseSource, user: str) -> None:
    """Back to following the browser, the setting or the machine."""
    with ZonesRepo.opened(source) as zones:
        zones.forget(user)
