"""Where the time from end of speech to the first sound goes, stage by stage.

Each spoken turn leaves timestamps (perf_counter): the last voiced frame, the endpoint decision,
the transcript in hand, and the voice pipeline's marks (prompt ready, first token, first phrase,
first phrase synthesized). Consecutive differences are the stages; whatever is left (queue hand-offs,
the player's first slice) is ``other``, so the stages of one turn always add up to its latency.
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

# (name, label in the table, start mark, end mark)
STAGES = (
    ("endpoint_wait", "endpoint wait", "speech_end", "endpoint"),
    ("stt_tail", "STT tail", "endpoint", "transcript"),
    ("turn_prep", "turn prep", "transcript", "prompt_ready"),
    ("llm_first_token", "LLM 1st token", "prompt_ready", "first_token"),
    ("llm_first_phrase", "LLM rest of 1st phrase", "first_token", "first_phrase"),
    ("tts_first_phrase", "TTS 1st phrase", "tts_started", "tts_done"),
)
OTHER = ("other", "other")


def turn_stages(marks: Mapping[str, float], first_audio_at: float | None) -> dict[str, float | None]:
    """Seconds per stage for one turn; None for a stage whose marks are missing (a fixed reply has no tokens)."""
    stages: dict[str, float | None] = {}
    for name, _, start, end in STAGES:
        stages[name] = marks[end] - marks[start] if start in marks and end in marks else None
    total = first_audio_at - marks["speech_end"] if first_audio_at is not None and "speech_end" in marks else None
    known = [v for v in stages.values() if v is not None]
    stages[OTHER[0]] = total - sum(known) if total is not None else None
    stages["total"] = total
    return stages


def median_stages(turns: Sequence[Mapping[str, float | None]]) -> dict[str, float | None]:
    """The median of each stage over turns (medians of parts need not add up to the median total)."""
    names = [name for name, *_ in STAGES] + [OTHER[0], "total"]
    out: dict[str, float | None] = {}
    for name in names:
        values = [t[name] for t in turns if t.get(name) is not None]
        out[name] = statistics.median(values) if values else None  # type: ignore[type-var]
    return out


def breakdown_columns() -> list[str]:
    return ["language", "pipeline", *(label for _, label, *_ in STAGES), OTHER[1], "total"]


def breakdown_row(language: str, pipeline: str, medians: Mapping[str, float | None]) -> list[object]:
    return [language, pipeline, *(medians[name] for name, *_ in STAGES), medians[OTHER[0]], medians["total"]]
