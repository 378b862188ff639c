"""`kindred forget-me`: after it, no table holds the person (on both engines) and no byte of the SQLite file
does; the other person's data is exactly as it was."""
import argparse
import asyncio
import json

import pytest

from kindred.cli import privacy_cmd
from kindred.errors import InputError
from kindred.memory.portable import _user_tables, export_user
from kindred.memory.sql_store import open_sql_store
from kindred.privacy.forget import forget_user

from ..memory.helpers import Harness
from .people import SECRETS, fill_person
from .traces import raw_bytes, traces_of

pytestmark = pytest.mark.both_engines


def cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    privacy_cmd.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def two_people(settings):
    async def fill():
        h = Harness(settings.database_location)
        for user in SECRETS:
            await fill_person(h, user)
        await h.close()
    asyncio.run(fill())
    settings.home.mkdir(parents=True, exist_ok=True)  # on PostgreSQL nothing else has made it
    return settings


def _user_rows(store, user):
    return {table: rows for table, rows in export_user(store, user)["tables"].items() if rows}


def test_forget_me_leaves_no_row_no_vector_and_no_byte_of_the_person(two_people, engine, capsys):
    location = two_people.database_location
    store = open_sql_store(location)
    with store.transaction() as db:
        every_user_table = set(_user_tables(db, store.database.dialect, credentials=False))
    # The fixture must reach every table that holds a user's rows, or this test proves less than it says
    # (the export leaves the account and its token out; traces_of below looks at them too).
    assert set(_user_rows(store, "mina")) == every_user_table
    assert store.read("SELECT COUNT(*) FROM auth_tokens WHERE user_id = 'mina'") == [(1,)]
    assert traces_of(store, ["Zorblaxian"])  # in text, keyword index and history before
    jun_before = export_user(store, "jun")
    asyncio.run(store.close())

    assert cli("forget-me", "--user", "mina", "--yes", "--json") == 0
    printed = capsys.readouterr()
    report = json.loads(printed.out)
    assert report["user"] == "mina" and report["total"] == sum(report["erased"].values())
    # The file scrub is SQLite's; on PostgreSQL the command says whose job the server's files are.
    if engine == "sqlite":
        assert report["scrubbed"] is True
    else:
        assert report["scrubbed"] is None and "operator" in printed.err
    assert {"turns", "memories", "memory_vectors", "memory_history", "affect_readings", "safety_events",
            "learned_preferences", "reply_feedback", "recommendations", "checkins", "checkin_settings",
            "accounts", "auth_tokens", "web_reply_ratings", "conversation_feelings", "person_timezones",
            "sessions", "users"} <= set(report["erased"])

    store = open_sql_store(location)
    assert _user_rows(store, "mina") == {}
    assert traces_of(store, ["Zorblaxian", "mina"]) == {}  # every table, virtual and index tables included
    assert export_user(store, "jun") == jun_before  # the other person untouched, to the byte
    assert traces_of(store, ["Quillfeather"])
    asyncio.run(store.close())
    if engine == "postgres":
        return  # PostgreSQL's files are its server's: the byte scan below is of Kindred's own SQLite file
    on_disk = raw_bytes(two_people.database_path)
    assert b"Zorblaxian" not in on_disk and "Zorblaxian".lower().encode() not in on_disk
    assert b"Quillfeather" in on_disk  # the scan can see text: the absence above means something


def test_forget_me_removes_files_drawn_from_the_data(two_people):
    plot = two_people.home / "mood.png"
    plot.write_bytes(b"\x89PNG a mood chart")
    store = open_sql_store(two_people.database_location)
    forgotten = forget_user(store, "mina", home=two_people.home)
    asyncio.run(store.close())
    assert forgotten.counts["file:mood.png"] == 1 and not plot.exists()


def test_forget_me_asks_first_and_keeps_everything_when_not_confirmed(two_people, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert cli("forget-me", "--user", "mina") == 1
    assert "Nothing erased" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(InputError):
        cli("forget-me", "--user", "mina")
    store = open_sql_store(two_people.database_location)
    assert _user_rows(store, "mina")["turns"]
    asyncio.run(store.close())


def test_forget_me_of_an_unknown_user_erases_nothing(two_people, capsys):
    (two_people.home / "mood.png").write_bytes(b"\x89PNG someone's chart")
    assert cli("forget-me", "--user", "nobody", "--yes") == 0
    assert "kept nothing" in capsys.readouterr().out
    assert (two_people.home / "mood.png").exists()
