"""`kindred bench memory --extraction`: of what the LLM extracts from a turn, how much did the person say?

The set (``data/extraction_turns.jsonl``, 40 English and 40 Korean turns) gives each turn the facts a
person would say it contains, written by hand, each as the words that must appear in an extracted
item for it to be that fact ("mina"; alternatives with "|"), and the day it names when it names one
(an offset range from the bench's today). Some turns contain no facts at all ("Good morning!"), some
tempt a model to invent ("My friend says coffee helps with exams": nothing about the person's taste).

An extracted item (a fact's topic and value, or an open thread's text) counts as supported when some
written fact's words all appear in it and, if it carries a date, the date is that fact's. This judge
reads only the written facts, never the product's grounding filter, so the filter is measured, not
assumed: each turn is extracted once, and the same answer is scored as the model gave it (baseline)
and after ``memory.grounding`` (what is stored). When the model's answer does not parse, the product
falls back to the rules; those turns are scored the same in both arms and counted.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "extraction_turns.jsonl"
TODAY = date(2026, 1, 7)  # a Wednesday: "tomorrow" is the 8th, "on Friday" the 9th
QUICK_IDS = ("en04", "en11", "ko02", "ko10")  # a greeting, two tempting turns, a plain fact


@dataclass(frozen=True)
class Turn:
    id: str
    language: str
    text: str
    facts: tuple[dict, ...]


def load_turns(path: Path = DATA) -> list[Turn]:
    turns = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            turns.append(Turn(row["id"], row["id"][:2], row["text"], tuple(row["facts"])))
    return turns


def matches(written: dict, claim: str, day: str | None) -> bool:
    said = claim.lower()
    if not all(any(word in said for word in group.split("|")) for group in written["words"]):
        return False
    if day is None:
        return True
    span = written.get("date")
    if not span:
        return False  # a date the turn never named
    when = date.fromisoformat(day)
    return TODAY + timedelta(days=span[0]) <= when <= TODAY + timedelta(days=span[1])


def items_of(found) -> list[tuple[str, str | None]]:
    return [(f"{f.topic} {f.value}", f.date) for f in found.facts] + [(t.text, t.date) for t in found.open]


def score(turn: Turn, found) -> dict:
    items = items_of(found)
    supported = [any(matches(w, claim, day) for w in turn.facts) for claim, day in items]
    found_facts = sum(any(matches(w, claim, None) for claim, _ in items) for w in turn.facts)
    return {"items": len(items), "supported": sum(supported), "found": found_facts,
            "unsupported": [claim for (claim, _), ok in zip(items, supported, strict=True) if not ok],
            "supported_items": [claim for (claim, _), ok in zip(items, supported, strict=True) if ok]}


async def _extract_all(chat, turns: list[Turn]) -> list[dict]:
    from ..memory.extract import extract
    from ..memory.grounding import ground

    rows = []
    for index, turn in enumerate(turns, start=1):
        started = time.monotonic()
        raw = await extract(turn.text, TODAY, model=chat, grounded=False)
        grounded = ground(raw, turn.text, TODAY).extraction if raw.origin == "llm" else raw
        rows.append({"turn": turn, "origin": raw.origin, "seconds": time.monotonic() - started,
                     "raw": score(turn, raw), "grounded": score(turn, grounded)})
        print(f"[extraction] {index}/{len(turns)} {turn.id} {raw.origin} {rows[-1]['seconds']:.0f} s", file=sys.stderr,
              flush=True)
    return rows


def _share(rows: list[dict], arm: str) -> tuple[int, int, float | None]:
    items = sum(r[arm]["items"] for r in rows)
    supported = sum(r[arm]["supported"] for r in rows)
    return items, supported, (supported / items if items else None)


def summarise(rows: list[dict]) -> tuple[list, dict]:
    table, figures = [], {}
    for label, subset in (("all", rows), ("en", [r for r in rows if r["turn"].language == "en"]),
                          ("ko", [r for r in rows if r["turn"].language == "ko"])):
        if not subset:
            continue
        written = sum(len(r["turn"].facts) for r in subset)
        line = [label, len(subset)]
        for arm in ("raw", "grounded"):
            items, supported, share = _share(subset, arm)
            found = sum(r[arm]["found"] for r in subset)
            invented = sum(r[arm]["items"] for r in subset if not r["turn"].facts)
            line += [items, None if share is None else round(100 * share, 1), found, invented]
            suffix = "" if label == "all" else f"_{label}"
            figures[f"extraction_supported_share_{arm}{suffix}"] = None if share is None else round(share, 4)
            figures[f"extraction_items_{arm}{suffix}"] = items
            figures[f"extraction_written_facts_found_{arm}{suffix}"] = found
        figures[f"extraction_written_facts{'' if label == 'all' else '_' + label}"] = written
        table.append(line)
    figures["extraction_rules_fallbacks"] = sum(r["origin"] != "llm" for r in rows)
    figures["extraction_seconds_per_turn"] = round(sum(r["seconds"] for r in rows) / max(len(rows), 1), 1)
    return table, figures


def run(options: dict) -> dict:
    import asyncio

    from ..config import load_settings
    from ..dialogue.backends import open_chat_model

    quick = bool(options.get("quick"))
    turns = load_turns()
    if quick:
        turns = [t for t in turns if t.id in QUICK_IDS]
    model = options.get("model") or ("small" if quick else "embedded")
    settings = load_settings(llm=model)
    chat = options.get("chat") or open_chat_model(settings)
    started = time.monotonic()
    rows = asyncio.run(_extract_all(chat, turns))
    table, figures = summarise(rows)
    figures["extraction_model"] = getattr(chat, "model", model)
    unsupported = [f"{r['turn'].id}: {claim}" for r in rows for claim in r["grounded"]["unsupported"]]
    dropped = [f"{r['turn'].id}: {claim}" for r in rows for claim in r["raw"]["unsupported"]
               if claim not in r["grounded"]["unsupported"]]
    lost = [f"{r['turn'].id}: {claim}" for r in rows for claim in r["raw"]["supported_items"]
            if claim not in r["grounded"]["supported_items"]]
    notes = [
        (f"{len(turns)} written turns ({sum(not t.facts for t in turns)} with no facts), one extraction each with "
         f"{figures['extraction_model']} (temperature 0, the product's schema and prompt), "
         f"{time.monotonic() - started:.0f} s; "
         f"{figures['extraction_rules_fallbacks']} turns fell back to the rules (no parsable answer). Baseline = the "
         "model's answer as given; grounded = the same answer after memory.grounding, as stored. Supported = the "
         "item names a fact written for that turn (and its day, if it gives one); the judge never reads the filter."),
        "Still unsupported after the filter: " + ("; ".join(unsupported) or "none"),
        "Unsupported items the filter removed: " + ("; ".join(dropped[:30]) or "none"),
        "Supported items the filter removed: " + ("; ".join(lost[:30]) or "none"),
        f"Machine load while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
    ]
    return {"title": "Memory extraction: share of extracted facts the turn supports",
            "tables": [{"title": "Extracted items supported by the turn (%), model's answer vs. after grounding",
                        "columns": ["turns", "n", "items", "supported %", "facts found", "items on no-fact turns",
                                    "grounded items", "grounded supported %", "grounded facts found",
                                    "grounded items on no-fact turns"],
                        "rows": table}],
            "figures": figures, "notes": notes}
