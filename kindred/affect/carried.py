"""What feelings carry from one turn to the next, as plain JSON for the database.

A conversation's smoothed mood, its recent readings and words (the trajectory the strategy
reads), and the companion's own mood towards each person used to live in the process that
served the last turn. With several replicas the next turn may land anywhere, so they are
stored per session and per user, and a replica loads them at the start of each turn.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .fusion import Contribution, Disagreement, FusedReading
from .presence import Presence
from .state import AffectState

SESSION_SCOPE = "session:"
PRESENCE_SCOPE = "presence"


@dataclass
class SessionFeelings:
    affect: AffectState | None = None  # None until the first reading of feelings
    trajectory: list[FusedReading] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def session_scope(session_id: str) -> str:
    return SESSION_SCOPE + session_id


def affect_to_dict(state: AffectState) -> dict[str, Any]:
    return {"decay": state.decay, "prior_mass": state.prior_mass, "valence": state._valence,
            "arousal": state._arousal, "mass": state._mass, "labels": state._labels, "turns": state._turns}


def affect_from_dict(data: dict[str, Any]) -> AffectState:
    state = AffectState(decay=float(data["decay"]), prior_mass=float(data["prior_mass"]))
    state._valence, state._arousal = float(data["valence"]), float(data["arousal"])
    state._mass, state._turns = float(data["mass"]), int(data["turns"])
    state._labels = {str(k): float(v) for k, v in data["labels"].items()}
    return state


def reading_to_dict(reading: FusedReading) -> dict[str, Any]:
    return {
        "labels": [list(x) for x in reading.labels], "valence": reading.valence, "arousal": reading.arousal,
        "confidence": reading.confidence,
        "contributions": [[c.modality, c.weight, c.valence, c.arousal, c.confidence, c.top]
                          for c in reading.contributions],
        "disagreements": [[d.kind, list(d.modalities), d.detail] for d in reading.disagreements],
        "text_labels": [list(x) for x in reading.text_labels], "text_active": list(reading.text_active),
        "language": reading.language,
    }


def reading_from_dict(data: dict[str, Any]) -> FusedReading:
    return FusedReading(
        labels=_pairs(data["labels"]), valence=float(data["valence"]), arousal=float(data["arousal"]),
        confidence=float(data["confidence"]),
        contributions=tuple(Contribution(m, float(w), None if v is None else float(v), float(a), float(c), t)
                            for m, w, v, a, c, t in data["contributions"]),
        disagreements=tuple(Disagreement(k, tuple(ms), d) for k, ms, d in data["disagreements"]),
        text_labels=_pairs(data["text_labels"]), text_active=tuple(data["text_active"]),
        language=data["language"],
    )


def session_to_dict(feelings: SessionFeelings) -> dict[str, Any]:
    return {"affect": affect_to_dict(feelings.affect) if feelings.affect else None,
            "trajectory": [reading_to_dict(r) for r in feelings.trajectory], "texts": list(feelings.texts)}


def session_from_dict(data: dict[str, Any] | None) -> SessionFeelings:
    if not data:
        return SessionFeelings()
    return SessionFeelings(affect=affect_from_dict(data["affect"]) if data.get("affect") else None,
                           trajectory=[reading_from_dict(r) for r in data.get("trajectory", [])],
                           texts=[str(t) for t in data.get("texts", [])])


def presence_to_dict(presence: Presence) -> dict[str, Any]:
    return {"brightness": presence.brightness, "energy": presence.energy, "updated_at": presence.updated_at}


def presence_from_dict(data: dict[str, Any] | None) -> Presence:
    if not data:
        return Presence()
    return Presence(float(data["brightness"]), float(data["energy"]), str(data["updated_at"]))


def _pairs(items: Sequence[Sequence[Any]]) -> tuple[tuple[str, float], ...]:
    return tuple((str(label), float(p)) for label, p in items)
