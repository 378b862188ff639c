"""The native-Korean reader: KOTE's table, the clear cases, and valence on how Koreans write."""
import numpy as np
import pytest

from kindred.perception.emotion.kote import (
    GOEMOTIONS_OF,
    KOTE_LABELS,
    POLARITY,
    clear_polarity,
    to_goemotions,
    valence_arousal_kote,
)
from kindred.perception.emotion.taxonomy import LABELS, VALENCE


def test_every_polar_kote_label_maps_to_a_counterpart_of_the_same_sign():
    assert len(KOTE_LABELS) == 44 and KOTE_LABELS[24] == "없음"
    for name, polarity, target in zip(KOTE_LABELS, POLARITY, GOEMOTIONS_OF, strict=True):
        if polarity:
            assert np.sign(VALENCE[LABELS[target]]) == polarity, name


def test_clear_cases_need_four_of_one_sign_and_at_most_one_of_the_other():
    positive = [i for i, p in enumerate(POLARITY) if p > 0]
    negative = [i for i, p in enumerate(POLARITY) if p < 0]
    rows = np.zeros((4, 44), np.uint8)
    rows[0, positive[:4]] = 1
    rows[0, negative[:1]] = 1  # 4 + 1: clear positive
    rows[1, negative[:5]] = 1  # clear negative
    rows[2, positive[:4]] = 1
    rows[2, negative[:2]] = 1  # 4 + 2: not clear
    rows[3, positive[:3]] = 1  # 3: not clear
    assert clear_polarity(rows).tolist() == [1, -1, 0, 0]


def test_kote_probabilities_carry_into_goemotions_and_valence():
    probs = np.zeros(44, np.float32)
    probs[KOTE_LABELS.index("기쁨")] = 0.9
    probs[KOTE_LABELS.index("행복")] = 0.6
    mapped = to_goemotions(probs)
    assert mapped.shape == (28,) and mapped[LABELS.index("joy")] == pytest.approx(0.9)
    assert valence_arousal_kote(probs)[0] > 0.5
    probs[:] = 0.0
    probs[KOTE_LABELS.index("경악")] = 0.9  # appalled: negative, unlike GoEmotions' surprise
    assert valence_arousal_kote(probs)[0] < -0.5


# ---------------------------------------------------------------- the committed model


@pytest.fixture(scope="module")
def model():
    from kindred.perception.emotion.model import TextEmotionModel

    return TextEmotionModel().preload()


# Native phrasing, both ways (issue #25): crying from joy, sarcasm, ㅋㅋ and slang, a sigh.
NATIVE = [("아 진짜 너무 좋다ㅠㅠ", 1), ("참 잘~ 한다", -1), ("ㅋㅋㅋ 미쳤다 대박", 1), ("하… 또 야근이야", -1)]
# Irony against sincere praise (written for this test before the fix was scored): praise of a
# deed, drawled ("잘~", "자알", "대~단"), means its opposite; the same words said plainly, and a
# drawled 좋다 (contentment, not praise of anyone), stay praise.
IRONY = [("아주 잘~ 하는 짓이다", -1), ("자알 한다 진짜", -1), ("참~ 잘들 한다", -1), ("대~단하다 정말", -1)]
SINCERE = [("진짜 잘했다!", 1), ("참 잘한다 우리 딸", 1), ("발표 정말 잘했어 멋지다", 1),
           ("아 좋~다 역시 온천이 최고야", 1), ("잘~했어 우리 아들", 1)]  # last: drawled praise told to the one praised
# Chat messages as the companion gets them (written for this test, not from any data set or bench).
CHAT = [
    ("큰아버지 돌아가셨대.. 지금 내려가는 중", -1),
    ("시험 또 떨어졌어 나 진짜 왜 이러냐", -1),
    ("요즘 너무 외롭고 아무것도 하기 싫어", -1),
    ("강아지가 아파서 병원 다녀왔는데 수술해야 한대ㅠ", -1),
    ("오늘 처음으로 10km 안 쉬고 뛰었어!!", 1),
    ("합격했어!!! 드디어 취업했다", 1),
    ("여자친구가 깜짝 생일파티 해줬어 완전 감동", 1),
    ("주말에 가족들이랑 바다 갔는데 너무 행복했어", 1),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "sign"), NATIVE + IRONY + SINCERE + CHAT)
def test_korean_valence_has_the_right_sign(model, text, sign):
    reading = model.read(text)
    assert reading.language == "ko"
    assert np.sign(reading.valence) == sign, reading


@pytest.mark.slow
def test_korean_reads_through_the_native_reader_and_english_does_not(model):
    reading, native = model.read_with_native("큰아버지 돌아가셨대.. 지금 내려가는 중")
    assert native is not None and native.shape == (44,)
    assert (reading.valence, reading.arousal) == pytest.approx(valence_arousal_kote(native), abs=1e-4)
    assert model.read_with_native("I passed my exam!")[1] is None
    assert model.native_probabilities("ㅋㅋㅋ 미쳤다 대박").shape == (44,)


@pytest.mark.slow
def test_without_the_encoder_the_native_ngrams_read_alone():
    from kindred.perception.emotion.model import TextEmotionModel

    ngram = TextEmotionModel(use_encoder=False)
    assert ngram.read("합격했어!!! 드디어 취업했다").valence > 0.0
    assert ngram.read("큰아버지 돌아가셨대.. 지금 내려가는 중").valence < 0.0


def test_a_damaged_native_file_is_refused(tmp_path):
    import shutil

    from kindred.errors import ModelCorruptError
    from kindred.perception.emotion.model import WEIGHTS_DIR, TextEmotionModel

    for path in WEIGHTS_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    native = tmp_path / "emotion-v3-kote-ko.npz"
    native.write_bytes(native.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelCorruptError):
        TextEmotionModel(tmp_path, use_encoder=False).preload()
