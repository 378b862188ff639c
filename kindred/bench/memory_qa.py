"""`kindred bench memory --qa N`: the LLM answers LoCoMo questions from recalled memories, and again
from the last turns that fit its context window (the baseline), scored with LoCoMo's token F1."""
from __future__ import annotations

import re

from .memory import Conversation, memory_text

QA_SYSTEM = ("Answer the question from the conversation notes only. Give a short answer: a few words, "
             "a name or a date. If the notes do not say, answer: unknown.")


def _tokens(text: str) -> list[str]:
    """Lower-case words without articles, as LoCoMo's scorer normalises answers before counting overlap."""
    return [t for t in re.findall(r"\w+", text.lower()) if t not in ("a", "an", "the")]


def token_f1(guess: str, gold: str) -> float:
    a, b = _tokens(guess), _tokens(gold)
    common = sum(min(a.count(t), b.count(t)) for t in set(a))
    if not a or not b or not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def answer_f1(guess: str, gold: str, category: int) -> float:
    """LoCoMo's convention: a multi-hop gold answer lists several items ("Aerosmith, The Fireworks"); each is
    scored against the best-matching part of the guess and the scores averaged, so naming one of two earns half."""
    if category != 1 or "," not in gold:
        return token_f1(guess, gold)
    golds = [g for g in gold.split(",") if g.strip()]
    guesses = [g for g in guess.split(",") if g.strip()] or [guess]
    return sum(max(token_f1(g, item) for g in guesses) for item in golds) / len(golds)


def last_turns(conversation: Conversation, budget_tokens: int, count_tokens) -> list[str]:
    """The conversation's latest lines, oldest first, as many as fit ``budget_tokens`` by the model's tokenizer."""
    lines = [f"[{when:%Y-%m-%d}] {memory_text(line)}" for when, session in conversation.sessions for line in session]
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        used += count_tokens(line + "\n")
        if used > budget_tokens:
            break
        kept.append(line)
    return kept[::-1]


QA_ROOM = 400  # tokens kept free in the window for the instructions, the question and the answer


async def answer_questions(conversations: list[Conversation], rows: list[dict], model_key: str,
                           count: int) -> tuple[list, dict, list]:
    """Answer ``count`` questions (spread evenly over categories 1-4 and conversations) twice with the same LLM:
    from the top 10 recalled memories, and from the last turns that fit its context window."""
    from ..config import load_settings
    from ..dialogue.backends import open_chat_model
    from ..dialogue.chat_model import ChatMessage, GenerationOptions, complete

    settings = load_settings(llm=model_key)
    chat = open_chat_model(settings)
    count_tokens = getattr(chat, "count_tokens", None) or (lambda text: len(text) // 3 + 1)
    by_id = {c.sample_id: c for c in conversations}
    budget = settings.context_tokens - QA_ROOM
    scored = [r for r in rows if r["category"] != 5]
    picked = scored[:: max(1, len(scored) // count)][:count]
    scores: dict[str, list[float]] = {"memory": [], "last turns": []}
    answers = [{"category": r["category"], "question": r["question"], "gold": r["answer"]} for r in picked]
    windows = {sample: last_turns(c, budget, count_tokens) for sample, c in by_id.items()}
    # One context at a time, questions in conversation order: the baseline's long notes are then the same
    # prefix for consecutive questions, and llama.cpp reuses their evaluation instead of reading 4k tokens again.
    for name in scores:
        for row, answer in zip(picked, answers):
            notes = row["found"] if name == "memory" else windows[row["sample"]]
            messages = [ChatMessage("system", QA_SYSTEM),
                        ChatMessage("user", "Notes:\n" + "\n".join(notes) + f"\n\nQuestion: {row['question']}")]
            answer[name] = (await complete(chat, messages, GenerationOptions(max_tokens=32, temperature=0.0))).strip()
            scores[name].append(answer_f1(answer[name], row["answer"], row["category"]))
    table = [[name, len(s), sum(f >= 0.5 for f in s) / len(s) if s else None, sum(s) / len(s) if s else None]
             for name, s in scores.items()]
    figures: dict[str, object] = {}
    for name, row in zip(scores, table):
        if row[2] is not None:
            figures[f"qa_{name.replace(' ', '_')}_accuracy"] = round(row[2], 4)
            figures[f"qa_{name.replace(' ', '_')}_mean_f1"] = round(row[3], 4)
    figures["qa_questions"] = len(picked)
    figures["qa_model"] = chat.model
    return table, figures, answers
