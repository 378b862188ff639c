"""Facial expression: one reading per image, and the interface of anything that produces one.

An image crosses this boundary as its encoded bytes (JPEG, PNG …), never as an array, so callers
need no numpy or OpenCV. Readers decode, look and forget: a frame is never written anywhere.

The seven labels are FER2013's (Goodfellow et al., 2013). Valence and arousal come from the same
NRC VAD values the text model uses (:mod:`kindred.perception.emotion.taxonomy`), through the
GoEmotions label that names the same feeling, so a happy face and happy words land on the same
point and fusion can compare them directly.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..errors import InputError
from .emotion.taxonomy import AROUSAL, VALENCE
from .image_size import declared_size

FACE_LABELS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
# FER2013 label → the GoEmotions label (and Ekman group) for the same feeling.
AS_GOEMOTION = {"angry": "anger", "disgust": "disgust", "fear": "fear", "happy": "joy", "sad": "sadness",
                "surprise": "surprise", "neutral": "neutral"}
AS_EKMAN = {"angry": "anger", "disgust": "disgust", "fear": "fear", "happy": "joy", "sad": "sadness",
            "surprise": "surprise", "neutral": "neutral"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # a camera frame is far smaller; this stops a mistaken file
# A 48-megapixel phone photo still fits; a small file that declares more (a decompression bomb) does not.
MAX_IMAGE_PIXELS = 50_000_000
# A face this many pixels wide or more is read at full confidence; smaller faces are blurrier at 64×64.
CONFIDENT_FACE_PX = 96


@dataclass(frozen=True)
class FaceBox:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class FaceReading:
    labels: tuple[tuple[str, float], ...]  # (FER label, probability), most likely first; () when no face
    valence: float  # -1 … 1
    arousal: float  # 0 … 1
    confidence: float  # 0 … 1; 0 when no face was found
    box: FaceBox | None  # the face that was read (the largest), in image pixels
    faces_found: int
    image_size: tuple[int, int]  # (width, height)
    model: str

    @property
    def found(self) -> bool:
        return self.box is not None

    @property
    def top(self) -> str:
        return self.labels[0][0] if self.labels else "none"

    def to_dict(self) -> dict[str, object]:
        box = self.box
        return {
            "found": self.found, "top": self.top, "labels": [{"label": k, "p": p} for k, p in self.labels],
            "valence": self.valence, "arousal": self.arousal, "confidence": self.confidence,
            "box": None if box is None else {"x": box.x, "y": box.y, "width": box.width, "height": box.height},
            "faces_found": self.faces_found, "image_size": list(self.image_size), "model": self.model,
        }


class FaceReader(Protocol):
    name: str

    def read(self, image_bytes: bytes) -> FaceReading: ...


def face_valence_arousal(probabilities: dict[str, float]) -> tuple[float, float]:
    """Probability-weighted mean valence and arousal of the seven labels."""
    total = sum(probabilities.values())
    if total <= 0:
        return VALENCE["neutral"], AROUSAL["neutral"]
    valence = sum(p * VALENCE[AS_GOEMOTION[k]] for k, p in probabilities.items()) / total
    arousal = sum(p * AROUSAL[AS_GOEMOTION[k]] for k, p in probabilities.items()) / total
    return round(max(-1.0, min(1.0, valence)), 4), round(max(0.0, min(1.0, arousal)), 4)


def face_confidence(probabilities: dict[str, float], face_width: int, faces_found: int) -> float:
    """How far to trust one reading: the winning margin, less for small faces and crowded frames."""
    ranked = sorted(probabilities.values(), reverse=True)
    margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
    # A clear winner alone is not enough: FER2013 accuracy is ~66%, so even a certain-looking
    # reading is capped below 1.
    clarity = 0.35 + 0.55 * margin
    size = min(1.0, face_width / CONFIDENT_FACE_PX)
    crowd = 1.0 if faces_found <= 1 else 0.8  # whose face is it? the largest, probably the user's
    return round(max(0.0, min(0.9, clarity * size * crowd)), 4)


def no_face(image_size: tuple[int, int], model: str) -> FaceReading:
    return FaceReading((), VALENCE["neutral"], AROUSAL["neutral"], 0.0, None, 0, image_size, model)


def check_image_bytes(image_bytes: bytes) -> None:
    if not isinstance(image_bytes, (bytes, bytearray, memoryview)):
        raise InputError("A face image must be given as encoded bytes (JPEG, PNG …).",
                         "Read the file in binary mode: Path(p).read_bytes().")
    if not image_bytes:
        raise InputError("The image is empty.", "Give a JPEG or PNG photo with a face in it.")
    if len(image_bytes) > MAX_IMAGE_BYTES:
        raise InputError(f"The image is {len(image_bytes) // 1_048_576} MiB; at most "
                         f"{MAX_IMAGE_BYTES // 1_048_576} MiB is read.", "Give a smaller photo or frame.")
    size = declared_size(bytes(image_bytes))  # headers only: EXIF and ICC segments are skipped, not read
    if size is None:
        raise InputError("The image could not be decoded.", "Give a JPEG, PNG, BMP or WebP file.",
                         code="image-unreadable")
    if size[0] * size[1] > MAX_IMAGE_PIXELS or 0 in size:
        raise InputError(f"The image declares {size[0]}×{size[1]} pixels; at most {MAX_IMAGE_PIXELS // 1_000_000} "
                         "megapixels are read.", "Give a smaller photo or frame.", code="image-too-large")


def load_face_reader() -> FaceReader:
    """The packaged reader: OpenCV's Haar face detector and fer's mini-XCEPTION (TFLite)."""
    from .face_fer import FerTFLiteReader

    return FerTFLiteReader.shared()


__all__ = ["AS_EKMAN", "AS_GOEMOTION", "FACE_LABELS", "FaceBox", "FaceReader", "FaceReading",
           "check_image_bytes", "face_confidence", "face_valence_arousal", "load_face_reader", "no_face"]
