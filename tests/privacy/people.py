"""Two people with data in every domain: turns, memories (with vectors, keyword terms and history),
feelings, safety events, learned preferences and feedback, suggestions, check-ins, a time zone, a web account
with a session, and reply ratings. Written through each domain's own code, on one real database."""
from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher

from kindred.learning.feedback import apply_feedback
from kindred.localtime.person import REPORTED, set_person_zone
from kindred.recommend.checkins import configure_checkins, schedule_from_memory
from kindred.recommend.recommender import recommend
from kindred.server.accounts import AccountBook
from kindred.server.db import ServerDatabase
from kindred.server.feedback import FeedbackBook

from ..memory.helpers import Harness

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Words no other text contains, so any trace of them anywhere is a trace of that person.
SECRETS = {"mina": "Zorblaxian", "jun": "Quillfeather"}


async def fill_person(h: Harness, user: str) -> None:
    word = SECRETS[user]
    now = datetime(2026, 1, 5, 10, tzinfo=UTC)
    await h.say(user, f"My sister is called {word}. I have an interview on Friday and I'm worried.",
                affect={"valence": -0.6, "arousal": 0.7, "labels": [["fear", 0.8]]})
    _, turn_id, _ = await h.say(user, f"I love hiking near {word} lake.")
    fact = next(m for m in await h.book.list(user, kind="fact") if word in m.text)
    await h.book.edit(user, fact.id, f"My sister is called {word}, she is 30.")  # a history row
    await h.store.add_affect(user=user, turn_id=turn_id, valence=-0.6, arousal=0.7, labels=[("fear", 0.8)])
    await h.store.add_safety_event(user=user, turn_id=turn_id, risk="low", category="distress",
                                   reasons=[f"said {word}"])
    location = h.store.location  # a SQLite file or a PostgreSQL URL, as each domain is given it
    apply_feedback(location, user, turn_id, "note", f"please call me {word}-friend and keep it short", now=now)
    assert recommend(location, user, {"valence": -0.5, "arousal": 0.6, "labels": []}, now, asked=True,
                     turn_id=turn_id, seed=1) is not None
    configure_checkins(location, user, enabled=True)
    set_person_zone(location, user, "Asia/Seoul", by=REPORTED)  # where the browser says they are
    assert schedule_from_memory(location, user, f"the {word} interview is on Friday", now) is not None
    db = ServerDatabase(location)
    accounts = AccountBook(db, FAST_HASHER)
    accounts.create(user, "a quiet evening", linked=True)
    accounts.issue_token(user)
    FeedbackBook(db).rate(user, turn_id, "up")
    db.close()
