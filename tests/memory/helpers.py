"""A small harness: a store with a movable clock, a memory book with the fake embedder, and a way to talk."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kindred.memory.book import MemoryBook
from kindred.memory.embedder import HashEmbedder
from kindred.memory.recall import HybridRecaller
from kindred.memory.remember import Rememberer
from kindred.memory.sql_store import open_sql_store


class Clock:
    def __init__(self, start: datetime = datetime(2026, 1, 5, 10, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Harness:
    def __init__(self, location: Path | str, embedder=None, model=None) -> None:
        """``location``: a SQLite file or a PostgreSQL URL (the ``locate`` fixture gives either)."""
        self.clock = Clock()
        self.store = open_sql_store(location, clock=self.clock)
        self.book = MemoryBook(self.store, embedder or HashEmbedder())
        self.rememberer = Rememberer(self.book, model)
        self.recaller = HybridRecaller(self.book)

    async def say(self, user: str, text: str, reply: str = "I hear you.", *, new_session: bool = False,
                  language: str = "en", affect: dict | None = None):
        """What the turn loop does: store both sides verbatim, then remember."""
        session = await self.store.session_for(user, gap_minutes=240, new=new_session)
        turn_id = uuid.uuid4().hex
        await self.store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="user", text=text,
                                  language=language)
        await self.store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="assistant", text=reply,
                                  language=language)
        report = await self.rememberer.after_turn(user=user, session_id=session.id, turn_id=turn_id, user_text=text,
                                                  reply_text=reply, language=language, affect=affect)
        return session, turn_id, report

    async def close(self) -> None:
        await self.store.close()
