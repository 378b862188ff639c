"""`kindred bench memory --qa N`: the LLM answers LoCoMo questions from recalled memories, and again
from the last turns that fit its context window (the baseline), scored with LoCoMo's token F1.

Where the time goes (measured 2026-11-27, embedded 1.5B model, 2 shared cores): the baseline's window is
~3,700 tokens, and reading it costs 1–5 minutes (15 tokens/s when other jobs share the cores, about
70 on an idle machine); a memory prompt is ~500 tokens. The window is the same for every question of one
conversation, and llama.cpp keeps the evaluation of the last prompt and reuses its longest common prefix,
so questions are asked conversation by conversation, the window first and the question last, every
baseline question of a conversation before its memory questions: only the first one reads the window.
"""
from __future__ import annotations

import re
import sys
import time

from .memory import CATEGORIES, Conversation, memory_text

QA_SYSTEM = ("Answer the question from the conversation notes only. Give a short answer: a few words, "
             "a name or a date. If the notes do not say, answer: unknown.")
CONTEXTS = ("memory", "last turns")
CORRECT = 0.5  # F1 at or above this counts as a correct answer


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


def pick_questions(rows: list[dict], count: int, conversations: int | None = None,
                   samples: list[str] | None = None) -> list[list[dict]]:
    """``count`` questions of categories 1-4 in groups, one group per conversation.

    Each conversation costs one full read of the baseline's window however many of its questions are asked,
    so the questions come from ``conversations`` conversations (default: every one), spread evenly over the
    list (1, 4, 7 of 10 for three), and evenly over each conversation's questions, which LoCoMo lists roughly
    by category, so every category is drawn from. ``samples`` (LoCoMo sample ids) narrows the list first, so
    a run cut short can be continued on other conversations.
    """
    scored = [r for r in rows if r["category"] != 5 and (not samples or r["sample"] in samples)]
    samples = list(dict.fromkeys(r["sample"] for r in scored))
    if not samples or count < 1:
        return []
    k = max(1, min(conversations or len(samples), len(samples), count))
    chosen = [samples[(i * len(samples)) // k] for i in range(k)]
    groups = []
    for index, sample in enumerate(chosen):
        own = [r for r in scored if r["sample"] == sample]
        share = min(count // k + (index < count % k), len(own))
        groups.append([own[(j * len(own)) // share] for j in range(share)])
    return [g for g in groups if g]


class QAProgress:
    """One line per answered question on stderr (stdout keeps the tables and the last-line JSON)."""

    def __init__(self, total: int, stream=None, clock=None) -> None:
        self.total, self.stream, self.clock = total, stream or sys.stderr, clock or time.monotonic
        self.started = self.clock()
        self.scores: dict[str, list[float]] = {name: [] for name in CONTEXTS}

    def elapsed(self) -> float:
        return self.clock() - self.started

    def say(self, text: str) -> None:
        seconds = int(self.elapsed())
        self.stream.write(f"[qa {seconds // 60}m{seconds % 60:02d}s] {text}\n")
        self.stream.flush()

    def answered(self, row: dict, f1: dict[str, float]) -> None:
        for name in CONTEXTS:
            self.scores[name].append(f1[name])
        done = len(self.scores["memory"])
        marks = "  ".join(f"{name} F1 {f1[name]:.2f} {'✓' if f1[name] >= CORRECT else '✗'}" for name in CONTEXTS)
        running = ", ".join(f"{name} {self.accuracy(name):.3f}" for name in CONTEXTS)
        self.say(f"{done}/{self.total} {row['sample']} cat {row['category']}: {marks} | accuracy so far: {running}")

    def accuracy(self, name: str) -> float:
        scores = self.scores[name]
        return sum(f >= CORRECT for f in scores) / len(scores) if scores else float("nan")


async def _ask(chat, notes: list[str], question: str) -> str:
    from ..dialogue.chat_model import ChatMessage, GenerationOptions, complete

    # The notes first and the question last: consecutive baseline prompts then share the window as a prefix.
    messages = [ChatMessage("system", QA_SYSTEM),
                ChatMessage("user", "Notes:\n" + "\n".join(notes) + f"\n\nQuestion: {question}")]
    return (await complete(chat, messages, GenerationOptions(max_tokens=32, temperature=0.0))).strip()


async def answer_questions(conversations: list[Conversation], rows: list[dict], model_key: str, count: int, *,
                           qa_conversations: int | None = None, samples: list[str] | None = None,
                           minutes: float | None = None, chat=None, context_tokens: int | None = None,
                           stream=None) -> tuple[list, dict, list]:
    """Answer ``count`` questions twice with the same LLM: from the top 10 recalled memories, and from the last
    turns that fit its context window. With ``minutes``, no new conversation is started once its expected
    cost (the last one's) would pass that time: every question is answered both ways or not at all."""
    if chat is None:
        from ..config import load_settings
        from ..dialogue.backends import open_chat_model

        settings = load_settings(llm=model_key)
        chat, context_tokens = open_chat_model(settings), settings.context_tokens
    count_tokens = getattr(chat, "count_tokens", None) or (lambda text: len(text) // 3 + 1)
    by_id = {c.sample_id: c for c in conversations}
    budget = (context_tokens or 4096) - QA_ROOM
    groups = pick_questions(rows, count, qa_conversations, samples)
    progress = QAProgress(sum(len(g) for g in groups), stream)
    answers: list[dict] = []
    stopped = 0
    last_cost = 0.0
    for group in groups:
        if minutes is not None and answers and progress.elapsed() + last_cost > minutes * 60:
            stopped = sum(len(g) for g in groups) - len(answers)
            progress.say(f"stopping: the next conversation would pass {minutes:g} minutes; {stopped} questions left")
            break
        began = progress.elapsed()
        sample = group[0]["sample"]
        window = last_turns(by_id[sample], budget, count_tokens)
        progress.say(f"{sample}: {len(group)} questions; the baseline window is the last {len(window)} lines, "
                     f"{count_tokens(chr(10).join(window))} tokens")
        replies = []
        for index, row in enumerate(group, start=1):
            replies.append(await _ask(chat, window, row["question"]))
            progress.say(f"{sample}: baseline answer {index}/{len(group)}")
        for row, baseline in zip(group, replies):
            answer = {"sample": sample, "category": row["category"], "question": row["question"],
                      "gold": row["answer"], "memory": await _ask(chat, row["found"], row["question"]),
                      "last turns": baseline}
            f1 = {name: answer_f1(answer[name], row["answer"], row["category"]) for name in CONTEXTS}
            answer.update({f"{name} F1": round(f1[name], 4) for name in CONTEXTS})
            answers.append(answer)
            progress.answered(row, f1)
        last_cost = progress.elapsed() - began
    table, figures = qa_tables(answers)
    figures.update({"qa_model": getattr(chat, "model", "?"), "qa_seconds": round(progress.elapsed(), 1),
                    "qa_conversations": len({a["sample"] for a in answers}), "qa_questions_not_reached": stopped})
    return table, figures, answers


def qa_tables(answers: list[dict]) -> tuple[list, dict]:
    """Rows (context or category, questions, accuracy and mean F1 for both) and the flat figures."""
    figures: dict[str, object] = {"qa_questions": len(answers)}
    table = []
    groups = [("all (1-4)", answers)] + [(f"{c} {CATEGORIES[c]}", [a for a in answers if a["category"] == c])
                                         for c in (1, 2, 3, 4)]
    for label, subset in groups:
        if not subset:
            continue
        row: list[object] = [label, len(subset)]
        for name in CONTEXTS:
            f1s = [a[f"{name} F1"] for a in subset]
            accuracy, mean = sum(f >= CORRECT for f in f1s) / len(f1s), sum(f1s) / len(f1s)
            row += [accuracy, mean]
            if subset is answers:
                figures[f"qa_{name.replace(' ', '_')}_accuracy"] = round(accuracy, 4)
                figures[f"qa_{name.replace(' ', '_')}_mean_f1"] = round(mean, 4)
        table.append(row)
    return table, figures
