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
