"""The persona is a plain text file the user can edit: $KINDRED_HOME/persona.txt."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def default_persona() -> str:
    return resources.files("kindred.dialogue").joinpath("persona.txt").read_text(encoding="utf-8")


def load_persona(path: Path) -> str:
    """Read the user's persona file, creating it from the default the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(default_persona(), encoding="utf-8")
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return text or default_persona().strip()
