import numpy as np
import pytest

from kindred.perception.emotion.sentence_vectors import dequantize_rows, quantize_rows
from kindred.perception.emotion.vector_head import VectorHead, fit_head


def _toy(n=600, seed=0):
    """Two separable clusters of 384-d unit vectors: label 0 on one, label 1 on the other."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(2, 384))
    which = rng.integers(0, 2, n)
    x = centres[which] + rng.normal(scale=0.3, size=(n, 384))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = np.zeros((n, 28), np.uint8)
    y[np.arange(n), which] = 1
    return x.astype(np.float32), y


def test_head_learns_and_survives_its_float16_round_trip():
    x, y = _toy()
    head = fit_head(x[:500], y[:500], hidden=32, max_iter=30, log=lambda _: None)
    probs = head.probabilities(x[500:])
    assert probs.shape == (100, 28)
    assert (probs[:, :2].argmax(axis=1) == y[500:, :2].argmax(axis=1)).mean() > 0.95
    again = VectorHead.from_arrays(head.arrays())
    np.testing.assert_allclose(again.probabilities(x[500:]), probs, atol=2e-3)
    assert again.probabilities(x[500]).shape == (28,)


def test_row_quantisation_keeps_direction():
    x, _ = _toy(50)
    codes, scale = quantize_rows(x)
    assert codes.dtype == np.int8
    back = dequantize_rows(codes, scale)
    cosine = np.sum(x * back, axis=1) / np.linalg.norm(back, axis=1)
    assert cosine.min() > 0.999


@pytest.mark.slow
def test_parallel_embedding_matches_one_process():
    from kindred.perception.emotion.sentence_vectors import embed_texts

    texts = ["I am so happy for you!", "이거 정말 슬프다", "thanks a lot", "I'm scared"] * 3
    one = embed_texts(texts, workers=1, chunk=5)
    two = embed_texts(texts, workers=2, chunk=5)
    np.testing.assert_allclose(one, two, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-3)


@pytest.mark.slow
def test_without_the_encoder_the_ngram_part_reads_alone():
    from kindred.perception.emotion.model import TextEmotionModel

    both, ngram = TextEmotionModel(use_encoder=True), TextEmotionModel(use_encoder=False)
    assert ngram.name.endswith("-ngram") and not both.name.endswith("-ngram")
    spec = both.manifest["languages"]["en"]
    np.testing.assert_allclose(ngram.thresholds("en"), spec["sparse_thresholds"], atol=1e-6)
    np.testing.assert_allclose(both.thresholds("en"), spec["thresholds"], atol=1e-6)
    reading = ngram.read("Thank you so much for helping me!")
    assert reading.active[0] == "gratitude"
