"""Time as the person lives it: their zone, their "tomorrow", their mornings and quiet hours.

Every timestamp is stored in UTC. A zone is applied only at the edges, where a day or an
hour on the person's own clock matters: the day "tomorrow" names, the morning after an
event, quiet hours, "last weekend". ``zones``: names, the machine's zone, converting;
``person``: each person's stored zone (chosen by them, or reported by their browser).
"""
from __future__ import annotations

from .zones import (
    TimeZoneError,
    at_local,
    clock_of,
    day_start_utc,
    local,
    machine_zone,
    utc_text_edges,
    zone_name,
    zone_named,
)

__all__ = ["TimeZoneError", "at_local", "clock_of", "day_start_utc", "local", "machine_zone", "utc_text_edges",
           "zone_name", "zone_named"]
