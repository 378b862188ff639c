"""How soon `kindred chat --once` answers: a new process each time, without and then with a saved prefix."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def _first_token_after_heard(model: str, home: Path, text: str) -> float | None:
    """Seconds from the turn's `heard` event to its first token, as the person waiting sees them."""
    env = {**os.environ, "KINDRED_HOME": str(home)}
    command = [sys.executable, "-m", "kindred", "chat", "--once", text, "--json", "--new-session", "--model", model]
    heard = first = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True) as proc:
        for line in proc.stdout:  # type: ignore[union-attr]
            event = json.loads(line).get("event")
            now = time.perf_counter()
            if event == "heard" and heard is None:
                heard = now
            elif event == "token" and first is None:
                first = now
        proc.wait()
    return round(first - heard, 3) if heard is not None and first is not None else None


def chat_once_first_tokens(model: str, home: Path, text: str) -> dict[str, float | None]:
    """``home`` must hold the models; its saved prefixes are cleared first so the cold run is cold."""
    for saved in (home / "cache" / "prefix").glob("*.state"):
        saved.unlink()
    cold = _first_token_after_heard(model, home, text)
    warm = _first_token_after_heard(model, home, text)
    return {"once_first_token_cold_s": cold, "once_first_token_saved_s": warm}
