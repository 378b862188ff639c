"""The same memories give the same keyword and vector search on SQLite and PostgreSQL.

Keyword search is BM25 in both (FTS5's own on SQLite, computed in SQL on PostgreSQL);
vector search is the numpy scan on SQLite and pgvector on PostgreSQL, or the numpy
scan there too where the server has no pgvector (the documented fallback).
"""
import json

import numpy as np
import pytest

from kindred.database.postgres import PostgresDatabase
from kindred.memory.book import MemoryBook, NewMemory
from kindred.memory.embedder import HashEmbedder
from kindred.memory.sql_store import SQLStore, open_sql_store
from kindred.memory.vectors import VectorIndex
from kindred.memory.vectors_pg import PgVectorIndex

NOTES = {
    "alice": [
        "My sister Mina has a job interview on Friday and she is nervous",
        "I went hiking with Mina in the mountains last weekend",
        "The interview went well, the company called back",
        "면접이 금요일이라 너무 떨려",
        "동생 민아랑 면접 준비를 했어",
        "주말에 산에서 하이킹을 했어",
        "Coffee with Jisoo about her new job at the bakery",
        "I keep a diary about hiking trips and interviews",
    ],
    "bob": [
        "Bob's interview is on Monday",
        "면접 결과가 나왔어",
        "hiking hiking hiking every weekend",
    ],
}
QUERIES = ["interview Mina", "면접 준비", "hiking weekend", "job bakery Jisoo", "금요일 면접", "diary"]


async def _fill(store: SQLStore, *, vectors: bool = True) -> MemoryBook:
    book = MemoryBook(store, HashEmbedder())
    for user, notes in NOTES.items():
        items = [NewMemory("fact", text, f"2026-01-{day + 1:02d}T10:00:00+00:00") for day, text in enumerate(notes)]
        await book.add(user, items)
    return book


@pytest.fixture
async def books(tmp_path, postgres_server):
    sqlite = open_sql_store(tmp_path / "k.db")
    postgres = open_sql_store(postgres_server.fresh_database_url())
    yield await _fill(sqlite), await _fill(postgres)
    await sqlite.close()
    await postgres.close()


async def test_keyword_search_ranks_and_scores_alike_in_english_and_korean(books):
    from kindred.memory.portable import wipe_user

    on_sqlite, on_postgres = books
    _assert_same_keyword_results(on_sqlite, on_postgres)
    assert on_postgres.keyword("alice", "면접", 10), "Korean must be found on PostgreSQL"
    for book in books:  # the index statistics follow forgetting and wiping too
        await book.forget("alice", [1, 4])
        await book.edit("alice", 2, "Hiking with Mina again, and an interview after")
        wipe_user(book.store, "bob")
    _assert_same_keyword_results(on_sqlite, on_postgres)


def _assert_same_keyword_results(on_sqlite: MemoryBook, on_postgres: MemoryBook) -> None:
    for user in NOTES:
        for query in QUERIES:
            here = on_sqlite.keyword(user, query, 10)
            there = on_postgres.keyword(user, query, 10)
            assert [_text(on_sqlite, user, i) for i, _ in here] == [_text(on_postgres, user, i) for i, _ in there]
            assert [s for _, s in here] == pytest.approx([s for _, s in there], rel=1e-6)


async def test_vector_search_finds_the_same_neighbours(books, postgres_server):
    on_sqlite, on_postgres = books
    assert isinstance(on_postgres.vectors, PgVectorIndex) == postgres_server.has_pgvector
    probe = HashEmbedder().embed_array(["Mina's interview on Friday"], "query")[0]
    for user in NOTES:
        here = on_sqlite.dense(user, probe, 5)
        there = on_postgres.dense(user, probe, 5)
        assert [_text(on_sqlite, user, i) for i, _ in here] == [_text(on_postgres, user, i) for i, _ in there]
        assert [s for _, s in here] == pytest.approx([s for _, s in there], abs=1e-5)
        ids = [i for i, _ in there]
        assert on_postgres.vectors.similarity(user, ids, probe) == pytest.approx([s for _, s in there], abs=1e-5)


