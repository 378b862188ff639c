"""Export → wipe → import → export gives identical JSON; wipe leaves nothing behind."""
import json

import pytest

from kindred.errors import StoreError
from kindred.memory.portable import dumps, export_user, import_user, wipe_user

from .helpers import Harness

pytestmark = pytest.mark.both_engines


async def test_export_wipe_import_export_is_identical(locate):
    h = Harness(locate("k.db"))
    await h.say("u", "My sister is called Mina. I have an exam tomorrow and I'm worried.",
                affect={"valence": -0.7, "arousal": 0.6, "labels": [["fear", 0.7]]})
    h.clock.advance(days=1)
    await h.say("u", "My sister is called Mira now.")
    await h.say("other", "I love tea.")
    first = dumps(export_user(h.store, "u"))
    counts = wipe_user(h.store, "u")
    assert counts["turns"] == 4 and counts["memories"] >= 5
    assert export_user(h.store, "u")["tables"]["turns"] == []
    assert h.book.keyword("u", "Mina sister", 10) == []
    import_user(h.store, json.loads(first))
    assert dumps(export_user(h.store, "u")) == first
    found = await h.recaller.search("u", "sister Mira", limit=3)  # indexes rebuilt: keywords and vectors work
    assert any("Mira" in f.memory.text for f in found)
    assert len(export_user(h.store, "other")["tables"]["turns"]) == 2  # the other user untouched
    await h.close()


async def test_import_refuses_to_mix_histories_unless_replacing(locate):
    h = Harness(locate("k.db"))
    await h.say("u", "I love tea.")
    data = export_user(h.store, "u")
    with pytest.raises(StoreError) as info:
        import_user(h.store, data)
    assert info.value.code == "import-conflict"
    import_user(h.store, data, replace=True)
    assert export_user(h.store, "u") == data
    with pytest.raises(StoreError):
        import_user(h.store, {"format": "something else"})
    await h.close()


async def test_import_restores_into_a_fresh_database(locate):
    h = Harness(locate("a.db"))
    await h.say("u", "My dog is called Tofu.")
    text = dumps(export_user(h.store, "u"))
    await h.close()
    fresh = Harness(locate("b.db"))
    import_user(fresh.store, json.loads(text))
    assert dumps(export_user(fresh.store, "u")) == text
    await fresh.close()


async def test_an_import_that_collides_changes_nothing(locate):
    h = Harness(locate("k.db"))
    await h.say("u", "I love tea.")
    data = export_user(h.store, "u")
    wipe_user(h.store, "u")
    await h.say("someone-else", "I love coffee.")
    h.store.write("UPDATE turns SET id = ? WHERE user_id = 'someone-else' AND role = 'user'",
                   (data["tables"]["turns"][0]["id"],))  # take the id the import needs
    with pytest.raises(StoreError) as info:
        import_user(h.store, data)
    assert info.value.code == "import-failed"
    assert export_user(h.store, "u")["tables"]["users"] == []  # all or nothing
    await h.close()


def _with_account(h: Harness, user: str) -> str:
    """A web account with a session for ``user``, as the server makes them; its token."""
    from argon2 import PasswordHasher

    from kindred.server.accounts import AccountBook
    from kindred.server.db import ServerDatabase

    accounts = AccountBook(ServerDatabase(h.store.database), PasswordHasher(time_cost=1, memory_cost=1024,
                                                                             parallelism=1))
    accounts.create(user, "a quiet evening", linked=True)
    return accounts.issue_token(user)


async def test_exports_carry_no_password_hash_and_no_session_token(locate):
    from kindred.server.accounts import token_digest

    h = Harness(locate("k.db"))
    await h.say("u", "I love tea.")
    token = _with_account(h, "u")
    text = dumps(export_user(h.store, "u"))
    assert "$argon2" not in text and token_digest(token) not in text and token not in text
    assert not {"accounts", "auth_tokens"} & set(json.loads(text)["tables"])
    assert wipe_user(h.store, "u")["auth_tokens"] == 1  # wiping still takes them with the person
    await h.close()


async def test_an_import_that_carries_credentials_is_refused_and_plants_nothing(locate):
    from kindred.server.accounts import token_digest

    h = Harness(locate("k.db"))
    await h.say("u", "I love tea.")
    data = export_user(h.store, "u")
    wipe_user(h.store, "u")
    planted = {"token_sha256": token_digest("chosen-by-the-author"), "user_id": "u",
               "created_at": "2024-01-01T00:00:00+00:00", "expires_at": "2999-01-01T00:00:00+00:00"}
    hash_ = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
    crafted = {**data, "tables": {**data["tables"], "accounts": [
        {"user_id": "u", "password_hash": hash_, "created_at": "2024-01-01T00:00:00+00:00"}],
        "auth_tokens": [planted]}}
    with pytest.raises(StoreError) as info:
        import_user(h.store, crafted)
    assert info.value.code == "import-credentials"
    assert h.store.read("SELECT COUNT(*) FROM auth_tokens") == [(0,)]
    assert h.store.read("SELECT COUNT(*) FROM turns WHERE user_id = 'u'") == [(0,)]  # nothing half-imported
    await h.close()


async def test_base64_values_are_checked_on_import(locate):
    h = Harness(locate("k.db"))
    await h.say("u", "My dog is called Tofu.")
    data = export_user(h.store, "u")
    wipe_user(h.store, "u")
    table, column = next((t, c) for t, rows in data["tables"].items() for row in rows for c, v in row.items()
                         if isinstance(v, dict))  # a binary column (a memory's vector)
    for bad in ({"$base64": "!!!"}, {"$base64": 12}, {"$base64": "AAAA", "extra": 1}, ["nested"]):
        broken = json.loads(json.dumps(data))
        broken["tables"][table][0][column] = bad
        with pytest.raises(StoreError) as info:
            import_user(h.store, broken)
        assert info.value.code == "import-invalid", bad
    assert h.store.read("SELECT COUNT(*) FROM users WHERE id = 'u'") == [(0,)]
    import_user(h.store, data)  # the good file still imports
    await h.close()
