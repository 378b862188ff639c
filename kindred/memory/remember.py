"""After each reply: index the turn for recall, extract facts and open threads, note strong feelings.

The turn loop has already stored both sides of the turn verbatim before this
runs, so whatever fails here costs only the extra memories, never the words.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from ..affect.carried import low_moment_from_dict, low_moment_to_dict
from ..affect.restore import load_or_set_aside
from ..database.timestamps import utc_text
from ..dialogue.chat_model import ChatModel
from .book import MemoryBook, NewMemory, normalise
from .extract import extract
from .extraction_queue import ExtractionQueue, Job
from .rules import Extraction

log = logging.getLogger(__name__)

LOW_MOMENT_SCOPE = "low-moment:"
STRONG_LABELS = {"sadness", "grief", "fear", "nervousness", "anger", "disappointment", "remorse", "joy",
                 "excitement", "gratitude", "love", "pride", "relief", "annoyance", "embarrassment"}


@dataclass(frozen=True)
class Remembered:
    indexed: int = 0
    facts: tuple[str, ...] = ()  # "new: topic", "updated: topic", "merged: topic"
    open: int = 0
    emotional: int = 0
    origin: str = "rules"
    error: str = ""
    queued: bool = False  # the facts come later, when the model is free (``ExtractionQueue``)


class Rememberer:
    def __init__(self, book: MemoryBook, model: ChatModel | None = None, queue: ExtractionQueue | None = None) -> None:
        """``queue``: extraction with the model waits there for a moment no turn needs the model; without
        one it runs here, before ``after_turn`` returns (tools and benches that want the facts at once)."""
        self.book = book
        self.model = model
        self.queue = queue
        # session → (valence, label) of a low turn; only for a store that cannot keep it (see _low_moment_of)
        self._low_moment: dict[str, tuple[float, str]] = {}

    async def after_turn(self, *, user: str, session_id: str, turn_id: str, user_text: str, reply_text: str,
                         language: str, affect: dict | None = None) -> Remembered:
        """Never raises: a failure is logged and reported, the turn itself is already safe."""
        try:
            return await self._remember(user, session_id, turn_id, user_text, reply_text, affect)
        except Exception as exc:  # noqa: BLE001 — memory must never break a conversation
            log.warning("remembering turn %s failed: %s", turn_id, exc)
            return Remembered(error=f"{type(exc).__name__}: {exc}")

    async def _remember(self, user, session_id, turn_id, user_text, reply_text, affect) -> Remembered:
        now = self.book.store.clock()
        said = utc_text(now)
        previous = await self.book.store.recent_turns(user, session_id=session_id, limit=4)
        earlier_reply = next((t.text for t in reversed(previous)
                              if t.role == "assistant" and t.turn_id != turn_id), "")
        valence = float(affect.get("valence", 0.0)) if affect else None
        arousal = float(affect.get("arousal", 0.0)) if affect else None
        salience = _salience(valence, arousal)
        items = [NewMemory("turn", user_text, said, context=earlier_reply[-300:], topic="user",
                           importance=0.3, salience=salience, valence=valence, arousal=arousal,
                           session_id=session_id, source_turns=(turn_id,), origin="turn",
                           reply=reply_text[:300])]
        if reply_text.strip():
            items.append(NewMemory("turn", reply_text, said, context=user_text[-300:], topic="assistant",
                                   importance=0.1, session_id=session_id, source_turns=(turn_id,), origin="turn"))
        indexed = len(await self.book.add(user, items))
        today = self.book.today_of(user, now)  # their "tomorrow", as of when they said it
        emotional = await self._emotional(user, session_id, turn_id, user_text, earlier_reply, affect, said)
        if self.model is not None and self.queue is not None:
            async def think(with_model: bool) -> Extraction:
                return await extract(user_text, today, model=self.model if with_model else None)

            async def keep(found: Extraction) -> None:
                if await self.book.has_turn(user, turn_id):  # not forgotten while it waited
                    await self._keep(user, session_id, turn_id, found, said, salience)
            self.queue.submit(Job(f"facts of turn {turn_id[:8]}", think, keep))
            return Remembered(indexed, (), 0, emotional, "llm", queued=True)
        found = await extract(user_text, today, model=self.model)
        changes = await self._keep(user, session_id, turn_id, found, said, salience)
        return Remembered(indexed, changes, len(found.open), emotional, found.origin)

    async def _keep(self, user: str, session_id: str, turn_id: str, found: Extraction, said: str,
                    salience: float) -> tuple[str, ...]:
        changes = []
        for fact in found.facts:
            _, change = await self.book.remember_fact(user, NewMemory(
                "fact", fact.text, said, topic=fact.topic, value=fact.value, importance=fact.importance,
                event_date=fact.date, session_id=session_id, source_turns=(turn_id,), origin=found.origin),
                turn_id=turn_id)
            changes.append(f"{change}: {fact.topic}")
        for thread in found.open:
            await self.book.remember_fact(user, NewMemory(
                "open", thread.text, said, topic=f"{thread.type}: {normalise(thread.text)[:60]}",
                value=thread.text, importance=0.7, salience=salience, event_date=thread.date,
                session_id=session_id, source_turns=(turn_id,), origin=found.origin), turn_id=turn_id)
        return tuple(changes)

    async def _emotional(self, user, session_id, turn_id, user_text, earlier_reply, affect, said) -> int:
        """A strong feeling becomes its own memory; so does a reply after which a low mood lifted."""
        if not affect:
            return 0
        valence = float(affect.get("valence", 0.0))
        arousal = float(affect.get("arousal", 0.0))
        labels = [(str(n), float(p)) for n, p in affect.get("labels", [])]
        label = next((n for n, p in labels if n in STRONG_LABELS and p >= 0.35), "")
        items = []
        if label or abs(valence) >= 0.6:
            feeling = label or ("low" if valence < 0 else "happy")
            items.append(NewMemory("emotion", f"They felt {feeling} when saying: \"{user_text[:200]}\"", said,
                                   topic=feeling, importance=0.5, salience=_salience(valence, arousal),
                                   valence=valence, arousal=arousal, session_id=session_id,
                                   source_turns=(turn_id,), origin="affect"))
        low = await self._low_moment_of(user, session_id)
        if low and earlier_reply and valence - low[0] >= 0.4:
            items.append(NewMemory("emotion", f"What helped when they felt {low[1]}: \"{earlier_reply[:200]}\"",
                                   said, topic="helped", importance=0.6, salience=0.6, valence=valence,
                                   arousal=arousal, session_id=session_id, source_turns=(turn_id,),
                                   origin="affect"))
            await self._set_low_moment(user, session_id, None)
        if valence <= -0.3:
            await self._set_low_moment(user, session_id, (valence, label or "low"))
        return len(await self.book.add(user, items)) if items else 0

    # The low moment waits in the database, beside the conversation's other feelings: the turn where
    # the mood lifts may be served by another replica than the one that heard it fall.
    async def _low_moment_of(self, user: str, session_id: str) -> tuple[float, str] | None:
        load = getattr(self.book.store, "load_feelings", None)
        if load is None:
            return self._low_moment.get(session_id)
        return await load_or_set_aside(self.book.store, user, LOW_MOMENT_SCOPE + session_id, low_moment_from_dict,
                                       lambda: None)

    async def _set_low_moment(self, user: str, session_id: str, low: tuple[float, str] | None) -> None:
        save = getattr(self.book.store, "save_feelings", None)
        if save is None:
            if low is None:
                self._low_moment.pop(session_id, None)
            else:
                self._low_moment[session_id] = low
            return
        await save(user, LOW_MOMENT_SCOPE + session_id, low_moment_to_dict(low))


def _salience(valence: float | None, arousal: float | None) -> float:
    if valence is None:
        return 0.0
    return round(min(1.0, abs(valence) * 0.7 + max(arousal or 0.0, 0.0) * 0.3), 3)

