import time

import numpy as np
import pytest

from kindred.perception.emotion.features import SparseFeaturizer, analyze, words
from kindred.perception.emotion.metrics import cross_validated_macro_f1, decide, scores, tune_thresholds
from kindred.perception.emotion.taxonomy import (
    AROUSAL,
    EKMAN_OF,
    LABELS,
    NRC_VAD,
    VALENCE,
    ekman_view,
    valence_arousal,
)

# ---------------------------------------------------------------- taxonomy, features, metrics


def test_taxonomy_is_complete_and_ordered():
    assert len(LABELS) == 28 and LABELS[-1] == "neutral"
    assert set(NRC_VAD) == set(LABELS) == set(EKMAN_OF)
    assert VALENCE["grief"] < -0.5 < 0.5 < VALENCE["gratitude"]
    assert AROUSAL["nervousness"] > AROUSAL["sadness"]


def test_valence_arousal_follow_the_distribution():
    probs = np.full(28, 0.01)
    probs[LABELS.index("grief")] = 0.9
    valence, arousal = valence_arousal(probs.tolist())
    assert valence < -0.6 and 0.0 <= arousal <= 1.0
    probs = np.full(28, 0.01)
    probs[LABELS.index("joy")] = 0.9
    assert valence_arousal(probs.tolist())[0] > 0.6
    assert ekman_view({"grief": 0.7, "remorse": 0.2})["sadness"] == 0.7


def test_negation_scope_in_both_languages():
    assert "NEG_happy" in words("I'm not happy at all")
    assert "NEG_기뻐" in words("하나도 안 기뻐")
    assert "NEG_좋지" in words("기분이 좋지 않아")
    assert "NEG_happy" not in words("I'm happy, not sad")
    feats = analyze("so sad")
    assert "w:so sad" in feats and "c: sad " in feats


def test_sparse_featurizer_matches_sklearn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["I am so happy today", "not happy at all", "오늘 너무 행복해", "so so sad"]
    vec = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, dtype=np.float32).fit(texts)
    ours = SparseFeaturizer(vec.get_feature_names_out(), vec.idf_)
    for text in [*texts, "happy happy joy", "unseen words only zzz"]:
        cols, values = ours.transform_one(text)
        dense = np.zeros(len(vec.idf_), np.float32)
        dense[cols] = values
        np.testing.assert_allclose(dense, vec.transform([text]).toarray()[0], atol=1e-5)


def test_thresholds_and_scores():
    rng = np.random.default_rng(0)
    gold = rng.random((400, 3)) < [0.3, 0.1, 0.5]
    probs = np.clip(gold * 0.5 + rng.random((400, 3)) * 0.6, 0, 1)
    thresholds = tune_thresholds(probs, gold)
    assert ((0.0 < thresholds) & (thresholds < 1.0)).all()
    tuned = scores(probs, gold, thresholds)["macro_f1"]
    assert tuned >= scores(probs, gold, np.full(3, 0.9))["macro_f1"]
    assert decide(np.array([[0.1, 0.2, 0.05]]), np.array([0.5, 0.5, 0.5])).sum() == 1



def test_smoothed_thresholds_prefer_a_plateau_to_a_spike():
    # Three positives just above a crowd of negatives make F1 0.50 at the single threshold 0.80;
    # every threshold from 0.21 to 0.30 keeps all nine positives for F1 0.47.
    positives = [0.805] * 3 + [0.30] * 6
    negatives = [0.79] * 20 + [0.02, 0.06, 0.10, 0.15, 0.20]
    probs = np.array(positives + negatives)[:, None]
    gold = np.array([True] * len(positives) + [False] * len(negatives))[:, None]
    assert tune_thresholds(probs, gold, smooth=0)[0] == pytest.approx(0.80)
    assert 0.21 <= tune_thresholds(probs, gold, smooth=3)[0] <= 0.30


def test_cross_validated_f1_tells_signal_from_noise():
    rng = np.random.default_rng(1)
    gold = rng.random((600, 4)) < 0.2
    informative = np.clip(gold * 0.4 + rng.random((600, 4)) * 0.6, 0, 1)
    noise = rng.random((600, 4))
    signal = cross_validated_macro_f1(informative, gold, repeats=2)
    assert signal > cross_validated_macro_f1(noise, gold, repeats=2) + 0.2


