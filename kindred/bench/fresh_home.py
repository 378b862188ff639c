"""A fresh KINDRED_HOME for a benchmark that talks: the person's models, none of their data."""
from __future__ import annotations

from pathlib import Path

from ..config import Settings, load_settings


def fresh_settings(model: str, home: Path, **overrides: object) -> Settings:
    """The person's models, but a fresh home for the conversation: the bench's turns must neither
    land in their memories nor meet memories of earlier runs (longer notes, slower first tokens)."""
    mine = load_settings(None, llm=model, **overrides)  # env positionally: no override can be taken for it
    mine.models_dir.mkdir(parents=True, exist_ok=True)
    (home / "models").symlink_to(mine.models_dir, target_is_directory=True)
    return mine.with_overrides(home=home, database_url="")
