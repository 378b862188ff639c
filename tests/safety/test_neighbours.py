"""The neighbours reader votes by the labelled messages nearest in meaning, stores compactly and fails coded."""
import numpy as np
import pytest

from kindred.errors import KindredError
from kindred.safety import train
from kindred.safety.neighbours import NeighbourReader, load_neighbours
from kindred.safety.rules import RISK_LEVELS


def _unit(*values):
    vector = np.zeros(384, dtype=np.float32)
    vector[:len(values)] = values
    return vector / np.linalg.norm(vector)


def _reader():
    # Two clusters: no-risk messages around axis 0, imminent ones around axis 1.
    rng = np.random.default_rng(3)
    safe = [_unit(1.0, *rng.normal(0, 0.05, 3)) for _ in range(20)]
    risky = [_unit(0.0, 1.0, *rng.normal(0, 0.05, 2)) for _ in range(20)]
    levels = [RISK_LEVELS.index("none")] * 20 + [RISK_LEVELS.index("imminent")] * 20
    return NeighbourReader.from_vectors(np.vstack(safe + risky), levels,
                                        {"low": 0.3, "medium": 0.4, "high": 0.5, "imminent": 0.6}, 0.7)


def test_a_message_near_labelled_risk_reads_as_that_risk_and_one_near_safe_text_as_safe():
    reader = _reader()
    near_risk = reader.risk_probs(_unit(0.1, 1.0))
    near_safe = reader.risk_probs(_unit(1.0, 0.1))
    assert near_risk.argmax() == RISK_LEVELS.index("imminent") and near_risk.max() > 0.9
    assert near_safe.argmax() == RISK_LEVELS.index("none")
    assert np.isclose(near_risk.sum(), 1.0) and near_risk.min() > 0  # smoothed: never certain


def test_the_closer_neighbours_outvote_the_many_farther_ones():
    far = [_unit(1.0, 0.3)] * 7  # seven no-risk messages, farther away
    near = [_unit(0.2, 1.0)]  # one high-risk message, almost the query itself
    reader = NeighbourReader.from_vectors(np.vstack(far + near), [0] * 7 + [RISK_LEVELS.index("high")])
    assert reader.risk_probs(_unit(0.2, 1.0)).argmax() == RISK_LEVELS.index("high")


def test_saved_and_loaded_it_reads_the_same_and_keeps_its_thresholds(tmp_path):
    reader = _reader()
    path = tmp_path / "neighbours.npz"
    reader.save(path)
    loaded = load_neighbours.__wrapped__(str(path))
    assert loaded.vectors.dtype == np.int8 and loaded.thresholds == pytest.approx(reader.thresholds)
    assert loaded.alone_threshold == pytest.approx(0.7)
    query = _unit(0.3, 1.0)
    assert np.allclose(loaded.risk_probs(query), reader.risk_probs(query))


def test_a_missing_file_is_no_reader_and_a_broken_one_a_coded_error(tmp_path):
    assert load_neighbours.__wrapped__(str(tmp_path / "absent.npz")) is None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy archive")
    with pytest.raises(KindredError) as caught:
        load_neighbours.__wrapped__(str(broken))
    assert caught.value.code == "safety-model-corrupt"


def test_training_reuses_cached_vectors_and_encodes_only_new_text(tmp_path, monkeypatch):
    from kindred.safety import meaning

    encoded: list[str] = []

    def fake_encode(texts):  # a stand-in for the encoder: the cache logic is what is tested
        encoded.extend(texts)
        return np.vstack([_unit(len(t), 1.0) for t in texts])

    monkeypatch.setattr(meaning, "sentence_vectors", fake_encode)
    cache = tmp_path / "vectors.npz"
    first = train._cached_vectors(["hi", "took all my pills"], cache)
    second = train._cached_vectors(["took all my pills", "hi", "new one"], cache)
    assert encoded == ["hi", "took all my pills", "new one"]
    assert np.allclose(second[0], first[1]) and np.allclose(second[1], first[0])


def _only_risk_nearby(thresholds, alone):
    risky = [_unit(0.0, 1.0, 0.01 * k) for k in range(10)]
    return NeighbourReader.from_vectors(np.vstack(risky), [RISK_LEVELS.index("high")] * 10, thresholds, alone)


CUTS = {"low": 0.3, "medium": 0.4, "high": 0.5, "imminent": 0.99}


def test_the_neighbours_witness_sure_alone_sends_the_crisis_reply_on_a_long_message(monkeypatch):
    from kindred.safety import neighbours
    from kindred.safety.crisis import assess

    monkeypatch.setattr(neighbours, "load_neighbours", lambda: _only_risk_nearby(CUTS, 0.6))
    text = "the weather is grey again and the bus was late"  # no rule: only the classifier speaks
    result = assess(text, vector=_unit(0.0, 1.0))
    assert result.needs_crisis_reply and any("classifier" in reason for reason in result.reasons), result
    monkeypatch.setattr(neighbours, "load_neighbours", lambda: None)  # the other witnesses alone: no alarm
    assert not assess(text, vector=_unit(0.0, 1.0)).needs_crisis_reply


def test_the_neighbours_witness_unsure_or_on_short_text_only_asks_gently(monkeypatch):
    from kindred.safety import neighbours
    from kindred.safety.crisis import assess

    monkeypatch.setattr(neighbours, "load_neighbours", lambda: _only_risk_nearby(CUTS, 1.01))  # never sure alone
    unsure = assess("the weather is grey again and the bus was late", vector=_unit(0.0, 1.0))
    assert unsure.gentle_check and not unsure.needs_crisis_reply, unsure
    monkeypatch.setattr(neighbours, "load_neighbours", lambda: _only_risk_nearby(CUTS, 0.6))
    short = assess("grey again", vector=_unit(0.0, 1.0))
    assert short.gentle_check and not short.needs_crisis_reply, short
