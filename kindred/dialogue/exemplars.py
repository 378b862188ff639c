"""A reply a friend might give to a message like this one, found by meaning in a bank of examples.

The 1.5B model writes its best Korean (and its least lecturing English) when it has a good reply to
a similar message in front of it: it keeps the spirit and the length and fits the details. So each
turn's notes carry one reply from ``data/exemplars.jsonl`` (440 exchanges written for Kindred, in
English, Korean 반말 and 존댓말, across 22 situations): the one whose example message is nearest in
meaning to what the person said (multilingual-e5-small, the memory's own encoder), nudged towards
the situation the strategy chooser read and away from what she already said in this conversation.

One reply costs about 40 tokens before the first token; the whole bank would cost thousands, and the
stable prefix already shows the general voice (:mod:`.examples`).
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

BANK = "exemplars.jsonl"
SAME_SITUATION = 0.05  # cosine bonus when the bank's situation agrees with the chooser's reading
LATER_TURN = 0.03  # bonus for follow-up exemplars after the first message of a conversation
# The chooser's situations (affect.strategy.PLAYBOOK) for each of the bank's.
CHOOSER_SITUATION = {
    "grief": "grief", "pet_loss": "grief", "shame": "sadness", "loneliness": "loneliness", "nerves": "anxiety",
    "anger": "anger", "exhaustion": "exhaustion", "boredom": "boredom", "good_news": "good_news",
    "pride": "good_news", "relief": "good_news", "small_talk": "neutral", "masked": "masked",
    "left_out": "sadness", "family_worry": "anxiety", "thanks": "good_news", "about_her": "neutral",
}


@dataclass(frozen=True)
class Exemplar:
    language: str
    register: str
    situation: str
    message: str
    reply: str


def load_bank(text: str | None = None) -> tuple[Exemplar, ...]:
    raw = text if text is not None else resources.files(__package__).joinpath("data", BANK).read_text("utf-8")
    return tuple(Exemplar(**json.loads(line)) for line in raw.splitlines() if line.strip())


def _voice(language: str, register_ko: str) -> tuple[str, str]:
    if language == "ko":
        return "ko", "jondaetmal" if register_ko == "jondaetmal" else "banmal"
    return "en", ""


class ExemplarBank:
    """Finds the example reply for a message; its vectors are computed once and kept under ``cache_dir``."""

    def __init__(self, embedder, cache_dir: Path | None = None, bank: Sequence[Exemplar] | None = None) -> None:
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.bank = tuple(bank) if bank is not None else load_bank()
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def vectors(self) -> np.ndarray:
        """One row per example message (computed on first use, ~3 s on two cores, then read from the cache)."""
        with self._lock:
            if self._vectors is None:
                cached = self._cached()
                self._vectors = cached if cached is not None else self._compute()
            return self._vectors

    def find(self, text: str, language: str, register_ko: str = "banmal", situation: str = "",
             later_turn: bool = False, avoid: Sequence[str] = ()) -> Exemplar | None:
        """The best example reply for ``text``, or None when the bank has none in this language."""
        from ..memory.embedder import embed_matrix

        want_language, want_register = _voice(language, register_ko)
        chosen = [i for i, e in enumerate(self.bank) if e.language == want_language and e.register == want_register]
        if not chosen or not text.strip():
            return None
        query = embed_matrix(self.embedder, [text], "query")[0]
        scores = self.vectors()[chosen] @ query
        for at, index in enumerate(chosen):
            example = self.bank[index]
            if situation and CHOOSER_SITUATION.get(example.situation) == situation:
                scores[at] += SAME_SITUATION
            if later_turn and example.situation == "follow_up":
                scores[at] += LATER_TURN
            if any(_shares_a_run(example.reply, said) for said in avoid):
                scores[at] = -np.inf  # she said it, or near enough, earlier in this conversation
        best = int(np.argmax(scores))
        return self.bank[chosen[best]] if np.isfinite(scores[best]) else None

    # --- the vectors ---

    def _key(self) -> str:
        text = "\n".join(e.message for e in self.bank)
        return hashlib.sha256(f"{getattr(self.embedder, 'name', '?')}\n{text}".encode("utf-8")).hexdigest()[:24]

    def _cached(self) -> np.ndarray | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"exemplars-{self._key()}.npy"
        try:
            vectors = np.load(path)
        except (OSError, ValueError):
            return None
        return vectors if vectors.shape == (len(self.bank), self.embedder.dim) else None

    def _compute(self) -> np.ndarray:
        from ..memory.embedder import embed_matrix

        vectors = embed_matrix(self.embedder, [e.message for e in self.bank], "query")
        if self.cache_dir is not None:
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                np.save(self.cache_dir / f"exemplars-{self._key()}.npy", vectors)
            except OSError as exc:  # a read-only home: computed again next start, nothing else lost
                log.warning("could not keep the example vectors: %s", exc)
        return vectors


def open_exemplars(embedder, cache_dir: Path | None) -> ExemplarBank | None:
    """The packaged bank, or None (logged) when it cannot be read: replies then go without an example."""
    try:
        return ExemplarBank(embedder, cache_dir)
    except (OSError, ValueError, TypeError) as exc:
        log.warning("the example replies could not be read (%s); replying without them", exc)
        return None


def _shares_a_run(a: str, b: str, run: int = 8) -> bool:
    letters_a = "".join(ch for ch in a.lower() if ch.isalnum())
    letters_b = "".join(ch for ch in b.lower() if ch.isalnum())
    return any(letters_a[i:i + run] in letters_b for i in range(0, max(0, len(letters_a) - run + 1), 2))


__all__ = ["CHOOSER_SITUATION", "Exemplar", "ExemplarBank", "load_bank", "open_exemplars"]
