"""The chooser's tuning view of ESConv dev: the EVEN conversations only, grouped by the chooser's reason.

    PYTHONPATH=$PWD python -m kindred.bench.esconv_tuning [--esconv FILE] [--min 15]

Tuning is cross-validated (docs/empathy.md): rules are written and kept by their figures on the
even-numbered dev conversations; the odd ones are held out and only `kindred bench empathy`
scores them. This prints, for the even half only: lead, top-2 and macro-F1 with the majority
baseline; each strategy's precision, recall and F1 as the lead; and, for each reason the chooser
gives (the stage or act sentence of its ``why``), how often its lead and pair were right and what
the supporters did there instead. Readings come from the bench's cache (reading_cache.py), so a
run takes seconds once `kindred bench empathy` has run. Nothing is written; the figure to quote
still comes from `kindred bench empathy --json`.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from typing import Any

from ..affect.strategy import STRATEGIES
from . import esconv
from .reading_cache import cached_emotion_model

_NUMBERS = re.compile(r"\d+")


def reason_of(why: str) -> str:
    """The stage or act sentence of a plan's ``why`` with its numbers blanked, so alike moments group together."""
    sentences = [s for s in why.split(". ") if s and not s.startswith(("They seem", "So:", "Their mood"))]
    return _NUMBERS.sub("#", sentences[0] if sentences else "(feeling only)")[:90]


def tuning_rows(conversations: list[esconv.Conversation], reader: Any) -> list[tuple[esconv.Sample, str]]:
    """Each scored supporter turn of these conversations with the reason of the plan it was scored against."""
    reasons: list[str] = []
    planner = esconv.product_planner(reader, on_plan=lambda plan: reasons.append(
        reason_of(plan.why) if plan is not None else ""))
    rows: list[tuple[esconv.Sample, str]] = []
    for conversation in conversations:
        reasons.clear()
        found, _ = esconv.samples([conversation], planner)
        scored = [r for r, t in zip(reasons, (t for t in conversation.turns if t.speaker == 1), strict=True)
                  if t.scored and r]
        rows += zip(found, scored, strict=True)
    return rows


def per_strategy(found: list[esconv.Sample]) -> list[list[Any]]:
    out = []
    for name in STRATEGIES:
        tp = sum(s.gold == name and s.chosen[0] == name for s in found)
        chosen = sum(s.chosen[0] == name for s in found)
        gold = sum(s.gold == name for s in found)
        precision, recall = (tp / chosen if chosen else 0.0), (tp / gold if gold else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        out.append([esconv.SHORT[name], gold, chosen, round(precision, 3), round(recall, 3), round(f1, 3)])
    return out


def by_reason(rows: list[tuple[esconv.Sample, str]], smallest: int) -> list[list[Any]]:
    groups: dict[str, list[esconv.Sample]] = defaultdict(list)
    for sample, reason in rows:
        groups[reason].append(sample)
    out = []
    for reason, found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if len(found) < smallest:
            continue
        golds = Counter(s.gold for s in found)
        chosen = Counter("+".join(esconv.SHORT[c] for c in s.chosen[:2]) for s in found).most_common(1)[0][0]
        best = " ".join(f"{esconv.SHORT[g]} {n / len(found):.2f}" for g, n in golds.most_common(4))
        out.append([reason, len(found), chosen, round(sum(s.gold == s.chosen[0] for s in found) / len(found), 3),
                    round(sum(s.gold in s.chosen[:2] for s in found) / len(found), 3), best])
    return out


def main(argv: list[str] | None = None) -> int:
    from . import format_table

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--esconv", default=str(esconv.DEFAULT_PATH), help="ESConv strategy TSV (default: dev)")
    parser.add_argument("--min", type=int, default=15, help="leave out reasons with fewer scored turns")
    args = parser.parse_args(argv)
    even = [c for c in esconv.load(args.esconv) if c.id % 2 == 0]
    reader = cached_emotion_model()
    rows = tuning_rows(even, reader)
    reader.save()
    result = esconv.score([s for s, _ in rows])
    print(f"EVEN half (tuning; {result['n']} turns): lead {result['lead']:.3f} top-2 {result['top2']:.3f} "
          f"macro-F1 {result['macro_f1']:.3f}; majority {result['baseline_lead']:.3f} / "
          f"{result['baseline_top2']:.3f}")
    print()
    print(format_table({"title": "Each strategy as the lead (even half)",
                        "columns": ["strategy", "supporters", "chosen", "precision", "recall", "F1"],
                        "rows": per_strategy([s for s, _ in rows])}))
    print()
    print(format_table({"title": "By the chooser's reason (even half): its usual pair, how often it was right, "
                                 "and what supporters did",
                        "columns": ["reason", "n", "usual pair", "lead", "top-2", "supporters"],
                        "rows": by_reason(rows, args.min)}))
    print()
    print(format_table(esconv.confusion_table(result, "ESConv even half")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
