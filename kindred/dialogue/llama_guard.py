"""The reply guard as a llama.cpp logits processor: tokens it refuses are never sampled.

Asking the guard about all 151,936 tokens at every step would take seconds, so a token's fate
is decided in two parts: what its characters alone rule out (Chinese characters, list marks,
special tokens) is one mask per model, built once; what depends on the reply so far (echo,
register, the question rule) is asked only of the likeliest ``CANDIDATES`` tokens, and every
other token is closed for that step. Sampling then chooses among allowed tokens only, whatever
the temperature.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .reply_guard import ReplyGuard, ReplyRules
from .reply_words import EMOJI, HANGUL, foreign_characters

CANDIDATES = 32  # more than the sampler's top-k after min-p ever keeps in practice
_ALWAYS_BANNED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\n*#•|`\[\]<>{}()]")
_LATIN = re.compile(r"[A-Za-z]")


class VocabIndex:
    """Each token's bytes and what its characters alone say about it, for one loaded model."""

    def __init__(self, llama) -> None:
        count = llama.n_vocab()
        self.eos = llama.token_eos()
        self.pieces: list[bytes] = []
        masks = {name: np.zeros(count, dtype=bool) for name in ("always", "foreign_en", "foreign_ko", "latin",
                                                               "hangul", "emoji")}
        for token in range(count):
            try:
                raw = llama.detokenize([token], special=True)
            except Exception:  # noqa: BLE001 — a token llama.cpp cannot render is never needed in a reply
                raw = b""
            self.pieces.append(raw)
            text = raw.decode("utf-8", errors="ignore")  # half a character decides nothing yet
            special = raw.startswith(b"<|") and raw.endswith(b"|>")
            masks["always"][token] = special or bool(_ALWAYS_BANNED.search(text))
            masks["foreign_en"][token] = foreign_characters(text, "en")
            masks["foreign_ko"][token] = foreign_characters(text, "ko")
            masks["latin"][token] = bool(_LATIN.search(text))
            masks["hangul"][token] = bool(HANGUL.search(text))
            masks["emoji"][token] = bool(EMOJI.search(text))
        masks["always"][self.eos] = False
        self.masks = masks

    def banned_for(self, rules: ReplyRules) -> np.ndarray:
        """Every token this reply may never use, whatever comes before it."""
        m = self.masks
        banned = m["always"].copy()
        if not rules.person_uses_emoji:
            banned |= m["emoji"]
        if rules.language == "ko":
            banned |= m["foreign_ko"]
            if not rules.latin_words:
                banned |= m["latin"]
        elif rules.language == "en":
            banned |= m["foreign_en"]
            if not rules.person_uses_hangul:
                banned |= m["hangul"]
        return banned


@lru_cache(maxsize=4)
def vocab_index(llama) -> VocabIndex:
    return VocabIndex(llama)


class GuardedSampling:
    """A logits processor for one reply: ``llama.create_chat_completion(logits_processor=[this])``."""

    def __init__(self, vocab: VocabIndex, rules: ReplyRules, said: str = "") -> None:
        """``said``: the reply's words before the first generated token (an opening it continues)."""
        self.vocab = vocab
        self.guard = ReplyGuard(rules)
        self._static = vocab.banned_for(rules)
        self._prompt_length: int | None = None
        self._consumed = 0  # generated tokens already added to _bytes
        self._bytes = said.encode("utf-8")
        self.refused = 0  # how many likely tokens the guard turned down in this reply

    def text_so_far(self, input_ids) -> str:
        if self._prompt_length is None:
            self._prompt_length = len(input_ids)  # the first call comes right after the prompt
        generated = input_ids[self._prompt_length:]
        for token in generated[self._consumed:]:
            self._bytes += self.vocab.pieces[int(token)]
        self._consumed = len(generated)
        return self._bytes.decode("utf-8", errors="ignore")

    def __call__(self, input_ids, scores):
        text = self.text_so_far(input_ids)
        step = self.guard.at(text)
        eos = self.vocab.eos
        if step.finished():
            kept = scores[eos]
            scores[:] = -np.inf
            scores[eos] = kept
            return scores
        scores[self._static] = -np.inf
        allowed = self._allowed(step, scores, 0, CANDIDATES)
        if not allowed:  # nothing likely is allowed: look further down before ending the reply here
            allowed = self._allowed(step, scores, CANDIDATES, 4 * CANDIDATES)
        if not allowed:
            allowed = [eos]  # better to stop than to say something refused
        kept = scores[allowed].copy()
        scores[:] = -np.inf
        scores[allowed] = kept
        if eos in allowed and not np.isfinite(kept[allowed.index(eos)]):
            scores[eos] = 0.0
        return scores


    def _allowed(self, step, scores, start: int, stop: int) -> list[int]:
        """The tokens ranked ``start``..``stop`` by score that the guard lets through, best first."""
        order = np.argpartition(-scores, stop)[:stop]
        order = order[np.argsort(-scores[order])][start:]
        pending = _incomplete_tail(self._bytes)
        eos, allowed = self.vocab.eos, []
        for token in order:
            token = int(token)
            if not np.isfinite(scores[token]):
                break  # sorted: the rest are closed too
            piece = "" if token == eos else (pending + self.vocab.pieces[token]).decode("utf-8", errors="ignore")
            if token != eos and not piece:
                allowed.append(token)  # half a character: the next token decides
            elif step.allows(piece):
                allowed.append(token)
            else:
                self.refused += 1
        return allowed


def _incomplete_tail(data: bytes) -> bytes:
    """The bytes at the end that do not yet make a whole UTF-8 character."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte (or ASCII): how long should its character be?
            need = 1 if byte < 0x80 else 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4
            return data[-back:] if need > back else b""
    return b""


__all__ = ["CANDIDATES", "GuardedSampling", "VocabIndex", "vocab_index"]
