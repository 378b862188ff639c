"""`kindred bench replies`: her words, checked reply by reply, against the same model on a plain prompt.

Every message of the project's own set (``data/replies_single.jsonl``: single first messages;
``data/replies_conversations.jsonl``: conversations of 4-6 turns) goes through the real turn loop
as `kindred chat` runs it: emotion model, recall, the plan, the guard, memory extraction with the
LLM after each reply. Each single message and each conversation is a new person, so no
earlier message is remembered into the next. The baseline, in the same run and on the same loaded
model file, is what a llama.cpp user gets: the persona as the only system message, the
conversation so far, and llama.cpp's default decoding (temperature 0.8, top-p 0.95, no repeat
penalty), capped at 512 tokens.

Each reply is checked (:mod:`.reply_checks`); the figures are the share passing each check and
all of them, per language, for single messages and for conversation turns. Times are seconds
from the message to the first token and to the end of the reply, in the steady state of a
running `kindred chat` (stable prefixes cached, extraction between replies). Every reply pair is
written to a JSONL file, ten random pairs are printed, and a PNG compares the pass rates.
"""
from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import load_settings
from ..dialogue.chat_model import ChatMessage, GenerationOptions
from ..dialogue.persona import default_persona
from ..events import Chose, Failed, Replied, Suggested, Token
from ..runtime import open_companion
from .fresh_home import fresh_settings
from .once import chat_once_first_tokens
from .reply_checks import CHECKS, Exchange, check
from .reply_plot import plot_pass_rates

DATA = Path(__file__).parent / "data"
LANGUAGES = ("en", "ko")
BASELINE_OPTIONS = GenerationOptions(max_tokens=512, temperature=0.8, top_p=0.95, repeat_penalty=1.0)
WARM_UP = {"en": "Hey, how's it going?", "banmal": "안녕, 오늘 좀 피곤하다",
           "jondaetmal": "안녕하세요, 오늘 좀 피곤해요"}


