"""Tokens per LLM call, counted from what Kindred actually sent during `kindred bench load`.

The GPU side of a deployment is sized in tokens: each turn sends its prompt (persona, guidance,
recalled memories, recent history, the message) and asks for up to ``max_tokens`` back. The
prompts are recorded by the simulated server and counted here with the packaged SmolLM2
tokenizer over the ChatML layout it uses; another model's tokenizer gives somewhat different
counts, so treat them as the size of the work, not an exact bill.
"""
from __future__ import annotations

import json
import os
import statistics
from pathlib import Path
from typing import Any


def _counter():
    """A function text -> token count: the real tokenizer if llama-cpp-python is here, else ~4 chars a token."""
    try:
        from llama_cpp import Llama

        from ..dialogue.llm_server import small_model_path

        vocab = Llama(model_path=str(small_model_path()), vocab_only=True, verbose=False)
        return (lambda text: len(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=True))), "SmolLM2"
    except Exception:  # noqa: BLE001 — no tokenizer: an estimate, said as such
        return (lambda text: max(1, round(len(text) / 4))), "estimate (characters / 4)"


def chatml(messages: list[dict[str, Any]]) -> str:
    turns = "".join(f"<|im_start|>{m.get('role', 'user')}\n{m.get('content', '')}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"


def count_recorded(record: Path) -> dict[str, Any]:
    """Figures for the reply calls, and ``extraction_*`` ones for the structured (JSON) calls if any were made."""
    if not record.is_file():
        return {}
    calls = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not calls:
        return {}
    count, how = _counter()
    figures: dict[str, Any] = {"llm_calls": len(calls), "tokenizer": how,
                               "structured_calls": sum(1 for call in calls if call.get("json_schema"))}
    replies = [call for call in calls if not call.get("json_schema")]
    structured = [call for call in calls if call.get("json_schema")]
    for prefix, group in (("", replies), ("extraction_", structured)):
        if not group:
            continue
        texts = [chatml(call["messages"]) for call in group]
        prompts = sorted(count(text) for text in texts)
        budgets = [int(call["max_tokens"]) for call in group if call.get("max_tokens")]
        # The part every prompt starts with (the persona): a server with prefix caching computes it once.
        shared = os.path.commonprefix(texts)
        figures.update({
            f"{prefix}prompt_tokens_mean": round(statistics.fmean(prompts), 1),
            f"{prefix}prompt_tokens_p95": prompts[min(len(prompts) - 1, round(0.95 * (len(prompts) - 1)))],
            f"{prefix}prompt_tokens_max": prompts[-1],
            f"{prefix}shared_prefix_tokens": count(shared) if shared else 0,
            f"{prefix}reply_token_budget": max(budgets) if budgets else None,
        })
    return figures
