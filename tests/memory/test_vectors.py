"""The numpy scan's cosine lookups for given memories (recall scores the neighbours of strong matches)."""
import numpy as np

from kindred.memory.book import MemoryBook, NewMemory
from kindred.memory.embedder import HashEmbedder
from kindred.memory.sql_store import open_sql_store


async def test_similarity_matches_one_dot_product_per_memory_and_gives_zero_without_a_vector(tmp_path):
    store = open_sql_store(tmp_path / "v.db")
    book = MemoryBook(store, HashEmbedder())
    texts = ["my dog Tofu", "a trip to Busan", "pottery class on Monday", "my sister Mina"]
    ids = await book.add("u", [NewMemory("turn", t, "2026-01-05T10:00:00+00:00") for t in texts])
    query = HashEmbedder().embed_array(["dog"], "query")[0]
    vectors = HashEmbedder().embed_array(texts, "passage")
    wanted = [ids[2], 999_999, ids[0]]
    expected = [float(vectors[2] @ query), 0.0, float(vectors[0] @ query)]
    assert np.allclose(book.vectors.similarity("u", wanted, query), expected, atol=1e-6)
    assert book.vectors.similarity("nobody", [ids[0]], query) == [0.0]
    assert book.vectors.similarity("u", [], query) == []
    await store.close()
