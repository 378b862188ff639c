"""K users talking at once: real `kindred serve` replicas on loopback, one WebSocket per user.

Each simulated user signs in with their own account (a token issued into the shared
database, as the sign-in page would), opens the conversation socket from their own loopback
address (people reach a deployment from addresses of their own: per-address limits count each
once) and says ``turns`` things one after another, waiting for each reply; a turn the server turns
away for now (server-busy, rate-limited: with Retry-After) is sent again when it says, as the page
does. One replica is talked to directly, over SQLite; ``--replicas N`` puts N over one PostgreSQL
behind nginx (load_proxy.py) and runs the levels through it to one replica first, then to all N.
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
START_TIMEOUT_S = 900.0  # a machine busy with other work starts processes slowly; a bench should wait, not fail
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
                                    record=folder / RECORD_FILE, start_timeout_s=START_TIMEOUT_S)
        description = (f"simulated OpenAI-compatible server: first token after 80 ms, then {REPLY_TOKENS} tokens "
                       "at 20 ms each, unlimited concurrency")
    with server as url:
        yield url, server.model, description


def _issue_tokens(database: Path | str, count: int) -> list[str]:
    """Throwaway accounts in the bench's own database, with cheap argon2 settings (nobody signs in)."""
    from argon2 import PasswordHasher

    from ..server.accounts import AccountBook
    from ..server.db import ServerDatabase

    if isinstance(database, Path):
        database.parent.mkdir(parents=True, exist_ok=True)
    db = ServerDatabase(database)
    try:
        accounts = AccountBook(db, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        names = [accounts.create(f"load-{i:04d}", "load test password") for i in range(count)]
        return [accounts.issue_token(name) for name in names]
    finally:
        db.close()


@contextlib.contextmanager
def _shared_database(home: Path, replicas: int):
    """Where the replicas keep everything: one SQLite file for one replica, else one PostgreSQL on loopback."""
    if replicas == 1:
        yield home / "kindred.db", "one SQLite file"
        return
    from ..database.loopback_postgres import LoopbackServer, Unavailable
    from ..errors import BackendUnavailableError

    try:
        server = LoopbackServer()
    except Unavailable as exc:
        raise BackendUnavailableError(f"No PostgreSQL for the replicas to share: {exc}",
                                      "pip install pgserver, or apt-get install postgresql.",
                                      code="bench-postgres-unavailable") from exc
    try:
        yield server.fresh_database_url(), "one PostgreSQL server on loopback"
    finally:
        server.close()


def _encoder_figures(urls: list[str]) -> dict[str, dict[str, float]]:
    """The micro-batchers' running totals (calls, items, busy seconds) summed over the replicas' /health."""
    import httpx

    total: dict[str, dict[str, float]] = {}
    for url in urls:
        for name, figures in httpx.get(url + "/health", timeout=30).json().get("encoders", {}).items():
            mine = total.setdefault(name, {"calls": 0.0, "items": 0.0, "busy_s": 0.0})
            for key in mine:
                mine[key] += float(figures.get(key, 0))
    return total


def encoder_cost(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]],
                 turns: int) -> dict[str, float | None]:
    """Per encoder: its busy milliseconds per answered turn, and how many items a call held on average."""
    out: dict[str, float | None] = {}
    for name, now in after.items():
        then = before.get(name, {"calls": 0.0, "items": 0.0, "busy_s": 0.0})
        calls, items = now["calls"] - then["calls"], now["items"] - then["items"]
        key = name.replace("-", "_")
        out[f"{key}_ms_per_turn"] = round(1000 * (now["busy_s"] - then["busy_s"]) / turns, 2) if turns else None
        out[f"{key}_batch_mean"] = round(items / calls, 2) if calls else None
    return out


def _levels(urls: list[str], health: list[str], tokens: list[str], levels: tuple[int, ...], turns: int,
            replicas: int) -> list[dict[str, Any]]:
    rows = []
    for users in (1, *levels):  # K=1 first: the baseline, same servers
        before = _encoder_figures(health)
        started = time.perf_counter()
        results = asyncio.run(simulate_users(urls, tokens[:users], turns))
        row = summarise_level(users, results, time.perf_counter() - started)
        row.update(replicas=replicas, **encoder_cost(before, _encoder_figures(health), row["turns"]))
        rows.append(row)
    return rows


