"""The opt-in camera: a JPEG frame every few seconds → a facial-expression reading, in memory only.

A frame is decoded, read and dropped at once; nothing of it is written anywhere. The latest
reading is kept on the socket for a short while and passed to the next turn as ``face=``.
"""
from __future__ import annotations

import base64
import binascii
import importlib.util
import threading
import time
from dataclasses import dataclass

from ..events import Seen

MAX_FRAME_BYTES = 2 * 1024 * 1024
FRESH_FOR_S = 20.0  # a reading older than this says nothing about the next turn


def camera_extra_problem() -> str:
    for module, what in (("cv2", "opencv-python-headless"), ("ai_edge_litert", "ai-edge-litert"), ("fer", "fer")):
        if importlib.util.find_spec(module) is None:
            return f"reading facial expression needs {what}: pip install 'kindred[face]'"
    return ""


class FaceReaders:
    """The packaged face reader, loaded on the first frame and shared (reads are serialised)."""

    def __init__(self, reader=None) -> None:
        self._reader = reader
        self._lock = threading.Lock()

    def read(self, jpeg: bytes):
        with self._lock:
            if self._reader is None:
                from ..perception.face import load_face_reader

                self._reader = load_face_reader()
            return self._reader.read(jpeg)


def decode_frame(data: object) -> bytes | None:
    if not isinstance(data, str) or len(data) > MAX_FRAME_BYTES * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode(data, validate=True) or None
    except (binascii.Error, ValueError):
        return None


@dataclass
class LatestFace:
    reading: object | None = None
    at: float = 0.0

    def keep(self, reading) -> None:
        self.reading, self.at = reading, time.monotonic()

    def fresh(self):
        if self.reading is None or time.monotonic() - self.at > FRESH_FOR_S:
            return None
        return self.reading if getattr(self.reading, "found", False) else None

    def clear(self) -> None:
        self.reading, self.at = None, 0.0


def seen_event(reading) -> Seen:
    """What the page may show: the top expression only, never the image."""
    found = bool(getattr(reading, "found", False))
    return Seen(found=found, top=reading.top if found else "none",
                confidence=round(float(getattr(reading, "confidence", 0.0)), 3))
