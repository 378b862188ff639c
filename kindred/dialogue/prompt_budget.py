"""What the model reads fits its context window, whatever was said before.

What is stored is what the person sent; what the model reads is budgeted here. The window
(``context_tokens``) holds the stable prefix, the conversation so far, this turn's notes and
message, and the reply still to be written. So:

- every message of the history is clipped to a fixed share of the window, the same cut every
  turn (one pasted book in the history costs a paragraph, not the window);
- this turn's message gets at most half of what the prefix and notes leave;
- the history starts at the first block boundary (:data:`.prompt.HISTORY_BLOCK` exchanges) from
  which the rest fits, so its start, and the prompt's, still moves only a block at a time.

Tokens are counted with the model's own tokenizer where the backend has one (llama.cpp in
process), else estimated on the safe side (:func:`estimate_tokens`). The chat template's role
markers cost a few tokens per message on top (:data:`PER_MESSAGE_TOKENS`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .chat_model import ChatMessage

TokenCount = Callable[[str], int]
PER_MESSAGE_TOKENS = 8  # ChatML's "<|im_start|>role\n … <|im_end|>\n" is 5; other templates a little more
MARGIN_TOKENS = 32  # what a template adds around the whole (a BOS, the generation prompt)
ASCII_CHARS_PER_TOKEN = 3  # English runs about 4 a token: 3 errs on the safe side
# Other scripts: 1.5 tokens a character (see estimate_tokens)
HISTORY_SHARE = 8  # one message of the history may take at most 1/8 of the room after the prefix
MIN_MESSAGE_TOKENS = 24  # a message is never cut below this, even when the window is too small
MAX_CHARS_PER_TOKEN = 8  # no token is longer: the text is cut to this many chars a token before counting
ELLIPSIS = " …"


def estimate_tokens(text: str) -> int:
    """An upper estimate of ``text``'s tokens, for a backend whose tokenizer is not at hand (a server).

    Sized for the multilingual vocabularies servers run (Qwen, Llama 3, Gemma: about one token a
    Hangul syllable, four English characters a token). A small vocabulary can spend more on other
    scripts (SmolLM2 spends a token per byte on Hangul), but in-process models are counted exactly.
    """
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return -(-ascii_chars // ASCII_CHARS_PER_TOKEN) + -(-(len(text) - ascii_chars) * 3 // 2)


@dataclass(frozen=True)
class PromptBudget:
    window_tokens: int  # the model's context window
    reply_tokens: int  # what the reply may still take of it
    count: TokenCount = estimate_tokens

    @property
    def room(self) -> int:
        """Tokens the prompt may take."""
        return self.window_tokens - self.reply_tokens - MARGIN_TOKENS

    def tokens(self, messages: Sequence[ChatMessage]) -> int:
        return sum(self.message_tokens(m.content) for m in messages)

    def message_tokens(self, content: str) -> int:
        return self.count(content) + PER_MESSAGE_TOKENS


def clip(text: str, limit: int, count: TokenCount) -> str:
    """``text`` if it has at most ``limit`` tokens, else its longest start that does, ending in " …".

    Depends on the text and the limit only, so a stored message is cut the same way every turn.
    """
    limit = max(limit, MIN_MESSAGE_TOKENS)
    cut = text[:limit * MAX_CHARS_PER_TOKEN]
    if cut == text and count(text) <= limit:
        return text
    low, high = 0, len(cut)  # the longest start that fits, by halving: ~12 counts of a short text
    while low < high:
        middle = (low + high + 1) // 2
        if count(cut[:middle] + ELLIPSIS) <= limit:
            low = middle
        else:
            high = middle - 1
    start = cut[:low]
    space = start.rfind(" ", max(0, low - 40))
    return (start[:space] if space > 0 else start).rstrip() + ELLIPSIS


def history_cap(budget: PromptBudget, prefix_tokens: int) -> int:
    """The most tokens one message of the history may take: a fixed share, the same every turn."""
    return max(MIN_MESSAGE_TOKENS, (budget.room - prefix_tokens) // HISTORY_SHARE)


def first_kept(costs: Sequence[int], starts: Sequence[bool], room: int, block_rows: int) -> int:
    """Where the history starts: the first block boundary from which the rows' ``costs`` fit in
    ``room``; past the last boundary, the first row that starts an exchange (``starts``) from which
    they do; ``len(costs)`` (no history) when none does."""
    total = len(costs)
    if not total:
        return 0
    suffix = [0] * (total + 1)
    for index in range(total - 1, -1, -1):
        suffix[index] = suffix[index + 1] + costs[index]
    last_block = (total - 1) // block_rows * block_rows
    candidates = [*range(0, last_block + 1, block_rows), *range(last_block + 1, total)]
    for index in candidates:
        if starts[index] and suffix[index] <= room:
            return index
    return total


def budget_for(chat: object, window_tokens: int, reply_tokens: int) -> PromptBudget:
    """The budget of a reply by ``chat``: its own window and tokenizer where it has them (llama.cpp in
    process), else ``window_tokens`` (the configured ``context_tokens``) and the safe estimate."""
    window = getattr(chat, "context_tokens", None)
    count = getattr(chat, "count_tokens", None)
    return PromptBudget(window if isinstance(window, int) and window > 0 else window_tokens, reply_tokens,
                        count if callable(count) else estimate_tokens)