def _cost(row: dict[str, Any], name: str) -> str:
    ms, batch = row.get(f"{name}_ms_per_turn"), row.get(f"{name}_batch_mean")
    return "-" if ms is None else f"{ms:.1f} ({batch if batch is not None else '-'})"


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
        "retries": sum(r.retries for r in results),
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
    """One replica: the people talk to it directly, each from their own loopback address. ``--replicas N``:
    N replicas over one PostgreSQL behind nginx (load_proxy.py), the people talking to the proxy; the
    levels run first through the proxy to one replica (the baseline), then to all N, in the same run."""
    from ..server.process import ServerProcess
    from .load_proxy import PROXY_ADDRESS, ReverseProxy

    quick = bool(options.get("quick"))
    only_scenarios = bool(options.get("scenarios_only"))
    levels = () if only_scenarios else tuple(options.get("users") or (QUICK_USERS if quick else DEFAULT_USERS))
    turns = int(options.get("turns") or (1 if quick else 2))
    replica_count = _replica_count(options)
    env = server_env(options)
    extra: tuple[str, ...] = ("--micro-batch",) if options.get("micro_batch") else ()
    if replica_count > 1:
        extra += ("--trusted-proxy", PROXY_ADDRESS)
    with tempfile.TemporaryDirectory(prefix="kindred-bench-load-") as tmp, _llm(options, Path(tmp)) as llm, \
            _shared_database(Path(tmp) / "home", replica_count) as (database, stored_in):
        url, model, described = llm
        home = Path(tmp) / "home"
        if not isinstance(database, Path):
            env = {**env, "KINDRED_DATABASE_URL": database}
        tokens = _issue_tokens(database, max(levels, default=0) + replica_count + 2)
        warm_up, scenario_tokens, tokens = tokens[:replica_count], tokens[-2:], tokens[replica_count:-2]
        in_process = EMBEDDED if options.get("model") == EMBEDDED else ""
        if in_process:
            _link_models(home)
        replicas = [ServerProcess(home, llm_url=url, llm_model=model, model=in_process, env=env, extra_args=extra,
                                  start_timeout_s=START_TIMEOUT_S) for _ in range(replica_count)]
        with contextlib.ExitStack() as running:
            for replica in replicas:
                running.enter_context(replica)
            direct = [r.url for r in replicas]
            # One uncounted turn per replica first: its first turn loads models lazily, which no later one pays.
            asyncio.run(simulate_users(direct, warm_up, 1))
            rows: list[dict[str, Any]] = []
            if only_scenarios:
                pass
            elif replica_count == 1:
                rows = _levels(direct, direct, tokens, levels, turns, 1)
            else:
                for count in (1, replica_count):  # the same replicas, database and people; N=1 first
                    with ReverseProxy(Path(tmp) / f"proxy-{count}", direct[:count]) as proxied:
                        rows += _levels([proxied], direct[:count], tokens, levels, turns, count)
            record = Path(tmp) / RECORD_FILE
            if record.exists():  # the simulated server opens it per call: later calls start a new file
                os.replace(record, Path(tmp) / LEVELS_RECORD_FILE)
            scenarios = scenario_figures(*asyncio.run(run_scenarios(direct[0], scenario_tokens[0], scenario_tokens[1],
                                                                      QUICK_MESSAGES)))
        unanswered = unanswered_turns(database)
        recorded = count_recorded(Path(tmp) / LEVELS_RECORD_FILE)
    return _report(rows, unanswered, described, replica_count, turns, recorded, env, scenarios, stored_in,
                   micro_batch=bool(options.get("micro_batch")))


ENCODERS = (("emotion_encoder", "emotion"), ("embedder_passages", "embed"))


def _report(rows: list[dict[str, Any]], unanswered: int, described: str, replicas: int,
            turns: int, tokens: dict[str, Any], env: dict[str, str], scenarios: dict[str, Any], stored_in: str,
            *, micro_batch: bool) -> dict[str, Any]:
    extraction = env["KINDRED_MEMORY_EXTRACTION"]
    figures: dict[str, Any] = {"replicas": replicas, "turns_per_user": turns, "llm": described,
                               "memory_extraction": extraction, "micro_batch": micro_batch, "database": stored_in,
                               **scenarios, "stored_without_reply": unanswered,
                               "lost_turns": sum(r["lost"] for r in rows) + unanswered}
    encoder_keys = [f"{name}_{part}" for name, _ in ENCODERS for part in ("ms_per_turn", "batch_mean")]
    for row in rows:
        # One replica, direct: k{K}_… as before; behind the proxy: n{N}_k{K}_… for N=1 and N.
        key = f"k{row['users']}" if replicas == 1 else f"n{row['replicas']}_k{row['users']}"
        for name in ("turns", "errors", "lost", "retries", "turns_per_s", "ttft_p50_ms", "ttft_p95_ms", "turn_p50_s",
                     *encoder_keys):
            value = row.get(name)
            figures[f"{key}_{name}"] = round(value, 3) if isinstance(value, float) else value
    columns = ["N replicas", "K users", "turns ok", "errors", "lost", "retries", "turns/s", "TTFT p50 ms",
               "TTFT p95 ms", "turn p50 s", "wall s", *(f"{short} ms/turn (batch)" for _, short in ENCODERS)]
    table = {"title": (f"{replicas} replica(s), {turns} turn(s) per user; K=1 is the baseline"
                       + ("" if replicas == 1 else ", and N=1 behind the same proxy")
                       + ("; micro-batching on" if micro_batch else "")),
             "columns": columns,
             "rows": [[r["replicas"], r["users"], r["turns"], r["errors"], r["lost"], r["retries"], r["turns_per_s"],
                       r["ttft_p50_ms"], r["ttft_p95_ms"], r["turn_p50_s"], r["wall_s"],
                       *(_cost(r, name) for name, _ in ENCODERS)] for r in rows]}
    notes = [
        f"LLM: {described}. Each replica is a real `kindred serve` process (feelings, recall, safety and storage "
        f"as deployed; memory extraction: {extraction}) over {stored_in}; clients are WebSockets in this "
        "process, each person from their own loopback address (127.x.y.z)"
        + ("." if replicas == 1 else ", through nginx (least connections, X-Forwarded-For trusted from it only)."),
        "retries: turns the server turned away for now (server-busy or rate-limited, with Retry-After) and the "
        "client sent again, as the page does; their TTFT counts from the first try. encoder ms/turn: the "
        "micro-batchers' busy time per answered turn (summed over replicas), with the mean items per call.",
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
