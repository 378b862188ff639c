"""The structured event log (``--log-events FILE``): every event, one JSON line each, as ``serialize`` writes it.

Lines read back with ``event_from_dict``. Appended, never rewritten, so several server workers
can share one file (each line is one write to a file opened for appending).
Audio events are left out: their WAV would be most of the file, and ``audio_done`` marks them.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from ..errors import ConfigError
from .base import Event
from .voice import Audio
from .wire import serialize


class EventLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)  # the person's words
        except OSError as exc:
            raise ConfigError(f"Cannot write the event log {self.path}: {exc.strerror}.",
                              "Give --log-events a file in a folder you can write to.",
                              code="event-log-unwritable") from exc
        self._lock = threading.Lock()

    def write(self, event: Event) -> None:
        if isinstance(event, Audio):
            return
        line = (serialize(event) + "\n").encode("utf-8")
        with self._lock:
            os.write(self._fd, line)

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1
