"""Microphone and speaker through PortAudio (sounddevice), with a clear error when there are none."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from ..errors import KindredError, MissingExtraError
from .audio import STT_RATE, Audio
from .playback import PacedPlayer
from .vad import FRAME_BYTES


class NoAudioDeviceError(KindredError):
    code = "audio-device-missing"
    exit_code = 4


def _sounddevice():
    try:
        import sounddevice
    except ImportError as exc:
        raise MissingExtraError("voice", "sounddevice", "Talking through the microphone") from exc
    except OSError as exc:  # the Python package is there, the PortAudio library is not
        raise NoAudioDeviceError(f"PortAudio could not be loaded: {exc}.",
                                 "Install it (Debian/Ubuntu: apt-get install libportaudio2), or use "
                                 "`kindred talk --input in.wav --output out.wav`.") from exc
    return sounddevice


def check_devices() -> None:
    sd = _sounddevice()
    try:
        sd.check_input_settings(samplerate=STT_RATE, channels=1, dtype="int16")
        sd.check_output_settings(samplerate=24_000, channels=1, dtype="int16")
    except Exception as exc:  # sounddevice raises PortAudioError or ValueError for "no device"
        raise NoAudioDeviceError(f"No usable microphone and speaker were found ({exc}).",
                                 "Connect one, or talk through files: "
                                 "`kindred talk --input in.wav --output out.wav`.") from exc


async def microphone_frames() -> AsyncIterator[bytes]:
    """30 ms frames of 16 kHz mono PCM from the default microphone, until cancelled."""
    sd = _sounddevice()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes] = asyncio.Queue()

    def callback(data, _frames, _time, _status) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, bytes(data))

    with sd.RawInputStream(samplerate=STT_RATE, channels=1, dtype="int16", blocksize=FRAME_BYTES // 2,
                           callback=callback):
        while True:
            yield await queue.get()


class SpeakerPlayer(PacedPlayer):
    """The paced player, with each 20 ms slice written to the default speaker."""

    def __init__(self, sample_rate: int = 24_000) -> None:
        sd = _sounddevice()
        self._stream = sd.RawOutputStream(samplerate=sample_rate, channels=1, dtype="int16", latency="low")
        self._stream.start()
        super().__init__(sample_rate, realtime=True, sink=self._write)

    def _write(self, piece: Audio) -> None:
        self._stream.write(piece.pcm)

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()
