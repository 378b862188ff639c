"""Extraction with the LLM, constrained by a JSON schema, retried, with the rules as fallback.

A local model sometimes returns broken or empty JSON. That must never cost the
user anything: the raw turn is already stored before extraction runs, items that
do not fit the schema are dropped one by one (not the whole answer), and when
no attempt parses, the rule-based extractor answers instead.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import date

from ..dialogue.chat_model import ChatModel, GenerationOptions, complete
from ..errors import KindredError
from .extract_prompt import STABLE_PREFIX, extraction_messages
from .grounding import ground
from .rules import Extraction, Fact, OpenThread, extract_by_rules

log = logging.getLogger(__name__)

CATEGORIES = ["person", "event", "preference", "goal", "other"]
THREADS = ["event", "worry", "promise"]

EXTRACTION_SCHEMA = {
    "type": "object",
    "properties": {
        "facts": {"type": "array", "maxItems": 6, "items": {
            "type": "object",
            "properties": {
                "topic": {"type": "string"},
                "value": {"type": "string"},
                "category": {"type": "string", "enum": CATEGORIES},
                "date": {"type": "string"},
                "importance": {"type": "number"},
            },
            "required": ["topic", "value", "category"],
        }},
        "open": {"type": "array", "maxItems": 3, "items": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": THREADS},
                "text": {"type": "string"},
                "date": {"type": "string"},
            },
            "required": ["type", "text"],
        }},
    },
    "required": ["facts", "open"],
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_extraction(raw: str) -> Extraction:
    """The valid part of a model's answer; ValueError when there is no JSON object at all."""
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the answer")
    data = json.loads(raw[start:end + 1])
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")  # noqa: TRY004 — callers catch ValueError
    facts = []
    for item in data.get("facts") or []:
        if not isinstance(item, dict):
            continue
        topic, value = str(item.get("topic", "")).strip(), str(item.get("value", "")).strip()
        category = str(item.get("category"))
        category = category if category in CATEGORIES else "other"
        if not topic or not value or len(topic) > 80 or len(value) > 300:
            continue
        day = str(item.get("date") or "")
        importance = item.get("importance")
        importance = min(max(float(importance), 0.0), 1.0) if isinstance(importance, (int, float)) else 0.5
        facts.append(Fact(topic.lower(), value, category, f"{topic}: {value}",
                          day if _DATE.match(day) else None, importance))
    threads = []
    for item in data.get("open") or []:
        if isinstance(item, dict) and item.get("type") in THREADS and str(item.get("text", "")).strip():
            day = str(item.get("date") or "")
            threads.append(OpenThread(item["type"], str(item["text"]).strip()[:300],
                                      day if _DATE.match(day) else None))
    return Extraction(tuple(facts), tuple(threads), "llm")


async def extract(text: str, today: date, *, model: ChatModel | None = None, attempts: int = 2,
                  timeout_s: float = 60.0, grounded: bool = True) -> Extraction:
    """What to remember from one user message: the LLM's answer when it gives one, else the rules'.

    The LLM's answer keeps only what the message supports (``grounding``); ``grounded=False`` keeps it
    all, for the bench's baseline. The rules read their facts out of the text itself."""
    notes: list[str] = []
    if model is not None:
        messages = extraction_messages(text, today)
        for attempt in range(attempts):
            options = GenerationOptions(max_tokens=320, temperature=0.0 if attempt == 0 else 0.4,
                                        json_schema=EXTRACTION_SCHEMA, stable_prefix=STABLE_PREFIX,
                                        background=True)
            try:
                raw = await asyncio.wait_for(complete(model, messages, options), timeout_s)
                found = parse_extraction(raw)
                return ground(found, text, today).extraction if grounded else found
            except (TimeoutError, KindredError, ValueError) as exc:
                # json.JSONDecodeError is a ValueError; a dead backend is a KindredError.
                notes.append(f"attempt {attempt + 1}: {type(exc).__name__}: {str(exc)[:120]}")
                log.info("memory extraction attempt %d failed: %s", attempt + 1, exc)
    fallback = extract_by_rules(text, today)
    return Extraction(fallback.facts, fallback.open, "rules", tuple(notes))