def load_set(quick: bool, sample: int | None, languages: tuple[str, ...] = LANGUAGES) -> tuple[list[dict], list[dict]]:
    singles = [m for line in (DATA / "replies_single.jsonl").read_text("utf-8").splitlines() if line
               if (m := json.loads(line))["language"] in languages]
    talks = [c for line in (DATA / "replies_conversations.jsonl").read_text("utf-8").splitlines() if line
             if (c := json.loads(line))["language"] in languages]
    if quick:
        sample = sample or 3
    if sample:
        singles = [m for lang in LANGUAGES for m in _spread([s for s in singles if s["language"] == lang], sample)]
        talks = [c for lang in LANGUAGES for c in _spread([t for t in talks if t["language"] == lang],
                                                          max(1, sample // 5))]
    if quick:
        talks = [{**c, "turns": c["turns"][:3]} for c in talks]
    return singles, talks


def _spread(items: list, count: int) -> list:
    """``count`` items spread evenly over the list (the set is ordered by situation)."""
    if count >= len(items):
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


class Baseline:
    """The same model, as a llama.cpp user would run it: the persona alone, default decoding."""

    def __init__(self, chat) -> None:
        self.chat = chat
        self.persona = default_persona()

    async def reply(self, history: list[ChatMessage], text: str) -> tuple[str, float, float]:
        messages = [ChatMessage("system", self.persona), *history, ChatMessage("user", text)]
        started, first, pieces = time.perf_counter(), None, []
        async for piece in self.chat.stream(messages, BASELINE_OPTIONS):
            first = first if first is not None else time.perf_counter() - started
            pieces.append(piece)
        total = time.perf_counter() - started
        return "".join(pieces).strip(), first if first is not None else total, total


async def kindred_reply(companion, text: str, user: str, new_session: bool) -> dict[str, Any]:
    """One turn through the real loop; what the person would see, and when."""
    started, first, model_first, replied_at = time.perf_counter(), None, None, None
    reply, suggested, finish = "", False, ""
    strategies: tuple[str, ...] = ()
    async for event in companion.turn(text, user=user, new_session=new_session):
        if isinstance(event, Token):
            # The first words the person sees may be said by policy (the Korean opening); the model's
            # own first token is timed too, so the bench never credits the opening with the model's speed.
            now = time.perf_counter() - started
            first = first if first is not None else now
            model_first = model_first if model_first is not None or event.policy else now
        elif isinstance(event, Chose):
            strategies = tuple(event.strategies)
        elif isinstance(event, Suggested):
            suggested = True
        elif isinstance(event, Replied):
            replied_at = time.perf_counter() - started
            reply, finish = event.text, event.finish
        elif isinstance(event, Failed):  # kept in the JSONL so a reader sees why a reply is missing
            finish = f"failed:{event.stage}:{event.code}"
    # A reply given whole by policy (an opening with its question, a safety reply) comes in Replied alone:
    # its first words are seen then. The model's own first token stays unset: it never ran.
    first = first if first is not None else replied_at
    return {"reply": reply, "strategies": strategies, "suggested": suggested, "finish": finish,
            "first_s": first, "model_first_s": model_first, "reply_s": replied_at,
            "turn_s": time.perf_counter() - started}


def _exchange(language: str, register: str, person: str, reply: str, earlier: list[str], index: int,
              flags: list[str], kindred: dict[str, Any]) -> Exchange:
    return Exchange(language, register if language == "ko" else "", person, reply, tuple(earlier), index,
                    frozenset(flags), kindred["strategies"], kindred["suggested"])


def _expected_register(language: str, flags: list[str], conversation_register: str = "") -> str:
    if language != "ko":
        return ""
    if conversation_register == "jondaetmal" or "jondaetmal" in flags:
        return "jondaetmal"
    return "banmal"


async def _run_all(companion, baseline: Baseline | None, singles: list[dict], talks: list[dict],
                   progress) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for voice, text in WARM_UP.items():  # steady state: every stable prefix evaluated once, not measured
        await kindred_reply(companion, text, f"warm-up-{voice}", True)
    if baseline is not None:
        await baseline.reply([], WARM_UP["en"])
    for number, message in enumerate(singles, start=1):
        mine = await kindred_reply(companion, message["text"], f"bench-{message['id']}", True)
        plain, plain_first, plain_total = await _plain(baseline, [], message["text"])
        register = _expected_register(message["language"], message["flags"])
        rows.append(_row("single", message["id"], 0, message, register, mine, plain, plain_first, plain_total,
                         [], []))
        progress(rows, f"single {number}/{len(singles)}")
    for number, talk in enumerate(talks, start=1):
        user = f"bench-{talk['id']}"
        history: list[ChatMessage] = []
        mine_before: list[str] = []
        plain_before: list[str] = []
        register = "jondaetmal" if talk.get("register") == "jondaetmal" else "banmal"
        turns = list(talk["turns"])
        if talk.get("next_session"):
            turns.append({"text": talk["next_session"], "flags": ["next_session"]})
        for index, turn in enumerate(turns):
            new_session = index == 0 or "next_session" in turn["flags"]
            if "next_session" in turn["flags"]:  # a new conversation: she must still use what she learned
                history, mine_before, plain_before = [], [], []
            mine = await kindred_reply(companion, turn["text"], user, new_session)
            plain, plain_first, plain_total = await _plain(baseline, history, turn["text"])
            expected = _expected_register(talk["language"], turn["flags"], register)
            rows.append(_row("conversation", talk["id"], index, {**turn, "language": talk["language"]}, expected,
                             mine, plain, plain_first, plain_total, mine_before, plain_before))
            mine_before.append(mine["reply"])
            if plain is not None:  # --no-baseline: no baseline conversation to carry on
                history += [ChatMessage("user", turn["text"]), ChatMessage("assistant", plain)]
                plain_before.append(plain)
        progress(rows, f"conversation {number}/{len(talks)}")
    return rows


async def _plain(baseline: Baseline | None, history: list[ChatMessage], text: str) -> tuple[str | None, float | None,
                                                                                         float | None]:
    """The baseline's reply, or nothing when the run skips it (``--no-baseline``: half the time, no margins)."""
    if baseline is None:
        return None, None, None
    return await baseline.reply(history, text)


def _row(kind: str, ident: str, index: int, message: dict, register: str, mine: dict, plain: str | None,
         plain_first: float | None, plain_total: float | None, mine_before: list[str],
         plain_before: list[str]) -> dict[str, Any]:
    language, flags = message["language"], list(message.get("flags", []))
    ours = check(_exchange(language, register, message["text"], mine["reply"], mine_before, index, flags, mine))
    theirs = None if plain is None else check(_exchange(language, register, message["text"], plain, plain_before,
                                                         index, flags, mine))
    return {"kind": kind, "id": ident, "turn": index, "language": language, "register": register,
            "flags": flags, "situation": message.get("situation", ""),
            "person": message["text"], "kindred": mine["reply"], "baseline": plain,
            "strategies": list(mine["strategies"]), "suggested": mine["suggested"], "finish": mine["finish"],
            "kindred_checks": ours, "baseline_checks": theirs,
            "kindred_first_s": mine["first_s"],
            "kindred_model_first_s": mine["model_first_s"], "kindred_reply_s": mine["reply_s"],
            "kindred_turn_s": mine["turn_s"],
            "baseline_first_s": plain_first, "baseline_reply_s": plain_total}


# A single message whose feeling's sign the set knows. A reply's feeling may be sad with a sad person (that
# is empathy) but not bright; nor pitying with someone telling good news.
HURTING = frozenset({"grief", "pet_loss", "shame", "loneliness", "nerves", "anger", "exhaustion", "left_out",
                     "family_worry", "venting"})
GLAD = frozenset({"good_news", "pride", "relief"})
CLEAR_TONE = 0.3  # a reply read at least this far to the wrong side of zero sounds wrong to the person


def tone_misfit(situation: str, reply_valence: float) -> bool:
    """The reply's feeling, as Kindred's own reader hears it, is on the wrong side for the situation."""
    return ((situation in HURTING and reply_valence >= CLEAR_TONE)
            or (situation in GLAD and reply_valence <= -CLEAR_TONE))


def read_tones(emotion, rows: list[dict[str, Any]]) -> None:
    """The automatic checks see the form; this sees one thing of the sense: whether the reply sounds
    glad to a hurting person or sorry to a glad one (the product's emotion reader on the reply). Reported
    beside the checks, not in pass-all, so pass-all stays the issue's list."""
    for row in rows:
        for side in ("kindred", "baseline"):
            text = row.get(side)
            fits = None
            if emotion is not None and text and row.get("situation") in HURTING | GLAD:
                fits = not tone_misfit(row["situation"], emotion.read(text).valence)
            row[f"{side}_tone_fits"] = fits


def _tone_rate(rows: list[dict], side: str) -> float | None:
    known = [r[f"{side}_tone_fits"] for r in rows if r.get(f"{side}_tone_fits") is not None]
    return round(sum(known) / len(known), 3) if known else None


def _rate(rows: list[dict], side: str, name: str | None = None) -> float | None:
    if not rows:
        return None
    if name is None:
        passed = sum(1 for r in rows if not any(r[f"{side}_checks"].values()))
    else:
        passed = sum(1 for r in rows if not r[f"{side}_checks"][name])
    return round(passed / len(rows), 3)


def _percentile(values: Sequence[float | None], share: float) -> float | None:
    known = sorted(v for v in values if v is not None)
    if not known:
        return None
    return round(known[min(len(known) - 1, round(share * (len(known) - 1)))], 3)


def summarise(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    figures: dict[str, Any] = {}
    tables = []
    sides = ("kindred", "baseline") if any(r["baseline_checks"] is not None for r in rows) else ("kindred",)
    for language in sorted({r["language"] for r in rows}, key=LANGUAGES.index):
        table_rows = []
        for kind in ("single", "conversation"):
            chosen = [r for r in rows if r["language"] == language and r["kind"] == kind
                      and r["finish"] != "crisis"]
            if not chosen:
                continue
            for side in sides:
                figures[f"{language}_{kind}_pass_all_{side}"] = _rate(chosen, side)
                for name in CHECKS:
                    figures[f"{language}_{kind}_{name}_{side}"] = _rate(chosen, side, name)
            if "baseline" in sides:
                figures[f"{language}_{kind}_margin"] = round(figures[f"{language}_{kind}_pass_all_kindred"]
                                                             - figures[f"{language}_{kind}_pass_all_baseline"], 3)
            figures[f"{language}_{kind}_count"] = len(chosen)
            for side in sides:
                if (tone := _tone_rate(chosen, side)) is not None:
                    figures[f"{language}_{kind}_tone_fits_{side}"] = tone
            for side in sides:
                table_rows.append([kind, side, len(chosen), figures[f"{language}_{kind}_pass_all_{side}"],
                                   *(figures[f"{language}_{kind}_{n}_{side}"] for n in CHECKS),
                                   figures.get(f"{language}_{kind}_tone_fits_{side}", "")])
        mine = [r for r in rows if r["language"] == language]
        figures[f"{language}_echo_rate"] = round(1 - (_rate(mine, "kindred", "no_echo") or 0), 3)
        figures[f"{language}_register_right"] = _rate(mine, "kindred", "register")
        for side in sides:
            firsts = [r[f"{side}_first_s"] for r in mine]
            totals = [r[f"{side}_reply_s"] for r in mine]
            figures[f"{language}_{side}_first_token_p50_s"] = _percentile(firsts, 0.5)
            figures[f"{language}_{side}_first_token_p95_s"] = _percentile(firsts, 0.95)
            figures[f"{language}_{side}_reply_p50_s"] = _percentile(totals, 0.5)
            figures[f"{language}_{side}_reply_p95_s"] = _percentile(totals, 0.95)
        model_firsts = [r.get("kindred_model_first_s") for r in mine]
        figures[f"{language}_kindred_model_first_token_p50_s"] = _percentile(model_firsts, 0.5)
        figures[f"{language}_kindred_model_first_token_p95_s"] = _percentile(model_firsts, 0.95)
        # How many replies the model did not write at all (said whole by policy: an opening and its question,
        # her answer to "what are you doing?", a safety reply): read the first-token figures with it.
        figures[f"{language}_kindred_whole_by_policy"] = round(sum(1 for v in model_firsts if v is None)
                                                               / max(1, len(model_firsts)), 3)
        tables.append({"title": f"{language}: share of replies passing each check",
                       "columns": ["messages", "prompt", "n", "all", *CHECKS, "tone fits (not in all)"],
                       "rows": table_rows})
    tables.append({"title": "seconds from the message (steady state; extraction runs between replies)",
                   "columns": ["language", "prompt", "first token p50", "p95", "whole reply p50", "p95"],
                   "rows": [[lang, side, figures[f"{lang}_{side}_first_token_p50_s"],
                             figures[f"{lang}_{side}_first_token_p95_s"], figures[f"{lang}_{side}_reply_p50_s"],
                             figures[f"{lang}_{side}_reply_p95_s"]]
                            for lang in sorted({r["language"] for r in rows}, key=LANGUAGES.index)
                            for side in sides]
                           + [[lang, "kindred, the model's own first token",
                               figures[f"{lang}_kindred_model_first_token_p50_s"],
                               figures[f"{lang}_kindred_model_first_token_p95_s"], "", ""]
                              for lang in sorted({r["language"] for r in rows}, key=LANGUAGES.index)]})
    return figures, tables


def _pairs(rows: list[dict[str, Any]], count: int = 10, seed: int = 0) -> list[str]:
    chosen = random.Random(seed).sample(rows, min(count, len(rows)))
    out = []
    for r in chosen:
        failed = [f"{k}: {v}" for k, v in r["kindred_checks"].items() if v]
        out.append(f"[{r['id']} turn {r['turn'] + 1}] person: {r['person']}\n"
                   f"  kindred:  {r['kindred']}" + (f"   ✗ {'; '.join(failed)}" if failed else "") +
                   (f"\n  baseline: {r['baseline'][:400]}" if r["baseline"] is not None else ""))
    return out


def run(options: dict[str, Any]) -> dict[str, Any]:
    quick = bool(options.get("quick"))
    model = options.get("model") or ("small" if quick else "embedded")
    languages = tuple(options.get("languages") or LANGUAGES)
    singles, talks = load_set(quick, options.get("sample"), languages)
    out_dir = Path(options.get("out") or load_settings().home / "bench")
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    started = time.perf_counter()

    # Replies land in a partial file as they come, so a long run can be read while it runs and a killed one
    # keeps what it had; the final file (with the tone readings) replaces it.
    partial = out_dir / f"replies-{stamp}.partial.jsonl"
    written = 0

    def progress(rows: list[dict], where: str) -> None:
        nonlocal written
        with partial.open("a", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[written:])
        written = len(rows)
        done = [r for r in rows if r["finish"] != "crisis"]
        rate = _rate(done, "kindred")
        print(f"  {where}: {len(rows)} replies, pass-all so far {rate if rate is not None else '-'} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)

    with tempfile.TemporaryDirectory(prefix="kindred-bench-replies-") as home:
        settings = fresh_settings(model, Path(home))
        companion = open_companion(settings)
        baseline = None if options.get("no_baseline") else Baseline(companion.chat)
        rows = asyncio.run(_run_all(companion, baseline, singles, talks, progress))
        read_tones(companion.emotion, rows)
        once = chat_once_first_tokens(model, Path(home), WARM_UP["en"]) if not options.get("no_once") else {}
    path = out_dir / f"replies-{stamp}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    partial.unlink(missing_ok=True)
    figures, tables = summarise(rows)
    figures.update({"model": companion.chat.model, "replies_file": str(path), **once})
    plot = plot_pass_rates(figures, out_dir / f"replies-{stamp}.png")
    notes = [f"Every reply pair: {path}", *(_pairs(rows))]
    if once:
        notes.append(f"`kindred chat --once` first token: {once.get('once_first_token_cold_s')} s without a saved "
                     f"prefix, {once.get('once_first_token_saved_s')} s with it.")
    if plot:
        notes.append(f"Plot: {plot}")
    return {"title": f"Her replies on {companion.chat.model}: {len(singles)} single messages, {len(talks)} "
                     f"conversations, against the same model on a plain prompt",
            "tables": tables, "figures": figures, "notes": notes}
