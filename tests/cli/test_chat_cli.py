"""`kindred chat --once` end to end, in a subprocess, with real models and real failures."""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import requires_small_model


def kindred(home, *args, stdin=None, timeout=600, prefix=()):
    env = {**os.environ, "KINDRED_HOME": str(home)}
    return subprocess.run([*prefix, sys.executable, "-m", "kindred", *args], env=env, capture_output=True,
                          timeout=timeout, input=stdin)


def seed_history(home):
    """One earlier turn, so each failure test can check that history survived."""
    result = kindred(home, "chat", "--once", "My cat is called Miso", "--llm-url", f"http://127.0.0.1:{closed_port()}/v1")
    assert result.returncode == 4
    return turns(home)


def turns(home):
    with sqlite3.connect(home / "kindred.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT role, text, status FROM turns ORDER BY id").fetchall()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def events(stdout: bytes):
    return [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]


@requires_small_model
@pytest.mark.slow
def test_once_json_is_the_run_and_ends_with_the_reply_event(tmp_path):
    result = kindred(tmp_path, "chat", "--once", "I had a really rough day at work", "--json", "--model", "small")
    assert result.returncode == 0, result.stderr.decode()
    stream = events(result.stdout)
    kinds = [e["event"] for e in stream]
    assert kinds[:2] == ["start", "heard"] and "token" in kinds and kinds[-2:] == ["reply", "done"]
    assert stream[-1]["outcome"] == "replied"
    reply = stream[-2]
    assert reply["text"].strip() and reply["backend"] == "llama.cpp"
    assert reply["model"].startswith("smollm2") and reply["time_to_first_token_s"] > 0
    assert reply["tokens"] >= 1
    if reply["tokens"] > 1:  # a one-token reply (the guard may end it there) has no rate
        assert reply["tokens_per_s"] > 0
    assert [row[0] for row in turns(tmp_path)] == ["user", "assistant"]


@requires_small_model
@pytest.mark.slow
def test_works_with_the_network_off(tmp_path):
    unshare = shutil.which("unshare")
    if not unshare or subprocess.run([unshare, "-n", "true"]).returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    result = kindred(tmp_path, "chat", "--once", "hello", "--model", "small", prefix=(unshare, "-n"))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip()


@pytest.mark.parametrize("text, code", [("", "input-empty"), ("   \n\t", "input-empty")])
def test_empty_input_exits_2_and_keeps_history(tmp_path, text, code):
    before = seed_history(tmp_path)
    result = kindred(tmp_path, "chat", "--once", text, "--llm-url", "http://127.0.0.1:9/v1")
    assert result.returncode == 2 and code in result.stderr.decode()
    assert turns(tmp_path) == before


def test_binary_garbage_exits_2_and_keeps_history(tmp_path):
    before = seed_history(tmp_path)
    garbage = bytes(range(1, 32)).decode("latin-1") * 50
    result = kindred(tmp_path, "chat", "--once", garbage, "--llm-url", "http://127.0.0.1:9/v1")
    assert result.returncode == 2 and "input-not-text" in result.stderr.decode()
    assert turns(tmp_path) == before


@requires_small_model
@pytest.mark.slow
def test_100k_characters_get_a_graceful_reply_and_are_stored(tmp_path):
    text = "I keep going over the same worry again and again. " * 2000
    result = kindred(tmp_path, "chat", "--once", text, "--json", "--model", "small")
    assert result.returncode == 0, result.stderr.decode()
    stream = events(result.stdout)
    assert stream[1]["truncated"] is True and stream[-2]["event"] == "reply"
    assert turns(tmp_path)[0][1] == text.strip()


def test_missing_model_file_exits_3_and_keeps_history(tmp_path):
    before = seed_history(tmp_path)
    result = kindred(tmp_path, "chat", "--once", "hi", "--model", str(tmp_path / "nope.gguf"))
    assert result.returncode == 3 and "model-missing" in result.stderr.decode()
    assert turns(tmp_path) == before


def test_corrupt_model_file_exits_3_and_keeps_history(tmp_path):
    pytest.importorskip("llama_cpp")
    before = seed_history(tmp_path)
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(4096))
    result = kindred(tmp_path, "chat", "--once", "hi", "--model", str(bad))
    assert result.returncode == 3 and "model-corrupt" in result.stderr.decode()
    assert turns(tmp_path) == before


def test_unreachable_server_exits_4_and_stores_the_words(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    result = kindred(tmp_path, "chat", "--once", "are you there?", "--json", "--llm-url", url)
    assert result.returncode == 4
    *_, last, end = events(result.stdout)
    assert last["event"] == "error" and last["code"] == "llm-unreachable" and "--llm-url" in last["hint"]
    assert last["stage"] == "respond" and (end["event"], end["outcome"]) == ("done", "failed")
    assert turns(tmp_path) == [("user", "are you there?", "ok"), ("assistant", "", "failed")]


def test_log_events_keeps_the_same_lines_json_prints(tmp_path):
    from kindred.events import event_from_dict

    url = f"http://127.0.0.1:{closed_port()}/v1"
    log = tmp_path / "events.jsonl"
    for text in ("are you there?", "   "):  # a failed reply, then input refused before anything is stored
        result = kindred(tmp_path, "chat", "--once", text, "--json", "--llm-url", url, "--log-events", str(log))
        assert result.returncode == (4 if text.strip() else 2)
    printed = [line for line in result.stdout.decode().splitlines() if line.strip()]
    logged = log.read_text(encoding="utf-8").splitlines()
    assert logged[-len(printed):] == printed  # the second run, line for line
    kinds = [event_from_dict(json.loads(line)).kind for line in logged]
    assert kinds.count("start") == 2 and kinds.count("done") == 2 and kinds[-3:] == ["start", "error", "done"]


def test_doctor_explains_each_problem(tmp_path):
    result = kindred(tmp_path, "doctor")
    out = result.stdout.decode()
    assert "llama-cpp-python" in out and "model 'embedded'" in out and "database" in out
