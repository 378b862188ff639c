"""GoEmotions on disk: ``<data>/goemotions/{en,ko}/{train,dev,test}.tsv`` and ``labels.txt``.

Each TSV line is ``text<TAB>comma-separated label ids[<TAB>id]``. The data lives outside the
package, in ``../shared/data`` next to the project checkout, or wherever ``KINDRED_DATA_DIR`` points.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import KindredError
from .taxonomy import LABELS

LANGUAGES = ("en", "ko")
SPLITS = ("train", "dev", "test")


def project_root() -> Path:
    return Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    env = os.environ.get("KINDRED_DATA_DIR")
    return Path(env).expanduser() if env else project_root().parent / "shared" / "data"


def goemotions_dir() -> Path:
    return data_dir() / "goemotions"


@dataclass(frozen=True)
class Split:
    language: str
    name: str
    texts: list[str]
    labels: np.ndarray  # (n, 28) uint8, multi-hot

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, count: int, seed: int = 0) -> Split:
        if count >= len(self.texts):
            return self
        rows = np.sort(np.random.default_rng(seed).choice(len(self.texts), size=count, replace=False))
        return Split(self.language, self.name, [self.texts[i] for i in rows], self.labels[rows])


def split_path(language: str, split: str) -> Path:
    return goemotions_dir() / language / f"{split}.tsv"


def _missing(path: Path) -> KindredError:
    return KindredError(
        f"The GoEmotions data file {path} is not there.",
        "Put the data under ../shared/data/goemotions next to the project, "
        "or point KINDRED_DATA_DIR at the folder that holds goemotions/.",
        code="data-missing",
    )


def check_labels() -> None:
    path = goemotions_dir() / "labels.txt"
    if not path.is_file():
        raise _missing(path)
    names = tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    if names != LABELS:
        raise KindredError(f"{path} lists labels that differ from the GoEmotions taxonomy.",
                           "Use the original 28-label GoEmotions files.", code="data-invalid")


def load_split(language: str, split: str) -> Split:
    path = split_path(language, split)
    if not path.is_file():
        raise _missing(path)
    texts: list[str] = []
    rows: list[list[int]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                raise KindredError(f"{path}:{number} has no label column.", "Check the file is intact.",
                                   code="data-invalid")
            texts.append(parts[0])
            rows.append([int(x) for x in parts[1].split(",") if x.strip()])
    labels = np.zeros((len(texts), len(LABELS)), dtype=np.uint8)
    for i, ids in enumerate(rows):
        labels[i, ids] = 1
    return Split(language, split, texts, labels)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_hashes(languages: tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """SHA-256 of every data file a model is trained and tuned on, keyed by ``lang/split.tsv``."""
    out = {"labels.txt": sha256_file(goemotions_dir() / "labels.txt")}
    for language in languages:
        for split in SPLITS:
            path = split_path(language, split)
            if not path.is_file():
                raise _missing(path)
            out[f"{language}/{split}.tsv"] = sha256_file(path)
    return out
