"""Time to first token (cold and with the persona prefix cached) and tokens per second."""
from __future__ import annotations

import asyncio
import os
import statistics
import time
from typing import Any

from ..config import load_settings
from ..dialogue.backends import open_chat_model
from ..dialogue.chat_model import GenerationOptions
from ..dialogue.persona import default_persona
from ..dialogue.prompt import PromptContext, build_messages

PROMPTS = [
    ("en", "I had a really rough day at work"),
    ("ko", "오늘 회사에서 너무 힘들었어"),
    ("en", "My sister called me today and we laughed a lot"),
    ("ko", "요즘 잠을 잘 못 자"),
]


async def _measure(chat, language: str, text: str, max_tokens: int) -> dict[str, float]:
    messages = build_messages(PromptContext(persona=default_persona(), user_text=text, language=language))
    started = time.perf_counter()
    first = None
    count = 0
    async for _ in chat.stream(messages, GenerationOptions(max_tokens=max_tokens, temperature=0.0)):
        if first is None:
            first = time.perf_counter() - started
        count += 1
    total = time.perf_counter() - started
    rate = (count - 1) / (total - first) if first is not None and count > 1 else 0.0
    return {"ttft": first or total, "tokens": count, "rate": rate}


def _bench_model(key: str, max_tokens: int, repeats: int) -> dict[str, Any]:
    settings = load_settings(llm=key)
    started = time.perf_counter()
    chat = open_chat_model(settings)
    load_s = time.perf_counter() - started
    cold = asyncio.run(_measure(chat, *PROMPTS[0], max_tokens))
    warm = [asyncio.run(_measure(chat, *PROMPTS[1 + i % 3], max_tokens)) for i in range(repeats)]
    return {
        "model": chat.model, "load_s": load_s, "ttft_cold_s": cold["ttft"],
        "ttft_cached_s": statistics.median(w["ttft"] for w in warm),
        "tokens_per_s": statistics.median(w["rate"] for w in [cold, *warm] if w["rate"]),
    }


def run(options: dict[str, Any]) -> dict[str, Any]:
    quick = bool(options.get("quick"))
    keys = [options["model"]] if options.get("model") else (["small"] if quick else ["embedded", "small"])
    results = {key: _bench_model(key, 24 if quick else 64, 2 if quick else 3) for key in keys}
    rows = [[key, r["model"], r["load_s"], r["ttft_cold_s"], r["ttft_cached_s"], r["tokens_per_s"]]
            for key, r in results.items()]
    figures: dict[str, Any] = {}
    for key, r in results.items():
        figures.update({f"{key}_{name}": round(value, 4) for name, value in r.items() if name != "model"})
    return {
        "title": f"LLM latency on {os.cpu_count()} cores (llama.cpp, persona prompt, temperature 0)",
        "tables": [{"title": "seconds, and tokens per second",
                    "columns": ["backend", "model", "load s", "TTFT cold s", "TTFT cached s", "tokens/s"],
                    "rows": rows}],
        "notes": ["TTFT cold: first request after loading (whole prompt evaluated). TTFT cached: later requests "
                  "share the persona prefix, which llama.cpp keeps evaluated. 'small' is the reference model."],
        "figures": figures,
    }
