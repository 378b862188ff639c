"""LLM tokens → speakable chunks, so speech can start after the first phrase, not the whole reply.

The first chunk is cut early, at the first clause break after a few words, because the time to
the first sound is what a listener feels; later chunks are whole sentences, which sound better.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_SENTENCE_END = re.compile(r"[.!?。！？…]+[\"'”’)]*(\s+|$)|\n+")
_CLAUSE_END = re.compile(r"[,;:，、—]\s+")


@dataclass
class SentenceChunker:
    first_min_words: int = 3
    # Short: Kokoro's time grows with the text and the first chunk's synthesis is waited for in silence.
    first_max_words: int = 6
    _buffer: str = ""
    _emitted: int = field(default=0)

    def push(self, piece: str) -> list[str]:
        self._buffer += piece
        chunks: list[str] = []
        while True:
            chunk = self._next()
            if chunk is None:
                return chunks
            chunks.append(chunk)

    def flush(self) -> list[str]:
        rest, self._buffer = self._buffer.strip(), ""
        return [rest] if _speakable(rest) else []

    def _take(self, end: int) -> str | None:
        chunk, self._buffer = self._buffer[:end].strip(), self._buffer[end:]
        if not _speakable(chunk):
            return None if not self._buffer.strip() else self._next()
        self._emitted += 1
        return chunk

    def _next(self) -> str | None:
        sentence = _SENTENCE_END.search(self._buffer)
        if sentence and len(self._buffer[:sentence.end()].split()) >= 1:
            if self._emitted or len(self._buffer[:sentence.end()].split()) <= self.first_max_words + 2:
                return self._take(sentence.end())
        if self._emitted == 0:
            for clause in _CLAUSE_END.finditer(self._buffer):
                if len(self._buffer[:clause.end()].split()) >= self.first_min_words:
                    return self._take(clause.end())
            words = self._buffer.split(" ")
            if len(words) > self.first_max_words + 1:  # no break in sight: cut at a word boundary
                return self._take(len(" ".join(words[:self.first_max_words])))
        if sentence:
            return self._take(sentence.end())
        return None


def _speakable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def split_sentences(text: str) -> list[str]:
    chunker = SentenceChunker(first_max_words=10_000)
    return chunker.push(text) + chunker.flush()