async def test_without_pgvector_the_numpy_scan_serves_and_pgvector_takes_over_later(postgres_server):
    if not postgres_server.has_pgvector:
        pytest.skip("this server has no pgvector: every other PostgreSQL test already runs the fallback")
    url = postgres_server.fresh_database_url()
    plain = SQLStore(_opened(PostgresDatabase(url, vector_extension=False)))
    book = await _fill(plain)
    assert not plain.database.has_vector_search and isinstance(book.vectors, VectorIndex)
    probe = HashEmbedder().embed_array(["hiking in the mountains"], "query")[0]
    scanned = book.dense("alice", probe, 3)
    assert scanned and all(_text(book, "alice", i) for i, _ in scanned)
    await plain.close()

    upgraded = open_sql_store(url)  # pgvector allowed now: the column is added and filled from the stored bytes
    assert upgraded.database.has_vector_search
    after = MemoryBook(upgraded, HashEmbedder())
    assert isinstance(after.vectors, PgVectorIndex)
    served = after.dense("alice", probe, 3)
    assert [i for i, _ in served] == [i for i, _ in scanned]
    assert np.allclose([s for _, s in served], [s for _, s in scanned], atol=1e-5)
    await upgraded.close()


async def test_a_role_that_may_not_create_pgvector_gets_the_numpy_scan(postgres_server):
    import uuid

    name = f"plain_{uuid.uuid4().hex[:8]}"
    postgres_server.admin(f"CREATE ROLE {name} LOGIN")
    postgres_server.admin(f"CREATE DATABASE {name} OWNER {name}", database="postgres")
    url = postgres_server.url(database=name).replace("kindred@", f"{name}@", 1)
    store = open_sql_store(url)  # CREATE EXTENSION vector is refused: not a trusted extension
    try:
        assert not store.database.has_vector_search
        book = await _fill(store)
        assert isinstance(book.vectors, VectorIndex)
        probe = HashEmbedder().embed_array(["면접 준비"], "query")[0]
        assert [_text(book, "alice", i) for i, _ in book.dense("alice", probe, 1)] == ["동생 민아랑 면접 준비를 했어"]
    finally:
        await store.close()


async def test_one_person_moves_from_sqlite_to_postgresql_and_back_unchanged(tmp_path, postgres_server):
    from kindred.memory.portable import dumps, export_user, import_user

    from .helpers import Harness

    here = Harness(tmp_path / "k.db")
    await here.say("u", "My sister is called Mina. 내일 면접이 있어서 걱정돼.",
                   affect={"valence": -0.6, "arousal": 0.7, "labels": [["nervousness", 0.6]]})
    exported = dumps(export_user(here.store, "u"))
    there = open_sql_store(postgres_server.fresh_database_url())
    import_user(there, json.loads(exported))
    assert dumps(export_user(there, "u")) == exported
    moved = MemoryBook(there, HashEmbedder())
    assert moved.keyword("u", "면접", 3) and moved.keyword("u", "sister Mina", 3)
    probe = HashEmbedder().embed_array(["Mina"], "query")[0]
    assert [i for i, _ in moved.dense("u", probe, 3)] == [i for i, _ in here.book.dense("u", probe, 3)]
    back = Harness(tmp_path / "back.db")
    import_user(back.store, json.loads(dumps(export_user(there, "u"))))
    assert dumps(export_user(back.store, "u")) == exported
    await there.close()
    await here.close()
    await back.close()


def _opened(database):
    from kindred.database.migrate import migrate

    migrate(database)
    return database


def _text(book: MemoryBook, user: str, memory_id: int) -> str:
    row = book.store.read("SELECT text FROM memories WHERE id = ? AND user_id = ?", (memory_id, user))
    return row[0][0]
