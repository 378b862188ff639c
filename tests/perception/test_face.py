"""Facial expression: the mapping logic (fast) and the real fer mini-XCEPTION on a real photo (slow).

``data/astronaut_face.jpg`` is a 240×240 crop of NASA's portrait of Eileen Collins (public domain),
as shipped in scikit-image 0.26.0's ``skimage/data/astronaut.png``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kindred.errors import InputError
from kindred.perception.face import FACE_LABELS, face_confidence, face_valence_arousal

ASTRONAUT = Path(__file__).parent / "data" / "astronaut_face.jpg"


def test_valence_and_arousal_follow_the_expression():
    happy_v, happy_a = face_valence_arousal({"happy": 1.0})
    sad_v, sad_a = face_valence_arousal({"sad": 1.0})
    angry_v, angry_a = face_valence_arousal({"angry": 1.0})
    assert happy_v > 0.8 and sad_v < -0.8 and angry_v < -0.5
    assert angry_a > sad_a
    assert face_valence_arousal({}) == face_valence_arousal({"neutral": 1.0})


def test_confidence_drops_for_small_faces_crowds_and_close_calls():
    clear = {"happy": 0.95, "neutral": 0.05}
    close = {"happy": 0.5, "neutral": 0.45}
    assert face_confidence(clear, 120, 1) > face_confidence(close, 120, 1)
    assert face_confidence(clear, 120, 1) > face_confidence(clear, 50, 1)
    assert face_confidence(clear, 120, 1) > face_confidence(clear, 120, 3)
    assert face_confidence(clear, 500, 1) <= 0.9


@pytest.fixture(scope="module")
def reader():
    from kindred.perception.face import load_face_reader

    return load_face_reader()


@pytest.mark.slow
def test_the_smiling_astronaut_reads_happy(reader):
    reading = reader.read(ASTRONAUT.read_bytes())
    assert reading.found and reading.faces_found == 1
    assert reading.top == "happy" and dict(reading.labels)["happy"] > 0.8
    assert {label for label, _ in reading.labels} == set(FACE_LABELS)
    assert sum(p for _, p in reading.labels) == pytest.approx(1.0, abs=1e-3)
    assert reading.valence > 0.5 and reading.confidence > 0.5
    box = reading.box
    assert box is not None and 40 < box.x < 120 and 40 < box.y < 120 and box.width >= 80
    assert json.loads(json.dumps(reading.to_dict()))["top"] == "happy"


@pytest.mark.slow
def test_an_image_without_a_face_says_so(reader):
    import cv2
    import numpy as np

    gradient = np.tile(np.linspace(0, 255, 320, dtype=np.uint8), (240, 1))
    ok, encoded = cv2.imencode(".png", gradient)
    assert ok
    reading = reader.read(encoded.tobytes())
    assert not reading.found and reading.top == "none" and reading.confidence == 0.0
    assert reading.image_size == (320, 240)


@pytest.mark.slow
def test_bad_input_is_a_clear_error(reader):
    with pytest.raises(InputError) as caught:
        reader.read(b"not an image at all")
    assert caught.value.code == "image-unreadable"
    with pytest.raises(InputError):
        reader.read(b"")


@pytest.mark.slow
def test_reading_writes_nothing_to_disk(reader, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reader.read(ASTRONAUT.read_bytes())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_face_command_prints_text_and_json(capsys):
    import argparse

    from kindred.cli import face_cmd

    parser = argparse.ArgumentParser()
    face_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["face", "--image", str(ASTRONAUT), "--json"])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["top"] == "happy" and out["found"] and out["latency_ms"] > 0
    args = parser.parse_args(["face", "--image", str(ASTRONAUT)])
    args.func(args)
    assert "looks      happy" in capsys.readouterr().out
    assert face_cmd.describe_image(ASTRONAUT)["top"] == "happy"
    with pytest.raises(InputError):
        face_cmd.describe_image(ASTRONAUT.with_name("missing.jpg"))


def test_missing_backend_names_the_extra(monkeypatch):
    import builtins

    from kindred.errors import MissingExtraError
    from kindred.perception import face_fer

    real_import = builtins.__import__

    def no_litert(name, *args, **kwargs):
        if name.startswith("ai_edge_litert"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_litert)
    with pytest.raises(MissingExtraError) as caught:
        face_fer._import_backends()
    assert "ai-edge-litert" in caught.value.message and "kindred[face]" in caught.value.hint


@pytest.mark.slow
def test_a_changed_model_file_is_refused(tmp_path):
    from kindred.errors import ModelCorruptError
    from kindred.perception.face_fer import FerTFLiteReader

    fake = tmp_path / "emotion_model_quantized.tflite"
    fake.write_bytes(b"\0" * 1024)
    with pytest.raises(ModelCorruptError):
        FerTFLiteReader(fake)
