"""ESConv for `kindred bench empathy`: what trained human supporters did, turn by turn.

The file format is the one thu-coai publishes (``devWithStrategy_short.tsv``; see
``../shared/data/esconv/README.md``): one line per supporter turn, with up to four turns before
it, turns split by `` EOS ``, each ``<score> <speaker> <index> <text>`` (speaker 0 the
help-seeker, 1 the supporter) and the supporter's text starting with its strategy in brackets.
ESConv is CC BY-NC 4.0: it is read here to measure (and tune), and nothing derived from it is
stored in the package.

Each line carries only four turns of context, so whole conversations are rebuilt by stitching
lines on their turn index; the chooser then hears the person's messages in order through the
product's own call (:meth:`EmpathyEngine.respond_to`), as the turn loop would, and each
supporter turn is scored against the plan for the person's latest message. Consecutive seeker
turns are one message (the companion answers once per message); supporter turns before the
person has said anything have nothing to answer and are counted apart.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..affect.strategy import STRATEGIES

# Beside the checkout (``../shared`` from the repository root), never inside the package.
DEFAULT_PATH = Path(__file__).resolve().parents[3] / "shared" / "data" / "esconv" / "dev.tsv"
# Korean support conversations in the same format, written for Kindred (not derived from ESConv):
# see data/esconv_ko.md.
KOREAN_PATH = Path(__file__).resolve().parent / "data" / "esconv_ko.tsv"
QUICK_CONVERSATIONS = 20  # with --quick: the first conversations only (about 280 supporter turns)
NAMES = {
    "Questions": "question", "Restatement or Paraphrasing": "restatement_or_paraphrasing",
    "Reflection of feelings": "reflection_of_feelings", "Self-disclosure": "self_disclosure",
    "Affirmation and Reassurance": "affirmation_and_reassurance", "Providing Suggestions": "providing_suggestions",
    "Information": "information", "Other": "others",
}
SHORT = {"question": "ques", "restatement_or_paraphrasing": "rest", "reflection_of_feelings": "refl",
         "self_disclosure": "self", "affirmation_and_reassurance": "affi", "providing_suggestions": "sugg",
         "information": "info", "others": "othr"}
_TURN = re.compile(r"^\S+ ([01]) (\d+) ?(.*)$", re.S)
_TAG = re.compile(r"^\[([^\]]+)\]\s*")


@dataclass(frozen=True)
class Turn:
    speaker: int  # 0 help-seeker, 1 supporter
    index: int  # position in the conversation, from 0
    text: str  # without the strategy tag
    strategy: str | None  # a STRATEGIES name for supporter turns
    scored: bool = False  # a line's last turn (the file has no line for a supporter's opening turn 0)


@dataclass(frozen=True)
class Conversation:
    id: int
    turns: tuple[Turn, ...]


def _turn(part: str) -> Turn:
    match = _TURN.match(part.strip())
    if match is None:
        raise ValueError(f"not an ESConv turn: {part[:60]!r}")
    speaker, index, text = int(match[1]), int(match[2]), match[3].strip()
    strategy = None
    if speaker == 1:
        tag = _TAG.match(text)
        if tag is None or tag[1] not in NAMES:
            raise ValueError(f"supporter turn without a known strategy: {text[:60]!r}")
        strategy, text = NAMES[tag[1]], text[tag.end():].strip()
    return Turn(speaker, index, text, strategy)


def parse_lines(lines: Iterable[str]) -> list[Conversation]:
    """Conversations rebuilt from the lines: a new one starts where the target's index does not grow."""
    conversations: list[dict[int, Turn]] = []
    last = None
    for line in lines:
        if not line.strip():
            continue
        turns = [_turn(part) for part in line.rstrip("\n").split(" EOS ")]
        if turns[-1].speaker != 1:
            raise ValueError("an ESConv line must end with the supporter's turn")
        if last is None or turns[-1].index <= last:
            conversations.append({})
        last = turns[-1].index
        target = turns[-1]
        conversations[-1][last] = Turn(target.speaker, target.index, target.text, target.strategy, True)
        for turn in turns[:-1]:
            conversations[-1].setdefault(turn.index, turn)
    return [Conversation(n, tuple(by_index[i] for i in sorted(by_index))) for n, by_index in enumerate(conversations)]


def load(path: str | Path) -> list[Conversation]:
    with Path(path).open(encoding="utf-8") as handle:
        return parse_lines(handle)


@dataclass(frozen=True)
class Sample:
    conversation: int
    gold: str  # the supporter's strategy
    chosen: tuple[str, ...]  # the plan for the person's latest message, lead first