# ---------------------------------------------------------------- the training pipeline, tiny


@pytest.mark.slow
def test_train_writes_a_loadable_artifact(tmp_path):
    from kindred.perception.emotion.model import TextEmotionModel
    from kindred.perception.emotion.train import train

    manifest = train(tmp_path, limit=200, log=lambda message: None)
    assert set(manifest["languages"]) == {"en", "ko"}
    assert len(manifest["training"]["data_sha256"]) == 7
    model = TextEmotionModel(tmp_path)
    reading = model.read("Thank you so much!")
    assert reading.language == "en" and len(reading.labels) == 28 and reading.active
    assert -1.0 <= reading.valence <= 1.0 and 0.0 <= reading.arousal <= 1.0


# ---------------------------------------------------------------- the committed model


@pytest.fixture(scope="module")
def model():
    from kindred.perception.emotion.model import TextEmotionModel

    began = time.perf_counter()
    loaded = TextEmotionModel().preload()
    loaded.load_seconds = time.perf_counter() - began
    return loaded


CASES = [
    ("en", "My grandmother passed away last night and I can't stop crying.", {"grief", "sadness"}),
    ("en", "Thank you so much for helping me, I really appreciate it.", {"gratitude"}),
    ("en", "I'm terrified, I think someone is following me home.", {"fear", "nervousness"}),
    ("en", "I am so angry at him, this is outrageous!", {"anger", "annoyance"}),
    ("en", "I'm so happy today, everything went perfectly!", {"joy", "excitement"}),
    ("en", "I'm really nervous about my job interview tomorrow.", {"nervousness", "fear"}),
    ("ko", "할머니가 어젯밤에 돌아가셨어. 너무 슬퍼.", {"grief", "sadness"}),
    ("ko", "도와줘서 정말 고마워.", {"gratitude"}),
    ("ko", "누가 나를 따라오는 것 같아서 너무 무서워.", {"fear", "nervousness"}),
    ("ko", "그 사람 때문에 진짜 화가 나.", {"anger", "annoyance"}),
    ("ko", "오늘 너무 행복해!", {"joy", "excitement"}),
    ("ko", "내일 면접이라 너무 긴장돼.", {"nervousness", "fear"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_unambiguous_cases(model, language, text, expected):
    reading = model.read(text)
    assert reading.language == language
    assert reading.active[0] in expected, reading
    assert reading.confidence >= 0.4


@pytest.mark.slow
@pytest.mark.parametrize("text", ["I'm not happy at all.", "하나도 안 기뻐"])
def test_negation(model, text):
    reading = model.read(text)
    assert "joy" not in reading.active and "excitement" not in reading.active, reading
    assert reading.valence < 0.0, reading


@pytest.mark.slow
@pytest.mark.parametrize("text", ["Je suis très content de te voir aujourd'hui", "今日はとても嬉しいです"])
def test_other_languages_get_low_confidence(model, text):
    reading = model.read(text)
    assert reading.language == "other"
    assert reading.confidence <= 0.25


@pytest.mark.slow
def test_valence_sign_and_loading(model):
    assert model.read("This is the best day of my life!").valence > 0.3
    assert model.read("I feel awful and alone.").valence < -0.2
    assert model.read("").confidence == 0.0
    assert model.load_seconds < 20.0  # both languages; ~2 s measured on a busy shared 2-core box (a guard only)


@pytest.mark.slow
def test_bench_quick_runs_and_reports_the_baseline():
    from kindred.bench.emotion import run

    result = run({"quick": True})
    figures = result["figures"]
    for lang in ("en", "ko"):
        assert 0.0 < figures[f"{lang}_macro_f1"] <= 1.0
        assert 0.0 < figures[f"{lang}_baseline_macro_f1"] <= 1.0
        assert figures[f"{lang}_latency_p95_ms"] > 0.0
    assert len(result["tables"][1]["rows"]) == 28
    # The native-Korean section: KOTE, cross-validated through the model's own read().
    assert figures["ko_kote_clear_cases"] > 0 and 0.5 < figures["ko_kote_clear_valence_accuracy"] <= 1.0
    assert 0.0 < figures["ko_kote_macro_f1"] <= 1.0 and 0.0 < figures["ko_kote_baseline_macro_f1"] <= 1.0
    assert result["tables"][-1]["title"].startswith("Native Korean")
