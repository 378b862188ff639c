"""Memory's dates on the person's clock: "tomorrow" and "last weekend" where they live, timestamps in UTC.

2026-01-08 is a Thursday. 08:00 on it in Seoul is 23:00 on Wednesday in UTC; breakfast on Saturday
10 January in Seoul is still Friday in UTC.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kindred.localtime.person import set_person_zone

from .helpers import Harness

pytestmark = pytest.mark.both_engines


@pytest.fixture
def harness(locate):
    h = Harness(locate("memory.db"))
    yield h
    import asyncio

    asyncio.run(h.close())


async def test_tomorrow_is_the_day_after_her_today(harness):
    set_person_zone(harness.store, "mina", "Asia/Seoul")
    harness.clock.now = datetime(2026, 1, 7, 23, 0, tzinfo=UTC)  # Thursday 08:00 in Seoul
    await harness.say("mina", "I have an exam tomorrow and I'm nervous.")
    dated = [m.event_date for m in await harness.book.list("mina") if m.event_date]
    assert dated and set(dated) == {"2026-01-09"}  # Friday; UTC's "tomorrow" would be Thursday


async def test_last_weekend_is_her_weekend(harness):
    set_person_zone(harness.store, "mina", "Asia/Seoul")
    harness.clock.now = datetime(2026, 1, 9, 23, 0, tzinfo=UTC)  # Saturday 08:00 in Seoul
    await harness.say("mina", "Went hiking up Bukhansan with my sister.")
    harness.clock.now = datetime(2026, 1, 9, 11, 0, tzinfo=UTC)  # Friday 20:00 in Seoul: not the weekend
    await harness.say("mina", "Made kimchi stew for dinner.", new_session=True)

    asked = datetime(2026, 1, 14, 3, 0, tzinfo=UTC)  # the Wednesday after, at noon in Seoul
    found = await harness.recaller.search("mina", "what did I do last weekend?", now=asked)
    from_the_weekend = " | ".join(f.memory.text for f in found if "from last weekend" in f.reason)
    assert "Bukhansan" in from_the_weekend and "kimchi" not in from_the_weekend


async def test_without_a_zone_a_bare_book_keeps_utc_days(harness):
    harness.clock.now = datetime(2026, 1, 9, 23, 0, tzinfo=UTC)  # Friday in UTC
    await harness.say("jun", "Went hiking up Bukhansan with my sister.")
    found = await harness.recaller.search("jun", "what did I do last weekend?",
                                          now=datetime(2026, 1, 14, 3, 0, tzinfo=UTC))
    assert not [f for f in found if "from last weekend" in f.reason]
