"""Facts with history, merging duplicates, real forgetting, and users kept apart."""
import pytest

from kindred.errors import StoreError
from kindred.memory.book import NewMemory

from .helpers import Harness

pytestmark = pytest.mark.both_engines


@pytest.fixture
async def h(locate):
    harness = Harness(locate("k.db"))
    yield harness
    await harness.close()


async def test_a_changed_fact_keeps_its_history_and_the_newest_value_wins(h):
    _, first, _ = await h.say("u", "My sister is called Mina.")
    h.clock.advance(days=2)
    _, second, report = await h.say("u", "My sister is called Mira, she changed her name.")
    assert report.facts == ("updated: sister's name",)
    (fact,) = await h.book.list("u", kind="fact")
    assert fact.value == "Mira" and fact.mentions == 2
    assert set(fact.source_turns) == {first, second}
    (change,) = await h.book.history("u", fact.id)
    assert (change["old_value"], change["new_value"], change["turn_id"]) == ("Mina", "Mira", second)
    assert change["changed_at"].startswith("2026-01-07")


async def test_an_older_statement_arriving_late_does_not_override_a_newer_one(h):
    new = NewMemory("fact", "They live in Seoul.", "2026-01-10T00:00:00+00:00", topic="home", value="Seoul")
    old = NewMemory("fact", "They live in Busan.", "2025-06-01T00:00:00+00:00", topic="home", value="Busan")
    await h.book.remember_fact("u", new)
    memory_id, change = await h.book.remember_fact("u", old)
    assert change == "merged"
    assert (await h.book.get("u", memory_id)).value == "Seoul"
    assert [c["old_value"] for c in await h.book.history("u", memory_id)] == ["Busan"]


async def test_saying_the_same_thing_twice_merges_and_deletes_nothing(h):
    await h.say("u", "I love hiking.")
    await h.say("u", "I love hiking!")
    facts = await h.book.list("u", kind="fact")
    assert len(facts) == 1 and facts[0].mentions == 2
    assert len(await h.book.list("u", kind="turn")) == 4  # both turns, both sides, all kept


async def test_forget_deletes_the_row_its_vector_and_its_keywords(h):
    (memory_id,) = await h.book.add("u", [NewMemory("fact", "They keep a diary about Jisoo", "2026-01-05")])
    assert [i for i, _ in h.book.keyword("u", "Jisoo diary", 5)] == [memory_id]
    assert await h.book.forget("u", [memory_id]) == 1
    raw = h.store.read
    assert raw("SELECT COUNT(*) FROM memories WHERE id = ?", (memory_id,))[0][0] == 0
    assert raw("SELECT COUNT(*) FROM memory_vectors WHERE memory_id = ?", (memory_id,))[0][0] == 0
    assert not h.book.keywords.holds(memory_id)
    assert h.book.keyword("u", "Jisoo diary", 5) == []
    assert memory_id not in [i for i, _ in h.book.dense("u", h.book.embedder.embed_array(["diary"], "query")[0], 5)]


async def test_one_users_search_never_returns_another_users_memory(h):
    await h.say("alice", "My dog is called Biscuit and I love the beach.")
    await h.say("bob", "My dog is called Biscuit and I love the beach too.")
    for found in await h.recaller.search("alice", "dog Biscuit beach", limit=20):
        assert found.memory.user == "alice"
    alice_ids = {m.id for m in await h.book.list("alice", limit=100)}
    bob_ids = {m.id for m in await h.book.list("bob", limit=100)}
    assert alice_ids and bob_ids and not alice_ids & bob_ids
    assert await h.book.get("alice", next(iter(bob_ids))) is None
    assert await h.book.fetch("alice", list(bob_ids)) == {}
    assert await h.book.forget("alice", list(bob_ids)) == 0
    assert len(await h.book.list("bob", limit=100)) == len(bob_ids)


async def test_editing_a_memory_keeps_the_old_text_in_history(h):
    (memory_id,) = await h.book.add("u", [NewMemory("fact", "They work at a bank", "2026-01-05", topic="work",
                                                    value="a bank")])
    edited = await h.book.edit("u", memory_id, "They work at a bakery")
    assert edited.text == "They work at a bakery" and edited.origin == "user"
    assert (await h.book.history("u", memory_id))[0]["old_value"] == "They work at a bank"
    assert [i for i, _ in h.book.keyword("u", "bakery", 3)] == [memory_id]
    with pytest.raises(StoreError):
        await h.book.edit("u", 999, "nothing")