# plan(conversation) -> one chosen strategy tuple per supporter turn (None before the person spoke)
Planner = Callable[[Conversation], list["tuple[str, ...] | None"]]


def samples(conversations: Iterable[Conversation], planner: Planner) -> tuple[list[Sample], int]:
    out, unanswerable = [], 0
    for conversation in conversations:
        golds = [(t.strategy, t.scored) for t in conversation.turns if t.speaker == 1]
        for (gold, scored), chosen in zip(golds, planner(conversation), strict=True):
            if not scored:
                continue
            if chosen is None:
                unanswerable += 1
            else:
                out.append(Sample(conversation.id, gold or "others", chosen))
    return out, unanswerable


def product_planner(reader: Any, engine_factory: Callable[[], Any] | None = None, language: str = "en",
                    on_plan: Callable[[Any], None] | None = None) -> Planner:
    """Plans from :meth:`EmpathyEngine.respond_to`, the turn loop's own call, one engine per conversation.

    ``language`` is what the turn loop would pass for the set's messages ("ko" for the Korean set);
    ``on_plan`` is told each whole plan once per supporter turn (the tuning report groups by its ``why``).
    """
    from ..affect.context import fresh_context
    from ..affect.empathy import EmpathyEngine

    def plan(conversation: Conversation) -> list[tuple[str, ...] | None]:
        engine = (engine_factory or EmpathyEngine)()
        context = fresh_context("esconv", f"esconv-{conversation.id}")
        pending: list[str] = []
        chosen: tuple[str, ...] | None = None
        latest: Any = None  # the whole plan for the person's latest message
        out: list[tuple[str, ...] | None] = []
        messages, her_last = 0, ""
        for turn in conversation.turns:
            if turn.speaker == 0:
                pending.append(turn.text)
                continue
            if pending:
                text = "\n".join(pending)
                pending, messages = [], messages + 1
                result = engine.respond_to(context=context, text=text, language=language,
                                           reading=reader.read(text), message_number=messages,
                                           her_last_reply=her_last)
                latest = result.plan
                chosen = latest.strategies
            out.append(chosen)
            if on_plan is not None:
                on_plan(latest)
            her_last = turn.text
        return out

    return plan


def macro_f1(golds: list[str], predicted: list[str]) -> float:
    scores = []
    for name in STRATEGIES:
        tp = sum(g == name and p == name for g, p in zip(golds, predicted))
        fp = sum(g != name and p == name for g, p in zip(golds, predicted))
        fn = sum(g == name and p != name for g, p in zip(golds, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def score(found: list[Sample]) -> dict[str, Any]:
    """Lead accuracy, top-2 hit and macro-F1 (of the lead), with the majority baselines of the same samples."""
    n = len(found)
    golds = [s.gold for s in found]
    counts = Counter(golds)
    common = [name for name, _ in counts.most_common(2)]
    leads = [s.chosen[0] for s in found]
    return {
        "n": n,
        "lead": sum(g == p for g, p in zip(golds, leads)) / n,
        "top2": sum(s.gold in s.chosen[:2] for s in found) / n,
        "macro_f1": macro_f1(golds, leads),
        "baseline": common[0], "baseline_pair": common,
        "baseline_lead": counts[common[0]] / n,
        "baseline_top2": sum(counts[c] for c in common) / n,
        "baseline_macro_f1": macro_f1(golds, [common[0]] * n),
        "chosen_share": {name: leads.count(name) / n for name in STRATEGIES},
        "confusion": Counter(zip(golds, leads)),
    }


def held_out(found: list[Sample]) -> list[Sample]:
    """The held-out half: the chooser's rules were tuned by reading and scoring only the
    even-numbered dev conversations, so the odd-numbered ones are reported apart (docs/empathy.md)."""
    return [s for s in found if s.conversation % 2 == 1]


def confusion_table(result: dict[str, Any], name: str = "ESConv") -> dict[str, Any]:
    confusion: Counter[tuple[str, str]] = result["confusion"]
    rows = []
    for gold in STRATEGIES:
        row = [confusion[(gold, p)] for p in STRATEGIES]
        rows.append([SHORT[gold], *row, sum(row)])
    return {"title": f"{name} confusion: supporter's strategy (rows) × chooser's lead (columns)",
            "columns": ["supporter", *(SHORT[p] for p in STRATEGIES), "n"], "rows": rows}


__all__ = ["Conversation", "DEFAULT_PATH", "KOREAN_PATH", "Sample", "Turn", "confusion_table", "held_out", "load",
           "macro_f1",
           "parse_lines", "product_planner", "samples", "score"]
