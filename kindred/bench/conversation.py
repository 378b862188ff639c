"""`kindred bench conversation`: time to first token turn after turn, as a conversation grows.

Each turn is what `kindred chat` does with the model: the reply is generated from the
conversation so far, then the same model extracts memories from the message (its own prompt).
Two prompt layouts run on the same model file, one after the other:

- **cached conversation** (Kindred now): persona first, then the history, and this turn's notes
  (memories, feeling, language) just before the newest message; the history drops old exchanges four
  at a time; the conversation's evaluated state is copied back after extraction.
- **notes first** (Kindred before 2026-11-27, the baseline): the notes between persona and
  history, a window sliding by one exchange, nothing kept across the extraction.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import time
from dataclasses import replace
from datetime import date
from typing import Any

from ..config import load_settings
from ..dialogue.backends import open_chat_model
from ..dialogue.chat_model import ChatMessage, GenerationOptions
from ..dialogue.persona import default_persona
from ..dialogue.prompt import NOTES_KEY, PromptContext, build_messages, history_rows, turn_notes
from ..events import RecalledMemory
from ..memory.extract import extract
from ..memory.records import StoredTurn

MESSAGES = {
    "en": ["I finally told my manager I need a break.", "She said yes, two weeks off from Monday!",
           "I want to visit my grandmother in Busan.", "She has been sick since the spring.",
           "My brother Tom might come with me.", "We haven't travelled together in years.",
           "I'm a bit nervous about the long train ride.", "Do you think I should bring her something?",
           "She loves plum tea and old photos.", "Thanks, that helps a lot."],
    "ko": ["드디어 팀장님한테 쉬고 싶다고 말했어.", "월요일부터 2주 쉬래!", "부산에 계신 할머니 뵈러 가고 싶어.",
           "할머니가 봄부터 편찮으셔.", "동생 민수도 같이 갈지도 몰라.", "우리 둘이 여행한 지 몇 년 됐어.",
           "기차 오래 타는 게 좀 걱정돼.", "할머니께 뭘 사 가면 좋을까?", "매실차랑 옛날 사진을 좋아하셔.",
           "고마워, 많이 도움 됐어."],
}


def notes_first(ctx: PromptContext) -> list[ChatMessage]:
    """The baseline layout: this turn's notes inside the system message, before the history
    (and no notes kept with earlier exchanges)."""
    *conversation, notes, said = build_messages(replace(ctx, notes_as_system=True))
    persona, rest = conversation[0], [m for m in conversation[1:] if m.role != "system"]
    return [ChatMessage("system", f"{persona.content}\n\n{notes.content}"), *rest, said]


def _turn(number: int, role: str, text: str, language: str, notes: str = "") -> StoredTurn:
    return StoredTurn(number, f"t{number // 2}", "bench", "s", role, text, language, "ok", "",
                      {NOTES_KEY: notes} if notes else {})


async def _conversation(chat, language: str, cached: bool, max_tokens: int, turns: int,
                        keep: int) -> list[float]:
    rows: list[StoredTurn] = []
    firsts: list[float] = []
    for number, text in enumerate(MESSAGES[language][:turns]):
        window = history_rows(len(rows), keep) if cached else min(len(rows), 2 * keep)
        earlier = [r.text for r in rows if r.role == "user"][-3:]
        ctx = PromptContext(persona=default_persona(), user_text=text, language=language,
                            notes_as_system=getattr(chat, "accepts_late_system", False),
                            history=rows[len(rows) - window:], feeling="nervousness, hope; overall mood even",
                            memories=tuple(RecalledMemory(i + 1, t, "related", "earlier today")
                                           for i, t in enumerate(earlier)))
        messages = build_messages(ctx) if cached else notes_first(ctx)
        started, first, reply = time.perf_counter(), None, []
        async for piece in chat.stream(messages, GenerationOptions(max_tokens=max_tokens, temperature=0.0)):
            first = first if first is not None else time.perf_counter() - started
            reply.append(piece)
        firsts.append(first if first is not None else time.perf_counter() - started)
        rows += [_turn(2 * number, "user", text, language),
                 _turn(2 * number + 1, "assistant", "".join(reply), language, turn_notes(ctx) if cached else "")]
        await extract(text, date.today(), model=chat)  # the model reads another prompt between replies
        print(f"  {'cached' if cached else 'baseline'} {language} turn {number + 1}: first token "
              f"{firsts[-1]:.2f} s", flush=True)
    return firsts


def run(options: dict[str, Any]) -> dict[str, Any]:
    from ..dialogue.llama_cpp import LlamaCppChat

    quick = bool(options.get("quick"))
    key = options.get("model") or ("small" if quick else "embedded")
    turns, max_tokens = (6 if quick else 10), (24 if quick else 48)
    settings = load_settings(llm=key)
    chat = open_chat_model(settings)
    if not isinstance(chat, LlamaCppChat):
        raise SystemExit("bench conversation measures the in-process llama.cpp model; drop --model URL")
    baseline = LlamaCppChat(chat.path, name=chat.model, context_tokens=settings.context_tokens, prefix_slots=0)
    rows: list[list[Any]] = []
    figures: dict[str, Any] = {"model": chat.model, "turns": turns}
    for language in MESSAGES:
        for name, model, cached in (("cached conversation", chat, True), ("notes first (before)", baseline, False)):
            firsts = asyncio.run(_conversation(model, language, cached, max_tokens, turns,
                                                  settings.history_turns))
            later = firsts[1:]  # the first turn reads the persona either way
            p50, worst = statistics.median(later), max(later)
            rows.append([language, name, firsts[0], p50, worst, firsts[-1]])
            tag = "cached" if cached else "baseline"
            figures.update({f"{tag}_{language}_ttft_p50_s": round(p50, 3), f"{tag}_{language}_ttft_max_s":
                            round(worst, 3), f"{tag}_{language}_ttft_last_s": round(firsts[-1], 3)})
        figures[f"speedup_{language}_p50"] = round(figures[f"baseline_{language}_ttft_p50_s"]
                                                   / figures[f"cached_{language}_ttft_p50_s"], 2)
    return {
        "title": f"First token over a {turns}-turn conversation on {os.cpu_count()} cores ({chat.model})",
        "tables": [{"title": "seconds to the first token of each reply (memory extraction runs between replies)",
                    "columns": ["language", "prompt layout", "turn 1", "p50 turns 2+", "max turns 2+", "last turn"],
                    "rows": rows}],
        "figures": figures,
        "notes": [f"{turns} messages per language, replies up to {max_tokens} tokens at temperature 0, "
                  f"history window {settings.history_turns} exchanges; both layouts load the same model file."],
    }
