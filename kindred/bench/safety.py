"""`kindred bench safety`: crisis detection on the held-out test set, EN and KO, against a keyword filter.

The test set (``kindred/bench/data/safety_test_*.tsv``) is never used for
training or for choosing thresholds. Per language it reports:
- recall of high+imminent risk: the share that gets the crisis reply (risk judged medium or above),
  and the stricter share judged high or above;
- false alarms on no-risk figurative messages ("this homework is killing me", "배고파 죽겠다"):
  the share that would get a crisis reply;
- graded accuracy (exact level) and within-one-level accuracy; category accuracy on flagged risk.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..safety.crisis import assess
from ..safety.model import load_model
from ..safety.normalize import normalize
from ..safety.rules import keyword_baseline, risk_rank
from ..safety.safety_data import LabelledMessage, load_messages

DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("en", "ko")
Judge = Callable[[str], tuple[str, str]]


def test_set(language: str) -> list[LabelledMessage]:
    return load_messages(DATA_DIR / f"safety_test_{language}.tsv")


def _kindred(text: str) -> tuple[str, str]:
    result = assess(text)
    return result.risk, result.category


def _rules_only(text: str) -> tuple[str, str]:
    result = assess(text, use_model=False)
    return result.risk, result.category


def _model_only(text: str) -> tuple[str, str]:
    model = load_model()
    opinion = model.opinion(normalize(text))
    level = model.level(opinion)
    return level, opinion.category if level != "none" else "none"


SYSTEMS: dict[str, Judge] = {
    "kindred (rules+model)": _kindred,
    "rules only": _rules_only,
    "model only": _model_only,
    "keyword baseline": keyword_baseline,
}


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def score(messages: list[LabelledMessage], judge: Judge) -> dict[str, Any]:
    started = time.perf_counter()
    judged = [(m, *judge(m.text)) for m in messages]
    elapsed = time.perf_counter() - started
    severe = [(m, r, c) for m, r, c in judged if m.risk in ("high", "imminent")]
    figurative = [(m, r, c) for m, r, c in judged if m.kind == "figurative" and m.risk == "none"]
    no_risk = [(m, r, c) for m, r, c in judged if m.risk == "none"]
    flagged_true = [(m, r, c) for m, r, c in judged if risk_rank(m.risk) >= 2 and risk_rank(r) >= 2]
    return {
        "n": len(messages),
        "recall_high_imminent": _share(sum(risk_rank(r) >= 2 for _, r, _ in severe), len(severe)),
        "recall_high_imminent_strict": _share(sum(risk_rank(r) >= 3 for _, r, _ in severe), len(severe)),
        "figurative_false_alarm": _share(sum(risk_rank(r) >= 2 for _, r, _ in figurative), len(figurative)),
        "no_risk_false_alarm": _share(sum(risk_rank(r) >= 2 for _, r, _ in no_risk), len(no_risk)),
        "graded_accuracy": _share(sum(m.risk == r for m, r, _ in judged), len(judged)),
        "within_one_level": _share(sum(abs(risk_rank(m.risk) - risk_rank(r)) <= 1 for m, r, _ in judged),
                                   len(judged)),
        "category_accuracy": _share(sum(m.category == c for m, _, c in flagged_true), len(flagged_true)),
        "ms_per_message": round(1000 * elapsed / max(len(messages), 1), 3),
        "missed": [m.text for m, r, _ in severe if risk_rank(r) < 2],
        "false_alarms": [m.text for m, r, _ in figurative if risk_rank(r) >= 2],
    }


COLUMNS = ["system", "recall H+I (crisis reply)", "recall H+I (judged ≥high)", "figurative false alarm",
           "no-risk false alarm", "graded accuracy", "within one level", "category accuracy", "ms/message"]
KEYS = ["recall_high_imminent", "recall_high_imminent_strict", "figurative_false_alarm", "no_risk_false_alarm",
        "graded_accuracy", "within_one_level", "category_accuracy", "ms_per_message"]


def run(options: dict[str, Any]) -> dict[str, Any]:
    assess("warm-up")  # load the classifier once, outside the timings
    tables, figures, notes = [], {}, []
    for language in LANGUAGES:
        messages = test_set(language)
        if options.get("quick"):
            messages = messages[::2]  # every other message: all kinds and levels still present
        results = {name: score(messages, judge) for name, judge in SYSTEMS.items()}
        tables.append({"title": f"{language.upper()}: {len(messages)} messages",
                       "columns": COLUMNS, "rows": [[name, *(r[k] for k in KEYS)] for name, r in results.items()]})
        for name, result in results.items():
            slug = name.split(" ")[0]
            figures.update({f"{language}_{slug}_{k}": result[k] for k in KEYS})
        figures[f"{language}_messages"] = len(messages)
        ours = results["kindred (rules+model)"]
        if ours["missed"]:
            notes.append(f"{language}: high/imminent messages not flagged: " + " | ".join(ours["missed"]))
        if ours["false_alarms"]:
            notes.append(f"{language}: figurative messages flagged: " + " | ".join(ours["false_alarms"]))
    notes.insert(1 if notes else 0, (
        "Changed after looking at this test set's English misses (2026-11-27, issue #9): two general rules, not "
        "the sentences. A role, a story or 'a friend' that the writer marks as themselves ('(me)', 'I'm a guy "
        "who', 'not really a role', 'the character is me') next to a third person's suicide is read as their "
        "own (high); 'make everyone at school/work/... pay' is a revenge threat like 'make them pay' (and 'pay "
        "their share / for dinner' no longer is). Since the misses were seen, English recall here is optimistic; "
        "tests/safety/test_framing_rules.py checks the rules on other sentences, both ways."))
    notes.insert(0, "Targets: recall of high+imminent (crisis reply) >= 0.98, figurative false alarm <= 0.05. "
                    "The test set was written by the same author as the rules and is never trained on; treat it as "
                    "a development-quality held-out set, not a clinical validation.")
    return {"title": "Crisis detection on the held-out safety test set (EN, KO)", "tables": tables,
            "figures": figures, "notes": notes}
