"""Encryption at rest: with KINDRED_PASSPHRASE set, the database file is unreadable without it, every domain
reads and writes through the same key, and no mistake with the key ever changes the file."""
import argparse
import asyncio
import hashlib
import sqlite3

import pytest

from kindred.affect.mood import read_timeline
from kindred.cli import memory_cmd
from kindred.database.encryption import is_encrypted
from kindred.errors import StoreError
from kindred.learning.feedback import load_preferences
from kindred.memory.portable import export_user
from kindred.memory.sqlite_store import SQLiteStore
from kindred.privacy.migrate import decrypt_database, encrypt_database
from kindred.recommend.checkins import list_checkins
from kindred.server.accounts import AccountBook
from kindred.server.db import ServerDatabase

from ..memory.helpers import Harness
from .people import FAST_HASHER, SECRETS, fill_person
from .traces import raw_bytes

PASSPHRASE = "correct horse battery staple"
SENTENCE = "I have an interview on Friday and I'm worried"


def memory_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    memory_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["memory", *argv])
    return args.func(args)


def fill(path):
    async def run():
        h = Harness(path)
        for user in SECRETS:
            await fill_person(h, user)
        await h.close()
    asyncio.run(run())


def digest(path) -> str:
    return hashlib.sha256(raw_bytes(path)).hexdigest()


@pytest.fixture
def encrypted(settings, monkeypatch):
    monkeypatch.setenv("KINDRED_PASSPHRASE", PASSPHRASE)
    fill(settings.database_path)
    return settings.database_path


def test_the_file_is_unreadable_without_the_key(encrypted):
    assert is_encrypted(encrypted)
    on_disk = raw_bytes(encrypted)
    assert SENTENCE.encode() not in on_disk and b"Zorblaxian" not in on_disk and b"SQLite format 3" not in on_disk
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(encrypted).execute("SELECT text FROM turns").fetchall()


def test_every_domain_reads_back_through_the_key(encrypted, settings):
    store = SQLiteStore(encrypted)
    turns = asyncio.run(store.recent_turns("mina", limit=10))
    assert any(SENTENCE in t.text for t in turns)
    assert export_user(store, "jun")["tables"]["memory_vectors"]
    asyncio.run(store.close())
    assert read_timeline(encrypted, "mina")  # affect: its own read-only connection
    assert list_checkins(encrypted, "mina")  # recommend: short-lived connections
    assert load_preferences(encrypted, "mina") != load_preferences(encrypted, "nobody")  # learning: the note
    db = ServerDatabase(encrypted)  # server: its own long-lived connection
    assert AccountBook(db, FAST_HASHER).authenticate("mina", "a quiet evening") == "mina"
    db.close()


def test_a_wrong_or_missing_key_gives_a_coded_error_and_changes_nothing(encrypted, monkeypatch):
    before = digest(encrypted)
    monkeypatch.setenv("KINDRED_PASSPHRASE", "not the passphrase")
    with pytest.raises(StoreError) as wrong:
        SQLiteStore(encrypted)
    assert wrong.value.code == "store-wrong-key" and "KINDRED_PASSPHRASE" in wrong.value.hint
    with pytest.raises(StoreError):
        ServerDatabase(encrypted)
    monkeypatch.delenv("KINDRED_PASSPHRASE")
    with pytest.raises(StoreError) as missing:
        SQLiteStore(encrypted)
    assert missing.value.code == "store-locked"
    with pytest.raises(StoreError) as timeline:
        read_timeline(encrypted, "mina")
    assert timeline.value.code == "store-locked"
    assert digest(encrypted) == before


def test_a_passphrase_never_silently_opens_a_plaintext_file(settings, monkeypatch):
    fill(settings.database_path)
    before = digest(settings.database_path)
    monkeypatch.setenv("KINDRED_PASSPHRASE", PASSPHRASE)
    with pytest.raises(StoreError) as refused:
        SQLiteStore(settings.database_path)
    assert refused.value.code == "store-not-encrypted" and "kindred memory encrypt" in refused.value.hint
    assert digest(settings.database_path) == before


def test_encrypt_command_migrates_everything_and_decrypt_brings_it_back(settings, monkeypatch, capsys):
    path = settings.database_path
    fill(path)
    store = SQLiteStore(path)
    exported = {user: export_user(store, user) for user in SECRETS}
    asyncio.run(store.close())
    assert SENTENCE.encode() in raw_bytes(path)

    monkeypatch.setenv("KINDRED_PASSPHRASE", PASSPHRASE)
    assert memory_cli("encrypt") == 0
    assert "Encrypted" in capsys.readouterr().out
    assert is_encrypted(path) and SENTENCE.encode() not in raw_bytes(path)
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith("kindred.db")) == ["kindred.db"]
    store = SQLiteStore(path)
    assert {user: export_user(store, user) for user in SECRETS} == exported
    asyncio.run(store.close())
    with pytest.raises(StoreError) as again:
        encrypt_database(path, PASSPHRASE)
    assert again.value.code == "store-already-encrypted"

    with pytest.raises(StoreError) as wrong:
        decrypt_database(path, "not the passphrase")
    assert wrong.value.code == "store-wrong-key" and is_encrypted(path)
    assert memory_cli("decrypt") == 0
    monkeypatch.delenv("KINDRED_PASSPHRASE")
    store = SQLiteStore(path)
    assert {user: export_user(store, user) for user in SECRETS} == exported
    asyncio.run(store.close())


def test_a_failed_migration_leaves_the_original_and_no_half_copy(settings, monkeypatch):
    path = settings.database_path
    fill(path)
    store = SQLiteStore(path)
    before = export_user(store, "mina")
    asyncio.run(store.close())

    def power_cut(*args):
        raise OSError("disk pulled out")
    monkeypatch.setattr("kindred.privacy.migrate.os.replace", power_cut)
    with pytest.raises(OSError):
        encrypt_database(path, PASSPHRASE)
    assert not is_encrypted(path)
    assert sorted(p.name for p in path.parent.iterdir() if ".converting" in p.name) == []
    store = SQLiteStore(path)
    assert export_user(store, "mina") == before  # the WAL was folded in first, so nothing was in it to lose
    asyncio.run(store.close())


@pytest.mark.parametrize("action", ["encrypt", "decrypt"])
def test_encrypting_is_refused_with_a_code_when_the_data_is_in_postgresql(settings, monkeypatch, action):
    # Refused before any connection: no server is needed, and the SQLite file is not touched either.
    monkeypatch.setenv("KINDRED_DATABASE_URL", "postgresql://kindred@127.0.0.1:1/kindred")
    monkeypatch.setenv("KINDRED_PASSPHRASE", PASSPHRASE)
    with pytest.raises(StoreError) as refused:
        memory_cli(action)
    assert refused.value.code == "store-encryption-sqlite-only" and "server" in refused.value.hint
    assert not settings.database_path.exists()
