"""Example exchanges that show the small model how a friend answers, per language and speech level.

They sit in the stable prefix, after the persona: evaluated once, then cached with it (and saved
under KINDRED_HOME), so they cost nothing per turn. A 1.5B model imitates what it sees far better
than it follows what it is told.

They come from ``data/exemplars.jsonl``: 420 exchanges written for Kindred (English, Korean 반말
and 존댓말; 21 situations from grief to small talk, advice asked for, "is it weird that…", questions
about her). The prefix shows the first exchange of each situation, 21 per voice: one of every kind
of moment, and short enough to leave most of the 4,096-token context to the conversation.
The rest of the bank is there to swap examples without writing new ones.

What was tried instead and measured with `kindred bench replies` (docs/replies.md): ten hand-written
examples per voice (Korean replies as poor, English conversations worse), and one retrieved example
per turn, in the notes or as the reply's first sentence: e5-small matched a message to the right kind
of example less than half the time, and a wrong example ("congratulations!" on a goodnight) is worse
than none.

None of these messages is in `kindred bench replies` (tests/dialogue/test_examples.py checks).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

BANK = "exemplars.jsonl"
Exchange = tuple[str, str]


@dataclass(frozen=True)
class Example:
    language: str  # en | ko
    register: str  # "" | banmal | jondaetmal
    situation: str
    message: str
    reply: str


@lru_cache(maxsize=1)
def load_bank() -> tuple[Example, ...]:
    raw = resources.files(__package__).joinpath("data", BANK).read_text("utf-8")
    return tuple(Example(**json.loads(line)) for line in raw.splitlines() if line.strip())


def _voice(language: str, register_ko: str) -> tuple[str, str]:
    if language == "ko":
        return "ko", "jondaetmal" if register_ko == "jondaetmal" else "banmal"
    return "en", ""


@lru_cache(maxsize=8)
def examples_for(language: str, register_ko: str = "banmal") -> tuple[Exchange, ...]:
    """One exchange per situation for this voice, in the bank's order (English for other languages)."""
    want = _voice(language, register_ko)
    seen: set[str] = set()
    chosen: list[Exchange] = []
    for example in load_bank():
        if (example.language, example.register) == want and example.situation not in seen:
            seen.add(example.situation)
            chosen.append((example.message, example.reply))
    return tuple(chosen)


__all__ = ["Example", "Exchange", "examples_for", "load_bank"]
