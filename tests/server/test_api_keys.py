"""API keys in the store (only their digests) and `kindred keys` on the command line."""
from __future__ import annotations

import pytest

from kindred.cli import main
from kindred.server.accounts import AccountBook
from kindred.server.api_keys import ApiKeyBook
from kindred.server.db import ServerDatabase
from kindred.server.errors import ApiKeyError

from .conftest import FAST_HASHER, PASSWORD

pytestmark = pytest.mark.both_engines


@pytest.fixture
def books(settings):
    db = ServerDatabase(settings.database_location)
    accounts = AccountBook(db, FAST_HASHER)
    for name in ("mina", "jun"):
        accounts.create(name, PASSWORD, linked=True)
    yield accounts, ApiKeyBook(db)
    db.close()


def test_a_key_is_kept_only_as_its_digest_and_names_its_account(books):
    accounts, keys = books
    record, key = keys.create("mina", "  open   webui ")
    assert keys.user_for_key(key) == "mina" and record.label == "open webui"
    stored = repr(accounts.db.rows("SELECT * FROM api_keys"))
    assert key not in stored and key[len("kindred-"):] not in stored and record.id in stored
    assert keys.user_for_key(key + "x") is None and keys.user_for_key(None) is None


def test_revoking_by_id_or_by_key_and_only_ones_own_from_the_page(books):
    _, keys = books
    (first, first_key), (second, second_key) = keys.create("mina"), keys.create("mina")
    assert keys.revoke(first.id, user="jun") is None and keys.user_for_key(first_key) == "mina"
    assert keys.revoke(first.id).id == first.id and keys.user_for_key(first_key) is None
    assert keys.revoke(second_key, user="mina").id == second.id and keys.user_for_key(second_key) is None
    assert keys.revoke(second.id) is None and keys.listed() == []


def test_a_key_needs_an_account(books):
    _, keys = books
    with pytest.raises(ApiKeyError) as refused:
        keys.create("nobody")
    assert refused.value.code == "account-not-found" and "kindred account link nobody" in refused.value.hint


def test_the_cli_prints_the_key_alone_lists_and_revokes(books, capsys):
    _, keys = books
    assert main(["keys", "create", "--user", "mina", "--label", "tavern"]) == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert out == key + "\n" and keys.user_for_key(key) == "mina" and "not shown again" in err
    assert main(["keys", "list"]) == 0
    listed = capsys.readouterr().out
    key_id = keys.listed("mina")[0].id
    assert key_id in listed and "tavern" in listed and key not in listed
    assert main(["keys", "revoke", key_id]) == 0 and keys.user_for_key(key) is None
    capsys.readouterr()
    assert main(["keys", "revoke", key_id]) == 2
    assert "api-key-not-found" in capsys.readouterr().err
    assert main(["keys", "create", "--user", "nobody"]) == 2


def test_an_export_never_holds_a_key_and_a_wipe_takes_them_with_the_person(books, store):
    from kindred.memory.portable import dumps, export_user, wipe_user

    _, keys = books
    record, key = keys.create("mina")
    text = dumps(export_user(store, "mina"))
    assert record.id not in text and "api_keys" not in text
    assert wipe_user(store, "mina")["api_keys"] == 1 and keys.user_for_key(key) is None
