"""The fine-tuned emotion encoder: loading, its graph cache, and refusing a broken artifact."""
import numpy as np
import pytest

from kindred.errors import ModelCorruptError
from kindred.perception.emotion.model import WEIGHTS_DIR, encoder_can_run

pytestmark = pytest.mark.skipif(not encoder_can_run(), reason="needs the embed and emotion extras")
ARTIFACT = WEIGHTS_DIR / "emotion-v3-encoder.npz"


@pytest.mark.slow
def test_the_graph_is_built_once_then_read_from_the_cache(tmp_path, monkeypatch):
    from kindred.perception.emotion import encoder_graph
    from kindred.perception.emotion.encoder_reader import EncoderReader

    first = EncoderReader(ARTIFACT, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("emotion-encoder-*.onnx"))) == 1
    probs = first.probabilities("Thank you so much, you made my day!")
    assert probs.shape == (28,) and float(probs[15]) > 0.5  # gratitude

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the cached graph should have been used")

    monkeypatch.setattr(encoder_graph, "build", no_rebuild)
    again = EncoderReader(ARTIFACT, cache_dir=tmp_path)
    np.testing.assert_allclose(again.probabilities("Thank you so much, you made my day!"), probs, atol=1e-6)


def test_a_broken_artifact_is_refused_with_a_fix(tmp_path):
    from kindred.perception.emotion.encoder_reader import EncoderReader

    broken = tmp_path / "broken.npz"
    broken.write_bytes(ARTIFACT.read_bytes()[:5000])
    with pytest.raises(ModelCorruptError) as caught:
        EncoderReader(broken, cache_dir=tmp_path)
    assert "Reinstall" in caught.value.hint


@pytest.mark.slow
def test_without_the_encoder_the_ngram_part_reads_alone():
    from kindred.perception.emotion.model import TextEmotionModel

    alone = TextEmotionModel(use_encoder=False)
    assert alone.name.endswith("-ngram")
    reading = alone.read("I'm so grateful for your help, thank you!")
    assert reading.active[0] == "gratitude"


@pytest.mark.slow
def test_a_damaged_cached_graph_is_rebuilt(tmp_path):
    from kindred.perception.emotion.encoder_reader import EncoderReader

    EncoderReader(ARTIFACT, cache_dir=tmp_path)
    (cached,) = tmp_path.glob("emotion-encoder-*.onnx")
    cached.write_bytes(cached.read_bytes()[:1000])
    reader = EncoderReader(ARTIFACT, cache_dir=tmp_path)
    assert reader.probabilities("I miss her so much.").shape == (28,)
    assert cached.stat().st_size > 1_000_000


def test_an_encoder_file_that_differs_from_the_manifest_is_refused(tmp_path):
    import shutil

    from kindred.perception.emotion.model import TextEmotionModel

    for item in WEIGHTS_DIR.iterdir():
        shutil.copy(item, tmp_path / item.name)
    (tmp_path / ARTIFACT.name).write_bytes(ARTIFACT.read_bytes() + b"\0")
    with pytest.raises(ModelCorruptError, match="does not match its manifest"):
        TextEmotionModel(tmp_path, use_encoder=True).read("Thank you so much!")


@pytest.mark.slow
def test_a_message_reads_the_same_alone_or_batched_with_longer_ones(tmp_path):
    from kindred.perception.emotion.encoder_reader import EncoderReader

    reader = EncoderReader(ARTIFACT, cache_dir=tmp_path)
    texts = ["I miss her so much.", "Thank you so much, you made my day! I did not expect that at all, really.",
             "오늘 정말 속상했어."]
    probs, pooled = reader.read_many(texts)
    for index, text in enumerate(texts):
        alone_probs, alone_pooled = reader.read_many([text])
        np.testing.assert_allclose(probs[index], alone_probs[0], atol=1e-5)
        np.testing.assert_allclose(pooled[index], alone_pooled[0], atol=1e-5)
    reader.batched(max_batch=4, max_wait_s=0.01)
    np.testing.assert_allclose(reader.probabilities(texts[0]), probs[0], atol=1e-5)
