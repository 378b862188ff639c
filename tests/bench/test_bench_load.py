"""`kindred bench load`: K users over WebSocket against real `kindred serve` processes on loopback."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from kindred.bench.load import summarise_level
from kindred.bench.load_users import TurnResult, unanswered_turns
from tests.conftest import requires_llm_server


def test_a_turn_is_lost_only_when_sent_and_never_finished():
    results = [TurnResult(sent=True, done=True, ok=True, ttft_s=0.1, total_s=1.0),
               TurnResult(sent=True, done=True, ok=True, ttft_s=0.3, total_s=2.0),
               TurnResult(sent=True, done=True, error="llm-unreachable"),  # answered gracefully: an error, not lost
               TurnResult(sent=True, error="client-ConnectionClosedError"),  # the socket broke mid-turn: lost
               TurnResult(error="client-not-sent")]  # never said: an error, not lost
    row = summarise_level(5, results, wall_s=2.0)
    assert (row["turns"], row["errors"], row["lost"]) == (2, 3, 1)
    assert row["turns_per_s"] == 1.0 and row["ttft_p50_ms"] == pytest.approx(100.0)
    assert row["ttft_p95_ms"] == pytest.approx(300.0) and row["turn_p50_s"] == 1.5


def test_stored_words_without_a_reply_are_counted(store, settings):
    async def fill():
        session = await store.session_for("ana", gap_minutes=60)
        for turn_id, roles in (("t1", ("user", "assistant")), ("t2", ("user",))):
            for role in roles:
                await store.add_turn(user="ana", session_id=session.id, turn_id=turn_id, role=role, text="x",
                                     language="en")
    asyncio.run(fill())
    assert unanswered_turns(settings.database_path) == 1


def run_bench(tmp_path, *args: str) -> tuple[list[str], dict]:
    env = {**os.environ, "KINDRED_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "kindred", "bench", "load", "--json", *args],
                            env=env, capture_output=True, timeout=900)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    lines = result.stdout.decode().strip().splitlines()
    return lines, json.loads(lines[-1])


@pytest.mark.slow
def test_concurrent_users_on_two_replicas_lose_no_turn(tmp_path):
    lines, figures = run_bench(tmp_path, "--users", "4", "--turns", "2", "--replicas", "2", "--micro-batch")
    # Behind nginx, over one PostgreSQL: K=1 and one replica, the baselines, ran in the same run.
    assert figures["database"] == "one PostgreSQL server on loopback" and figures["replicas"] == 2
    for n in (1, 2):
        assert figures[f"n{n}_k1_turns"] == 2 and figures[f"n{n}_k4_turns"] == 8
        assert figures[f"n{n}_k4_errors"] == 0 and figures[f"n{n}_k4_turns_per_s"] > 0
        assert 0 < figures[f"n{n}_k4_ttft_p50_ms"] <= figures[f"n{n}_k4_ttft_p95_ms"]
    assert figures["lost_turns"] == 0 and figures["stored_without_reply"] == 0
    assert figures["llm_calls_per_turn"] == 1.0 and figures["prompt_tokens_mean"] > 100  # persona and guidance at least
    assert figures["n2_k4_emotion_encoder_batch_mean"] >= 1 and figures["n2_k4_embedder_passages_ms_per_turn"] > 0
    assert any(line.startswith("N replicas") for line in lines)
    # The scenarios ran on the same servers, and their calls stayed out of the sizing figures above.
    assert figures["busy_after_reply_tries"] == 3 and figures["busy_after_reply_replies"] == 4
    assert 0 <= figures["busy_after_reply"] <= 3 and figures["busy_after_reply_errors"] == 0
    assert figures["reply_to_done_max_s"] >= figures["reply_to_done_p50_s"] >= 0
    assert figures["reply_after_long_message"] is True and figures["long_message_errors"] == 0
    assert figures["memory_extraction"] == "rules" and any(line.startswith("scenario") for line in lines)


@pytest.mark.slow
@requires_llm_server
def test_the_turn_after_a_long_message_replies_with_a_real_model(tmp_path):
    _, figures = run_bench(tmp_path, "--model", "small", "--scenarios-only")
    assert "k1_turns" not in figures and figures["lost_turns"] == 0
    assert figures["reply_after_long_message"] is True and figures["long_message_errors"] == 0
    assert figures["busy_after_reply_tries"] == 3 and figures["busy_after_reply_errors"] == 0


def test_the_embedded_model_runs_in_one_replica():
    from kindred.bench.load import run
    from kindred.errors import ConfigError

    with pytest.raises(ConfigError) as refused:
        run({"model": "embedded", "replicas": 2})
    assert refused.value.code == "bench-replicas-embedded" and "--llm-url" in refused.value.hint


def test_memory_extraction_is_rules_unless_asked():
    from kindred.bench.load import server_env

    assert server_env({})["KINDRED_MEMORY_EXTRACTION"] == "rules"
    assert server_env({"memory_extraction": "llm"})["KINDRED_MEMORY_EXTRACTION"] == "llm"


def test_the_cli_passes_the_load_options_on(monkeypatch):
    import argparse

    from kindred.cli import bench_cmd

    seen = {}
    monkeypatch.setattr(bench_cmd, "run_suite", lambda name, options: seen.update(options) or {"figures": {}})
    parser = argparse.ArgumentParser()
    bench_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["bench", "load", "--model", "embedded", "--memory-extraction", "llm",
                              "--scenarios-only"])
    assert args.func(args) == 0
    assert (seen["model"], seen["memory_extraction"], seen["scenarios_only"]) == ("embedded", "llm", True)


@pytest.mark.slow
@requires_llm_server
def test_load_against_a_real_llm_server(tmp_path):
    _, figures = run_bench(tmp_path, "--model", "small", "--users", "2", "--turns", "1")
    assert figures["lost_turns"] == 0 and figures["k2_turns"] == 2 and figures["k2_errors"] == 0
    assert "llama-cpp-python" in figures["llm"]


def test_prompt_tokens_are_counted_from_what_was_sent(tmp_path):
    from kindred.bench.prompt_tokens import count_recorded

    record = tmp_path / "calls.jsonl"
    calls = [{"messages": [{"role": "system", "content": "You are kind. " * n}, {"role": "user", "content": "hi"}],
              "max_tokens": 200, "json_schema": n == 1} for n in (1, 40, 80)]
    record.write_text("".join(json.dumps(c) + "\n" for c in calls))
    counted = count_recorded(record)
    assert counted["llm_calls"] == 3 and counted["structured_calls"] == 1 and counted["reply_token_budget"] == 200
    assert counted["prompt_tokens_max"] > 80 * 3  # "You are kind. " is at least three tokens
    assert counted["prompt_tokens_max"] >= counted["prompt_tokens_p95"] >= counted["prompt_tokens_mean"]
    assert 3 <= counted["shared_prefix_tokens"] < counted["prompt_tokens_mean"]  # "<|im_start|>system\nYou are kind."
    assert counted["extraction_prompt_tokens_mean"] < counted["prompt_tokens_mean"]  # the structured call: n=1
    assert count_recorded(tmp_path / "none.jsonl") == {}
