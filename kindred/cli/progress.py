"""A small progress bar on stderr, for long work such as assembling a model."""
from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, label: str, width: int = 30, stream=sys.stderr) -> None:
        self.label = label
        self.width = width
        self.stream = stream
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r{self.label} {bar} {fraction:6.1%} ({done / 1e6:,.0f}/{total / 1e6:,.0f} MB)")
        self._shown = True
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
