"""Keep the prompt's own section marker out of the reply stream.

Small models sometimes echo a label they read in the prompt (the embedded 1.5B model ended a
Korean reply with "[context]"). The marker is dropped as tokens stream by; text that only
might be the start of one ("[con") is held back until the next token decides.
"""
from __future__ import annotations

MARKER = "[context]"


class MarkerFilter:
    def __init__(self, marker: str = MARKER) -> None:
        self.marker = marker
        self._held = ""

    def feed(self, piece: str) -> str:
        """The text that is safe to show now."""
        text = self._drop_markers(self._held + piece)
        keep = self._possible_start(text)
        self._held = text[len(text) - keep:] if keep else ""
        return text[:len(text) - keep] if keep else text

    def flush(self) -> str:
        """What was held back at the end of the reply: not a marker after all."""
        text, self._held = self._held, ""
        return text

    def _drop_markers(self, text: str) -> str:
        lowered = text.lower()
        while (at := lowered.find(self.marker)) >= 0:
            text = text[:at] + text[at + len(self.marker):]
            lowered = lowered[:at] + lowered[at + len(self.marker):]
        return text

    def _possible_start(self, text: str) -> int:
        """Length of the longest tail of ``text`` that begins the marker."""
        lowered = text.lower()
        for size in range(min(len(self.marker) - 1, len(text)), 0, -1):
            if self.marker.startswith(lowered[-size:]):
                return size
        return 0
