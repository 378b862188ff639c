"""LoCoMo as `kindred bench memory` reads it: conversations, sessions, lines and their evidence."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("KINDRED_DATA_DIR") or PROJECT_ROOT.parent / "shared" / "data")


@dataclass(frozen=True)
class Line:
    dia_id: str
    speaker: str
    text: str  # what was said, with a shared photo's caption


@dataclass(frozen=True)
class Conversation:
    sample_id: str
    speakers: tuple[str, str]
    sessions: tuple[tuple[datetime, tuple[Line, ...]], ...]
    qa: tuple[dict, ...]


def load_locomo(path: Path | None = None) -> list[Conversation]:
    path = path or data_dir() / "locomo" / "locomo10.json"
    found = []
    for sample in json.loads(Path(path).read_text(encoding="utf-8")):
        talk = sample["conversation"]
        sessions = []
        index = 1
        while f"session_{index}" in talk:
            when = datetime.strptime(talk[f"session_{index}_date_time"], "%I:%M %p on %d %B, %Y")
            lines = tuple(Line(t["dia_id"], t["speaker"], _line_text(t)) for t in talk[f"session_{index}"])
            sessions.append((when, lines))
            index += 1
        found.append(Conversation(sample["sample_id"], (talk["speaker_a"], talk["speaker_b"]),
                                  tuple(sessions), tuple(sample["qa"])))
    return found


def _line_text(turn: dict) -> str:
    caption = turn.get("blip_caption")
    return f"{turn['text']} [shares a photo: {caption}]" if caption else turn["text"]


# ---- recall on LoCoMo ---------------------------------------------------------------------------

EVIDENCE = re.compile(r"D\d+:\d+")
CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop", 5: "adversarial"}


def cache_dir() -> Path:
    from ..config import default_home

    return Path(os.environ.get("KINDRED_CACHE_DIR") or default_home() / "cache" / "embeddings")


def evidence_of(qa: dict) -> tuple[str, ...]:
    return tuple(dict.fromkeys(EVIDENCE.findall(" ".join(str(e) for e in qa.get("evidence", [])))))


def memory_text(line: Line) -> str:
    """A line with its speaker's name, as the QA baseline reads the transcript (memories keep no names)."""
    return f"{line.speaker}: {line.text}"
