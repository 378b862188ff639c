"""`llm = "ollama:NAME"` shorthand, and doctor's probe of local LLM servers against a real HTTP server on loopback."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kindred.cli.common import add_llm_options, settings_from
from kindred.config import Settings, load_settings
from kindred.dialogue.local_servers import LOCAL_SERVERS, parse_shorthand, probe
from kindred.errors import ConfigError


def test_shorthand_names_the_servers_usual_url_and_splits_at_the_first_colon_only():
    assert parse_shorthand("ollama:qwen2.5:7b") == ("http://127.0.0.1:11434/v1", "qwen2.5:7b")
    assert parse_shorthand("llamacpp:any") == ("http://127.0.0.1:8080/v1", "any")
    assert parse_shorthand(" LMStudio:qwen/qwen3-8b ") == ("http://127.0.0.1:1234/v1", "qwen/qwen3-8b")
    for other in ("embedded", "small", "/models/x.gguf", r"C:\models\x.gguf", "vllm:x"):
        assert parse_shorthand(other) is None


def test_a_shorthand_without_a_model_says_how_to_find_one():
    with pytest.raises(ConfigError) as caught:
        Settings(llm="ollama:")
    assert caught.value.code == "config-llm-shorthand" and "kindred doctor" in caught.value.hint


def test_config_toml_shorthand_becomes_the_server_and_model(home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('llm = "ollama:llama3.2:3b"\n', encoding="utf-8")
    settings = load_settings()
    assert (settings.llm_url, settings.llm_model) == ("http://127.0.0.1:11434/v1", "llama3.2:3b")


def test_the_command_lines_way_of_naming_a_server_wins_over_the_configs(home):
    import argparse

    parser = argparse.ArgumentParser()
    add_llm_options(parser)
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('llm_url = "http://10.0.0.5:8000/v1"\nllm_model = "big"\n', encoding="utf-8")
    chosen = settings_from(parser.parse_args(["--llm", "lmstudio:qwen3-8b"]))
    assert (chosen.llm_url, chosen.llm_model) == ("http://127.0.0.1:1234/v1", "qwen3-8b")
    (home / "config.toml").write_text('llm = "ollama:qwen2.5:7b"\n', encoding="utf-8")
    chosen = settings_from(parser.parse_args(["--llm-url", "http://10.0.0.5:8000/v1", "--llm-model", "big"]))
    assert (chosen.llm_url, chosen.llm_model) == ("http://10.0.0.5:8000/v1", "big")


def test_a_shorthand_and_a_different_llm_url_in_one_place_conflict():
    with pytest.raises(ConfigError) as caught:
        Settings(llm="ollama:x", llm_url="http://127.0.0.1:9999/v1")
    assert caught.value.code == "config-llm-conflict"


def test_replacing_a_shorthand_with_a_packaged_model_drops_its_server():
    replaced = Settings(llm="ollama:x").with_overrides(llm="small")
    assert (replaced.llm, replaced.llm_url, replaced.llm_model) == ("small", "", "")


class _Models(BaseHTTPRequestHandler):
    """A real HTTP server speaking the listing part of the OpenAI API (and Ollama's /api/tags)."""

    listing = {"object": "list", "data": [{"id": "qwen2.5:7b", "object": "model"}, {"id": "llama3.2:3b"}]}
    tags = {"models": [{"name": "qwen2.5:7b"}, {"name": "gemma3:4b"}]}

    def do_GET(self):  # noqa: N802 — the name http.server calls
        body = {"/v1/models": self.listing, "/api/tags": self.tags}.get(self.path)
        raw = json.dumps(body).encode() if body is not None else b"{}"
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def models_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Models)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_probe_lists_what_a_running_server_serves(models_server):
    found = probe(LOCAL_SERVERS["lmstudio"], url=models_server)
    assert found.running and found.models == ("qwen2.5:7b", "llama3.2:3b") and not found.problem
    ollama = probe(LOCAL_SERVERS["ollama"], url=models_server)  # /v1/models and /api/tags, each name once
    assert ollama.models == ("qwen2.5:7b", "llama3.2:3b", "gemma3:4b")


def test_probe_of_a_closed_port_says_not_running():
    import socket

    with socket.socket() as held:  # a port that was free a moment ago: nothing listens there now
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
    found = probe(LOCAL_SERVERS["llamacpp"], url=f"http://127.0.0.1:{port}/v1", timeout_s=0.5)
    assert not found.running and not found.models


def test_doctor_says_how_to_use_a_found_model(models_server):
    from kindred.cli.doctor_cmd import OK, local_server_checks

    closed = "http://127.0.0.1:9/v1"  # the discard port: nothing listens there on a test machine
    lines = {name: (status, text) for status, name, text in
             local_server_checks({"ollama": closed, "llamacpp": models_server, "lmstudio": closed})}
    status, text = lines["local llm: llama.cpp server"]
    assert status == OK and "serves qwen2.5:7b, llama3.2:3b" in text
    assert "kindred chat --llm llamacpp:qwen2.5:7b" in text
    assert lines["local llm: Ollama"][1].startswith("not running at http://127.0.0.1:9/v1")
