"""Fuzzing `kindred memory import`: any JSON, and real exports damaged at random, either import or give a
coded StoreError; a failed import (with --replace too) leaves every user's data exactly as it was."""
import asyncio
import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.errors import StoreError
from kindred.memory.portable import export_user, import_user

from .helpers import Harness

FUZZ = settings(max_examples=80, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                 max_size=4), max_leaves=12)


@pytest.fixture
def filled(settings):
    h = Harness(settings.database_path)

    async def fill():
        await h.say("alice", "My sister is called Mina. I have an exam on Friday.")
        await h.say("bob", "I love hiking in Jeju with my dog Bori.")
    asyncio.run(fill())
    yield h
    asyncio.run(h.close())


def _damage(export: dict, path: list, value):
    """Replace what ``path`` (indexes into the nested export, taken modulo each level's size) points at."""
    node = export
    for step in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[sorted(node)[step % len(node)]]
        elif isinstance(node, list) and node:
            node = node[step % len(node)]
    if isinstance(node, dict) and node:
        node[sorted(node)[path[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path[-1] % len(node)] = value
    return export


def test_any_file_imports_or_is_refused_and_nothing_is_lost(filled):
    store = filled.store
    originals = {user: export_user(store, user) for user in ("alice", "bob")}

    def check(data, replace):
        try:
            import_user(store, data, replace=replace)
        except StoreError as exc:
            assert exc.code.startswith("import-") and exc.hint
        else:
            user = data["user"]
            if user in originals:  # a damaged file that still imported: put the real data back
                import_user(store, copy.deepcopy(originals[user]), replace=True)
            else:
                store_user_rows = export_user(store, user)
                assert store_user_rows["user"] == user
        for user, original in originals.items():
            assert export_user(store, user) == original

    @FUZZ
    @given(JSON, st.booleans())
    def any_json(data, replace):
        check(data, replace)

    @FUZZ
    @given(st.sampled_from(["alice", "bob"]), st.lists(st.integers(0, 50), min_size=1, max_size=6), JSON,
           st.booleans())
    def damaged_export(user, path, value, replace):
        check(_damage(copy.deepcopy(originals[user]), path, value), replace)

    any_json()
    damaged_export()


def test_a_file_that_fails_half_way_with_replace_keeps_the_current_data(filled):
    store = filled.store
    before = export_user(store, "bob")
    broken = copy.deepcopy(before)
    broken["tables"]["turns"].append({"user_id": "bob", "text": None})  # NOT NULL columns missing: fails late
    with pytest.raises(StoreError) as failed:
        import_user(store, broken, replace=True)
    assert failed.value.code == "import-failed"
    assert export_user(store, "bob") == before


def test_column_names_from_the_file_never_reach_sql_unchecked(filled):
    store = filled.store
    evil = json.loads(json.dumps(export_user(store, "bob")))
    evil["tables"]["turns"][0]["text) VALUES (1); DROP TABLE turns; --"] = "x"
    with pytest.raises(StoreError) as refused:
        import_user(store, evil, replace=True)
    assert refused.value.code == "import-invalid"
    assert export_user(store, "alice")["tables"]["turns"]
