"""espeak-ng: the last-resort voice. Robotic, but instant, tiny, and it reads any language.

It uses the libespeak-ng that ships inside espeakng-loader (a dependency of kokoro-onnx), so
no system package is needed; the Debian ``espeak-ng`` library is used when that is absent.
Prosody maps directly onto espeak's own rate, pitch and volume parameters.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading

from ..errors import MissingExtraError
from .audio import Audio
from .prosody import Prosody

_SYNCHRONOUS, _UTF8 = 2, 1
_RATE, _VOLUME, _PITCH = 1, 2, 3
VOICES = {"en": "en-us", "ko": "ko"}
_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


def _library() -> tuple[ctypes.CDLL, bytes | None]:
    try:
        import espeakng_loader
    except ImportError:
        found = ctypes.util.find_library("espeak-ng")
        if not found:
            raise MissingExtraError("voice", "espeakng-loader", "The espeak-ng voice") from None
        return ctypes.CDLL(found), None
    return ctypes.CDLL(espeakng_loader.get_library_path()), espeakng_loader.get_data_path().encode()


class EspeakTextToSpeech:
    name = "espeak-ng"
    languages = ("en", "ko")
    _guard = threading.Lock()  # libespeak-ng keeps global state: one synthesis per process at a time

    def __init__(self) -> None:
        self._lib, data = _library()
        self.rate = self._lib.espeak_Initialize(_SYNCHRONOUS, 0, data, 0)
        if self.rate <= 0:
            raise MissingExtraError("voice", "espeakng-loader", "The espeak-ng voice")
        self._buffer = bytearray()
        self._callback = _Callback(self._collect)  # kept on self: ctypes must not free it
        self._lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, count, _events) -> int:
        if count > 0:
            self._buffer.extend(ctypes.string_at(wav, count * 2))
        return 0

    def synthesize(self, text: str, language: str, prosody: Prosody) -> Audio:
        encoded = text.encode("utf-8") + b"\0"
        with self._guard:
            self._buffer.clear()
            self._lib.espeak_SetVoiceByName(VOICES.get(language, "en-us").encode())
            self._lib.espeak_SetParameter(_RATE, int(165 * prosody.rate), 0)
            self._lib.espeak_SetParameter(_PITCH, int(max(0, min(99, 50 + 6 * prosody.pitch_semitones))), 0)
            self._lib.espeak_SetParameter(_VOLUME, int(100 * prosody.energy), 0)
            self._lib.espeak_Synth(encoded, len(encoded), 0, 0, 0, _UTF8, None, None)
            self._lib.espeak_Synchronize()
            pcm = bytes(self._buffer)
        return Audio(pcm, self.rate)
