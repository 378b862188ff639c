"""K users talking at once: real `kindred serve` replicas on loopback, one WebSocket per user.

Each simulated user signs in with their own account (a token issued into the shared
database, as the sign-in page would), opens the conversation socket on a replica (users are
spread round-robin) and says ``turns`` things one after another, waiting for each reply.
Every level runs against the same replicas and LLM server, after one uncounted warm-up turn
per replica; K=1, measured in the same run, is the baseline. Afterwards the database is
checked: a turn is *lost* when its user never got ``done`` for it, or its words are stored
without an assistant row.

The LLM is, by default, a stand-in OpenAI-compatible server that streams a fixed reply at a
fixed pace with unlimited concurrency (see simulated_llm.py): this measures Kindred's serving
tier. ``--model small`` puts a real llama-cpp-python server with the packaged tiny model
behind it instead (one request at a time on this CPU: expect queueing), ``--llm-url`` any
OpenAI-compatible server already running, e.g. vLLM. ``--model embedded`` has no LLM server: the
one replica loads the packaged embedded model itself, as `kindred serve` does by default.
``--memory-extraction llm`` turns on the LLM's fact extraction after each reply (the product's
default; the bench's is rules, so that it measures serving rather than extraction).

After the levels, two scenarios (load_scenarios.py): a person who sends the next message the
moment a reply arrives, and one who sends 100,000 characters and then an everyday message.
``--scenarios-only`` runs just those (and the warm-up), for a slow in-process model.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .load_scenarios import QUICK_MESSAGES, run_scenarios, scenario_figures, scenario_table
from .load_users import TurnResult, simulate_users, unanswered_turns
from .prompt_tokens import count_recorded

DEFAULT_USERS = (10, 50, 200)
QUICK_USERS = (2, 5)
REPLY_TOKENS = 24
RECORD_FILE = "llm-calls.jsonl"
LEVELS_RECORD_FILE = "llm-calls-levels.jsonl"  # the levels' calls alone: the scenarios' would skew the sizing
EMBEDDED = "embedded"
# Rules-only fact extraction: with "llm" every turn makes a second LLM call after the reply;
# deploy.md counts that call's tokens when sizing GPUs.
# --memory-extraction llm (or KINDRED_MEMORY_EXTRACTION=llm in the environment) puts that call back.
SERVER_ENV = {"KINDRED_MEMORY_EXTRACTION": os.environ.get("KINDRED_MEMORY_EXTRACTION", "rules"),
              "KINDRED_MAX_REPLY_TOKENS": str(REPLY_TOKENS)}


def server_env(options: dict[str, Any]) -> dict[str, str]:
    env = dict(SERVER_ENV)
    if options.get("memory_extraction"):
        env["KINDRED_MEMORY_EXTRACTION"] = options["memory_extraction"]
    return env


@contextlib.contextmanager
def _llm(options: dict[str, Any], folder: Path):
    """(url, model name, description) of the LLM server the replicas share."""
    if options.get("llm_url"):
        yield options["llm_url"], options.get("llm_model") or "", f"OpenAI-compatible server at {options['llm_url']}"
        return
    if options.get("model") == EMBEDDED:  # no server: each replica loads the model in its own process
        yield "", "", "the packaged embedded model, in the `kindred serve` process, on this CPU"
        return
    if options.get("model") == "small":
        from ..dialogue.llm_server import LocalLLMServer

        server = LocalLLMServer(log_path=folder / "llm.log", threads=2)
        description = "llama-cpp-python server, SmolLM2-135M Q4_1, on this CPU"
    else:
        from .simulated_llm import SimulatedLLMServer

        server = SimulatedLLMServer(tokens=REPLY_TOKENS, token_ms=20, first_token_ms=80, log_path=folder / "llm.log",
                                    record=folder / RECORD_FILE)
        description = (f"simulated OpenAI-compatible server: first token after 80 ms, then {REPLY_TOKENS} tokens "
                       "at 20 ms each, unlimited concurrency")
    with server as url:
        yield url, server.model, description


def _issue_tokens(home: Path, count: int) -> list[str]:
    """Throwaway accounts in the bench's own database, with cheap argon2 settings (nobody signs in)."""
    from argon2 import PasswordHasher

    from ..server.accounts import AccountBook
    from ..server.db import ServerDatabase

    home.mkdir(parents=True, exist_ok=True)
    db = ServerDatabase(home / "kindred.db")
    try:
        accounts = AccountBook(db, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        names = [accounts.create(f"load-{i:04d}", "load test password") for i in range(count)]
        return [accounts.issue_token(name) for name in names]
    finally:
        db.close()


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise_level(users: int, results: list[TurnResult], wall_s: float) -> dict[str, Any]:
    answered = [r for r in results if r.ok]
    ttfts = [r.ttft_s * 1000 for r in answered if r.ttft_s is not None]
    return {
        "users": users, "turns": len(answered), "errors": sum(1 for r in results if not r.ok),
        "lost": sum(1 for r in results if r.lost), "wall_s": wall_s,
        "turns_per_s": len(answered) / wall_s if wall_s > 0 else 0.0,
        "ttft_p50_ms": _percentile(ttfts, 0.5), "ttft_p95_ms": _percentile(ttfts, 0.95),
        "turn_p50_s": statistics.median(r.total_s for r in answered) if answered else None,
        "error_codes": sorted({r.error for r in results if r.error}),
    }


def _link_models(home: Path) -> None:
    """The person's assembled models, so an in-process model is not rebuilt from its packages per run."""
    from ..config import load_settings

    mine = load_settings().models_dir
    mine.mkdir(parents=True, exist_ok=True)
    (home / "models").symlink_to(mine, target_is_directory=True)


def _replica_count(options: dict[str, Any]) -> int:
    count = int(options.get("replicas") or 1)
    if options.get("model") == EMBEDDED and count > 1:
        raise ConfigError("With --model embedded each replica would load its own copy of the model on this CPU.",
                          "Leave out --replicas, or put a shared server behind them with --llm-url.",
                          code="bench-replicas-embedded")
    return count


def run(options: dict[str, Any]) -> dict[str, Any]:
    from ..server.process import ServerProcess

    quick = bool(options.get("quick"))
    only_scenarios = bool(options.get("scenarios_only"))
    levels = () if only_scenarios else tuple(options.get("users") or (QUICK_USERS if quick else DEFAULT_USERS))
    turns = int(options.get("turns") or (1 if quick else 2))
    replica_count = _replica_count(options)
    env = server_env(options)
    with tempfile.TemporaryDirectory(prefix="kindred-bench-load-") as tmp, _llm(options, Path(tmp)) as llm:
        url, model, described = llm
        home = Path(tmp) / "home"
        tokens = _issue_tokens(home, max(levels, default=0) + replica_count + 2)
        warm_up, scenario_tokens, tokens = tokens[:replica_count], tokens[-2:], tokens[replica_count:-2]
        in_process = EMBEDDED if options.get("model") == EMBEDDED else ""
        if in_process:
            _link_models(home)
        replicas = [ServerProcess(home, llm_url=url, llm_model=model, model=in_process, env=env)
                    for _ in range(replica_count)]
        with contextlib.ExitStack() as running:
            for replica in replicas:
                running.enter_context(replica)
            urls = [r.url for r in replicas]
            # One uncounted turn per replica first: its first turn loads models lazily, which no later one pays.
            asyncio.run(simulate_users(urls, warm_up, 1))
            rows = []
            for users in () if only_scenarios else (1, *levels):  # K=1 first: the baseline, same servers
                started = time.perf_counter()
                results = asyncio.run(simulate_users(urls, tokens[:users], turns))
                rows.append(summarise_level(users, results, time.perf_counter() - started))
            record = Path(tmp) / RECORD_FILE
            if record.exists():  # the simulated server opens it per call: later calls start a new file
                os.replace(record, Path(tmp) / LEVELS_RECORD_FILE)
            scenarios = scenario_figures(*asyncio.run(run_scenarios(urls[0], scenario_tokens[0], scenario_tokens[1],
                                                                      QUICK_MESSAGES)))
        unanswered = unanswered_turns(home / "kindred.db")
        recorded = count_recorded(Path(tmp) / LEVELS_RECORD_FILE)
    return _report(rows, unanswered, described, replica_count, turns, recorded, env, scenarios)


def _report(rows: list[dict[str, Any]], unanswered: int, described: str, replicas: int,
            turns: int, tokens: dict[str, Any], env: dict[str, str], scenarios: dict[str, Any]) -> dict[str, Any]:
    extraction = env["KINDRED_MEMORY_EXTRACTION"]
    figures: dict[str, Any] = {"replicas": replicas, "turns_per_user": turns, "llm": described,
                               "memory_extraction": extraction, **scenarios, "stored_without_reply": unanswered,
                               "lost_turns": sum(r["lost"] for r in rows) + unanswered}
    for row in rows:
        key = f"k{row['users']}"
        for name in ("turns", "errors", "lost", "turns_per_s", "ttft_p50_ms", "ttft_p95_ms", "turn_p50_s"):
            value = row[name]
            figures[f"{key}_{name}"] = round(value, 3) if isinstance(value, float) else value
    table = {"title": f"{replicas} replica(s), {turns} turn(s) per user; K=1 is the baseline",
             "columns": ["K users", "turns ok", "errors", "lost", "turns/s", "TTFT p50 ms", "TTFT p95 ms",
                         "turn p50 s", "wall s"],
             "rows": [[r["users"], r["turns"], r["errors"], r["lost"], r["turns_per_s"], r["ttft_p50_ms"],
                       r["ttft_p95_ms"], r["turn_p50_s"], r["wall_s"]] for r in rows]}
    notes = [
        f"LLM: {described}. Each replica is a real `kindred serve` process (feelings, recall, safety and storage "
        f"as deployed; memory extraction: {extraction}) over one SQLite file; "
        "clients are WebSockets in this process.",
        "TTFT: from sending {type: say} to the first token event. turn: to the done event. errors: turns that "
        "ended in an error event or a broken socket. lost: turns the user never got done for, plus "
        f"{unanswered} stored user turn(s) without an assistant row after the run.",
        f"Scenarios: busy_after_reply counts turn-busy refusals of the {scenarios['busy_after_reply_tries']} "
        "messages sent on the reply event (each is sent again after done); reply → done is how long a turn kept "
        "the socket after its reply. reply_after_long_message: the everyday message after a "
        f"{scenarios['long_message_chars']:,}-character one got a reply and no error.",
    ]
    if tokens:
        figures.update(tokens)
        sent = sum(r["turns"] + r["errors"] for r in rows) + replicas  # and one warm-up turn per replica
        figures["llm_calls_per_turn"] = round(tokens["llm_calls"] / sent, 2) if sent else None
        if "prompt_tokens_mean" in tokens:
            notes.append(f"What each reply call asked for ({tokens['tokenizer']} tokens): prompt mean "
                         f"{tokens['prompt_tokens_mean']}, p95 {tokens['prompt_tokens_p95']}, max "
                         f"{tokens['prompt_tokens_max']}, of which {tokens['shared_prefix_tokens']} shared by all "
                         f"(the persona, cacheable); reply budget {tokens['reply_token_budget']} tokens.")
        if "extraction_prompt_tokens_mean" in tokens:
            notes.append(f"Memory extraction calls: prompt mean {tokens['extraction_prompt_tokens_mean']}, p95 "
                         f"{tokens['extraction_prompt_tokens_p95']}; JSON budget "
                         f"{tokens['extraction_reply_token_budget']} tokens.")
        notes.append(f"{figures['llm_calls_per_turn']} LLM calls per turn. docs/deploy.md turns this into GPUs.")
    codes = sorted({c for r in rows for c in r["error_codes"]} | set(scenarios["scenario_error_codes"]))
    if codes:
        notes.append("error codes seen: " + ", ".join(codes))
    return {"title": "Concurrent users over WebSocket against Kindred replicas on loopback",
            "tables": ([table] if rows else []) + [scenario_table(scenarios)], "figures": figures, "notes": notes}
