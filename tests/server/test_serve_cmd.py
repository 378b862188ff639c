"""`kindred serve`: accounts from the command line, and the refusal to listen beyond loopback unprotected."""
from __future__ import annotations

import argparse
import json

import pytest

from kindred.cli import serve_cmd
from kindred.server.accounts import AccountBook
from kindred.server.db import ServerDatabase
from kindred.server.errors import UnsafeBindError


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve_cmd.register(parser.add_subparsers())
    return parser.parse_args(["serve", *argv])


def test_defaults_are_loopback():
    args = parse()
    assert args.host == "127.0.0.1" and args.port == 8765 and args.func is serve_cmd.run


def test_add_account_stores_a_hashed_password(settings, monkeypatch, capsys):
    monkeypatch.setenv("KINDRED_PASSWORD", "a long enough password")
    assert serve_cmd.run(parse("--add-account", "mina")) == 0
    assert "mina" in capsys.readouterr().out
    accounts = AccountBook(ServerDatabase(settings.database_path))
    assert accounts.authenticate("mina", "a long enough password") == "mina"


@pytest.mark.parametrize("argv", [("--host", "0.0.0.0"), ("--host", "10.1.2.3", "--no-auth")])
def test_non_loopback_refuses_before_loading_a_model(settings, argv, monkeypatch):
    import kindred.runtime

    monkeypatch.setattr(kindred.runtime, "open_companion", lambda *a, **k: pytest.fail("model loaded"))
    with pytest.raises(UnsafeBindError):
        serve_cmd.run(parse(*argv))


def test_missing_password_without_a_terminal_is_a_clear_error(settings, monkeypatch):
    from kindred.errors import InputError

    monkeypatch.delenv("KINDRED_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(InputError) as info:
        serve_cmd.run(parse("--add-account", "mina"))
    assert info.value.code == "password-missing"


def test_workers_below_one_is_refused_before_loading_a_model(settings, monkeypatch):
    from kindred.errors import InputError

    monkeypatch.setattr("kindred.runtime.open_companion", lambda *a, **k: pytest.fail("model loaded"))
    with pytest.raises(InputError) as info:
        serve_cmd.run(parse("--workers", "0"))
    assert info.value.code == "workers-invalid"


def test_worker_processes_rebuild_the_same_options_from_the_environment():
    from kindred.server.replicas import options_from, replica_config
    from kindred.server.security import ServerOptions

    options = ServerOptions(host="0.0.0.0", allowed_hosts=("kindred.example",), extra_origins=("https://k.example",))
    config = json.loads(replica_config({"llm_url": "http://gpu:8000/v1", "user": None}, options, with_emotion=False))
    assert options_from(config["options"]) == options
    assert config["settings"] == {"llm_url": "http://gpu:8000/v1"}


def test_behind_https_marks_the_sign_in_cookie_secure(settings, monkeypatch):
    """The options `serve` builds reach the app: signing up through it sets a Secure cookie."""
    from starlette.testclient import TestClient

    from kindred.memory.sqlite_store import SQLiteStore
    from kindred.turn import Companion

    from ..conftest import ScriptedChat

    served = {}
    monkeypatch.setattr("kindred.runtime.open_companion", lambda settings, *args, **kwargs: Companion(
        settings=settings, chat=ScriptedChat(), store=SQLiteStore(settings.database_path)))
    monkeypatch.setattr("kindred.server.runner.serve_forever", lambda app, host, port: served.update(app=app))
    monkeypatch.setattr(serve_cmd, "_emotion_reader_works", lambda: False)
    assert serve_cmd.run(parse("--behind-https")) == 0
    response = TestClient(served["app"], base_url="http://127.0.0.1").post(
        "/api/accounts", json={"name": "mina", "password": "a long enough password"})
    assert response.status_code == 201 and "secure" in response.headers["set-cookie"].lower()
