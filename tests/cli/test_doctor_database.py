"""`kindred doctor`'s database line, on either engine."""
import asyncio
import socket

import pytest

from kindred.cli.doctor_cmd import FAIL, OK, _database_check
from kindred.config import load_settings

pytestmark = pytest.mark.both_engines


def test_a_healthy_database_reports_its_turns(settings, store, engine):
    session = asyncio.run(store.session_for("u", gap_minutes=60))
    asyncio.run(store.add_turn(user="u", session_id=session.id, turn_id="t", role="user", text="안녕", language="ko"))
    status, name, text = _database_check(settings)
    assert (status, name) == (OK, "database")
    assert "1 turns stored, integrity ok" in text
    assert ("PostgreSQL at 127.0.0.1:" in text) == (engine == "postgres")


def test_an_unreachable_postgres_fails_with_the_fix_and_no_password(home, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("KINDRED_DATABASE_URL", f"postgresql://kindred:hunter22@127.0.0.1:{port}/kindred")
    status, _, text = _database_check(load_settings())
    assert status == FAIL and "KINDRED_DATABASE_URL" in text and "hunter22" not in text
