""""What helped when they felt low" is noticed even when another replica served the turn where the mood fell."""
from __future__ import annotations

import asyncio

import pytest

from kindred.memory.book import MemoryBook
from kindred.memory.embedder import HashEmbedder
from kindred.memory.remember import Rememberer
from kindred.memory.sql_store import open_sql_store

pytestmark = pytest.mark.both_engines

SAD = {"valence": -0.7, "arousal": 0.3, "labels": [["sadness", 0.8]]}
BETTER = {"valence": 0.2, "arousal": 0.3, "labels": [["relief", 0.2]]}


async def turn(rememberer: Rememberer, turn_id: str, text: str, reply: str, affect: dict) -> None:
    store = rememberer.book.store
    session = await store.session_for("ana", gap_minutes=60)
    for role, words in (("user", text), ("assistant", reply)):
        await store.add_turn(user="ana", session_id=session.id, turn_id=turn_id, role=role, text=words, language="en")
    result = await rememberer.after_turn(user="ana", session_id=session.id, turn_id=turn_id, user_text=text,
                                         reply_text=reply, language="en", affect=affect)
    assert not result.error


def test_the_lift_is_remembered_across_replicas(locate):
    shared = locate("shared.db")
    first, second = (Rememberer(MemoryBook(open_sql_store(shared), HashEmbedder())) for _ in range(2))

    async def conversation():
        await turn(first, "t1", "I failed the exam.", "That hurts. Want to walk me through it?", SAD)
        await turn(second, "t2", "Thanks, talking helps.", "I'm glad.", BETTER)
        return await second.book.list("ana", kind="emotion", limit=10)

    helped = [m for m in asyncio.run(conversation()) if m.topic == "helped"]
    assert len(helped) == 1 and "walk me through it" in helped[0].text
    assert first._low_moment == {} and second._low_moment == {}  # kept in the database, not in either process
