"""What Kindred brings back from earlier conversations into this turn's prompt.

Memories enter the prompt with small integer ids (1, 2, 3 …), never database keys.
"""
from __future__ import annotations

from typing import Protocol, Sequence

from ..events import RecalledMemory
from .store import Store


class Recaller(Protocol):
    async def recall(self, user: str, session_id: str, query: str, *, limit: int = 5) -> Sequence[RecalledMemory]:
        ...


class LastSessionRecaller:
    """The user's last words from their previous session: enough for continuity."""

    def __init__(self, store: Store, turns: int = 4) -> None:
        self.store = store
        self.turns = turns

    async def recall(self, user: str, session_id: str, query: str, *, limit: int = 5) -> Sequence[RecalledMemory]:
        earlier = await self.store.recent_turns(user, limit=self.turns, before_session=session_id)
        said = [t for t in earlier if t.role == "user"][-limit:]
        return tuple(
            RecalledMemory(id=i, text=f"They said: {t.text[:300]}", reason="from our last conversation",
                           when=t.created_at[:10])
            for i, t in enumerate(said, start=1)
        )