async def test_a_time_span_holds_its_first_and_last_day_and_what_is_about_a_day_inside_it(h):
    said = ["2023-09-30T23:59:00+00:00", "2023-10-01T00:00:00+00:00", "2023-10-31T23:59:59.999999+00:00",
            "2023-11-01T00:00:00+00:00"]
    ids = await h.book.add("u", [NewMemory("turn", f"line {i}", when) for i, when in enumerate(said)])
    (about,) = await h.book.add("u", [NewMemory("fact", "the trip", "2024-01-01T00:00:00+00:00",
                                                event_date="2023-10-15")])
    await h.book.add("someone else", [NewMemory("turn", "not yours", "2023-10-10T00:00:00+00:00")])
    assert set(h.book.in_span("u", "2023-10-01", "2023-10-31", 10)) == {ids[1], ids[2], about}
    assert len(h.book.in_span("u", "2023-10-01", "2023-10-31", 2)) == 2


def test_the_span_query_reads_an_index_not_every_memory(tmp_path):
    from kindred.memory.sql_store import open_sql_store

    store = open_sql_store(tmp_path / "plan.db")
    plan = " ".join(str(row) for row in store.read(
        "EXPLAIN QUERY PLAN SELECT id FROM memories WHERE user_id = ? AND happened_at >= ? AND happened_at < ?",
        ("u", "2023-10-01", "2023-11-01")))
    assert "memories_user_happened" in plan


async def test_keyword_search_returns_only_the_asking_users_memories_alone_or_not(h):
    when = "2026-01-05T10:00:00+00:00"
    (mine,) = await h.book.add("m", [NewMemory("turn", "the bakery on Elm street", when)])
    assert [i for i, _ in h.book.keyword("m", "bakery", 5)] == [mine]  # the only user: no filter needed
    assert h.book.keyword("a", "bakery", 5) == []  # sorts before "m", has nothing
    (before,) = await h.book.add("a", [NewMemory("turn", "a bakery in Seoul", when)])
    (after,) = await h.book.add("z", [NewMemory("turn", "bakery bread", when)])
    assert [i for i, _ in h.book.keyword("m", "bakery", 5)] == [mine]
    assert [i for i, _ in h.book.keyword("a", "bakery", 5)] == [before]
    assert [i for i, _ in h.book.keyword("z", "bakery", 5)] == [after]


def test_a_memory_with_the_reply_it_got_is_embedded_as_the_mean_of_two_views():
    import numpy as np

    from kindred.memory.book import embed_memories, embedding_views
    from kindred.memory.embedder import HashEmbedder

    embedder = HashEmbedder()
    plain = NewMemory("turn", "Been playing it for a month now.", "2023-05-01T12:00:00+00:00",
                      context="Is that Civilization VI?")
    answered = NewMemory(**{**plain.__dict__, "reply": "Nice, how do you like it?"})
    assert embedding_views(plain) == ("Is that Civilization VI?\nBeen playing it for a month now.",)
    (before,) = embedding_views(plain)
    assert embedding_views(answered) == (before, before + "\nNice, how do you like it?")
    vectors = embed_memories(embedder, [plain, answered])
    views = embedder.embed_array(list(embedding_views(answered)), "passage")
    expected = views.sum(axis=0) / np.linalg.norm(views.sum(axis=0))
    assert np.allclose(vectors[0], embedder.embed_array([embedding_views(plain)[0]], "passage")[0])
    assert np.allclose(vectors[1], expected)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


async def test_what_the_person_said_is_stored_embedded_with_the_reply_it_got(h):
    import numpy as np

    from kindred.memory.book import embed_memories

    await h.say("u", "I started pottery classes.", reply="How lovely! What are you making?")
    said = next(m for m in await h.book.list("u") if m.kind == "turn" and m.topic == "user")
    stored = h.book.vectors.similarity("u", [said.id], embed_memories(h.book.embedder, [NewMemory(
        "turn", "I started pottery classes.", said.happened_at, reply="How lovely! What are you making?")])[0])
    assert np.isclose(stored[0], 1.0, atol=1e-5)
