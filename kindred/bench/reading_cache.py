"""Readings kept by text, so `kindred bench empathy` hears ~3,500 messages in seconds the second time.

The chooser is pure and cheap; what makes a bench run slow is the text emotion model reading
every message (about 100 s for ESConv dev on two cores). Readings depend only on the text and
on the model, so they are kept in ``KINDRED_HOME/bench/readings-<model>-<fingerprint>.json``:
the fingerprint is a hash of the model's manifest and where its weights are, so a rebuilt or
other model never reads another's readings. The model itself is built only on the first
message the file does not have. ``--fresh-readings`` reads every message again (and rewrites
the file).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..affect.reading import EmotionReader, EmotionReading
from ..config import default_home

log = logging.getLogger("kindred.bench")
FORMAT = 1  # bump when EmotionReading's fields change


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def model_fingerprint(weights_dir: Path, name: str) -> str:
    """What tells one trained model from another: its manifest's bytes, where it lives, and its name
    (the name says whether the encoder part runs here)."""
    digest = hashlib.sha256(f"{FORMAT}\n{name}\n{weights_dir.resolve()}\n".encode())
    for manifest in sorted(weights_dir.glob("*.json")):
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


def default_cache_path(name: str, fingerprint: str) -> Path:
    return default_home() / "bench" / f"readings-{name}-{fingerprint}.json"


def _reading_from(row: dict[str, Any]) -> EmotionReading:
    return EmotionReading(tuple((label, float(p)) for label, p in row["labels"]), tuple(row["active"]),
                          float(row["valence"]), float(row["arousal"]), row["language"], float(row["confidence"]),
                          row["model"])


class CachedReader:
    """An :class:`EmotionReader` that answers from the file where it can and asks the model otherwise."""

    def __init__(self, name: str, path: Path, load_model: Callable[[], EmotionReader], *, fresh: bool = False) -> None:
        self.name = name
        self.path = path
        self._load_model = load_model
        self._model: EmotionReader | None = None
        self._readings: dict[str, EmotionReading] = {} if fresh else self._read_file()
        self.hits = 0
        self.misses = 0

    def _read_file(self) -> dict[str, EmotionReading]:
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            return {key: _reading_from(row) for key, row in rows.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # A damaged cache costs one slow run, never a wrong figure: start it afresh.
            log.warning("bench reading cache %s unreadable (%s); reading every message again", self.path, exc)
            return {}

    def read(self, text: str) -> EmotionReading:
        key = _key(text)
        found = self._readings.get(key)
        if found is not None:
            self.hits += 1
            return found
        if self._model is None:
            self._model = self._load_model()
        self.misses += 1
        reading = self._model.read(text)
        self._readings[key] = reading
        return reading

    def save(self) -> None:
        """Write the file if this run read anything new (atomically: a run cut short leaves the old file)."""
        if not self.misses:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        part = self.path.with_suffix(f".{os.getpid()}.part")
        part.write_text(json.dumps({key: asdict(r) for key, r in self._readings.items()}), encoding="utf-8")
        part.replace(self.path)


def cached_emotion_model(weights_dir: str | Path | None = None, *, fresh: bool = False) -> CachedReader:
    """The text emotion model behind a reading cache; the model is loaded only on a message not yet read."""
    from ..perception.emotion.model import WEIGHTS_DIR, TextEmotionModel, load_emotion_model

    model_dir = Path(weights_dir) if weights_dir else WEIGHTS_DIR
    name = TextEmotionModel(model_dir).name  # reads the manifest only; languages load on first use
    fingerprint = model_fingerprint(model_dir, name)
    return CachedReader(name, default_cache_path(name, fingerprint),
                        lambda: load_emotion_model(Path(weights_dir) if weights_dir else None), fresh=fresh)


__all__ = ["CachedReader", "cached_emotion_model", "default_cache_path", "model_fingerprint"]
