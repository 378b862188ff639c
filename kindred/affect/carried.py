"""What feelings carry from one turn to the next, as plain JSON for the database.

A conversation's smoothed mood, its recent readings and words (the trajectory the strategy
reads), and the companion's own mood towards each person used to live in the process that
served the last turn. With several replicas the next turn may land anywhere, so they are
stored per session and per user, and a replica loads them at the start of each turn.

Each row carries ``version``. Reading is strict here and forgiving one level up
(``restore.py``): anything that is not exactly what this version writes raises a coded
StoredStateError, and the turn sets the row aside and starts afresh instead of failing.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..errors import StoredStateError
from .fusion import Contribution, Disagreement, FusedReading
from .presence import Presence
from .state import AffectState

SESSION_SCOPE = "session:"
PRESENCE_SCOPE = "presence"
# The layout written below. Rows from before the field existed have this same layout, so a row
# without one is read as version 1; a higher number was written by a newer Kindred.
VERSION = 1
T = TypeVar("T")


@dataclass
class SessionFeelings:
    affect: AffectState | None = None  # None until the first reading of feelings
    trajectory: list[FusedReading] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # The strategies she chose in answer to each of those messages, lead first (oldest first): the
    # chooser reads what she did last turn. Rows from before this field have none: read as [].
    strategies: list[tuple[str, ...]] = field(default_factory=list)


def session_scope(session_id: str) -> str:
    return SESSION_SCOPE + session_id


def affect_to_dict(state: AffectState) -> dict[str, Any]:
    return {"decay": state.decay, "prior_mass": state.prior_mass, "valence": state._valence,
            "arousal": state._arousal, "mass": state._mass, "labels": state._labels, "turns": state._turns}


def affect_from_dict(data: dict[str, Any]) -> AffectState:
    state = AffectState(decay=_number(data["decay"]), prior_mass=_number(data["prior_mass"]))
    state._valence, state._arousal = _number(data["valence"]), _number(data["arousal"])
    state._mass, state._turns = _number(data["mass"]), int(_number(data["turns"]))
    state._labels = {str(k): _number(v) for k, v in data["labels"].items()}
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
        labels=_pairs(data["labels"]), valence=_number(data["valence"]), arousal=_number(data["arousal"]),
        confidence=_number(data["confidence"]),
        contributions=tuple(Contribution(m, _number(w), None if v is None else _number(v), _number(a), _number(c), t)
                            for m, w, v, a, c, t in data["contributions"]),
        disagreements=tuple(Disagreement(k, tuple(ms), d) for k, ms, d in data["disagreements"]),
        text_labels=_pairs(data["text_labels"]), text_active=tuple(data["text_active"]),
        language=data["language"],
    )


def session_to_dict(feelings: SessionFeelings) -> dict[str, Any]:
    return {"version": VERSION, "affect": affect_to_dict(feelings.affect) if feelings.affect else None,
            "trajectory": [reading_to_dict(r) for r in feelings.trajectory], "texts": list(feelings.texts),
            "strategies": [list(chosen) for chosen in feelings.strategies]}


def session_from_dict(data: dict[str, Any] | None) -> SessionFeelings:
    """A conversation's carried feelings; None or {} is a conversation with none yet. Damage: StoredStateError."""
    return _read(data, SessionFeelings, lambda d: SessionFeelings(
        affect=affect_from_dict(d["affect"]) if d.get("affect") else None,
        trajectory=[reading_from_dict(r) for r in _list(d.get("trajectory", []))],
        texts=[_text(t) for t in _list(d.get("texts", []))],
        strategies=[tuple(_text(s) for s in _list(chosen)) for chosen in _list(d.get("strategies", []))]))


def presence_to_dict(presence: Presence) -> dict[str, Any]:
    return {"version": VERSION, "brightness": presence.brightness, "energy": presence.energy,
            "updated_at": presence.updated_at}


def presence_from_dict(data: dict[str, Any] | None) -> Presence:
    """Her presence towards one person; None or {} is her temperament. Damage: StoredStateError."""
    return _read(data, Presence, lambda d: Presence(_number(d["brightness"]), _number(d["energy"]),
                                                    _text(d["updated_at"])))


def low_moment_to_dict(low: tuple[float, str] | None) -> dict[str, Any]:
    """The low point a conversation is in (memory/remember.py waits for the mood to lift); None: not low."""
    return {"version": VERSION, "valence": low[0], "label": low[1]} if low else {}


def low_moment_from_dict(data: dict[str, Any] | None) -> tuple[float, str] | None:
    return _read(data, lambda: None, lambda d: (_number(d["valence"]), _text(d["label"])))


def _read(data: object, empty: Callable[[], T], build: Callable[[dict[str, Any]], T]) -> T:
    if data is None or data == {}:
        return empty()
    if not isinstance(data, dict):
        raise StoredStateError(f"Stored feelings are a JSON {type(data).__name__}, not an object.",
                               _SET_ASIDE, code="carried-shape-invalid")
    version = data.get("version", VERSION)
    if version != VERSION or isinstance(version, bool):
        raise StoredStateError(f"Stored feelings have version {version!r}; this Kindred reads version {VERSION}.",
                               "A newer Kindred wrote them: upgrade this one to keep them. " + _SET_ASIDE,
                               code="carried-version-unknown")
    try:
        return build(data)
    except KeyError as exc:
        raise _damaged(f"the key {exc.args[0]!r} is missing") from exc
    except (TypeError, ValueError, AttributeError, IndexError) as exc:
        raise _damaged(f"a value has the wrong type or shape ({exc})") from exc


def _damaged(problem: str) -> StoredStateError:
    return StoredStateError(f"Stored feelings cannot be read: {problem}.", _SET_ASIDE, code="carried-shape-invalid")


_SET_ASIDE = ("Nothing to do to keep talking: the row is set aside (its scope renamed set-aside:…) and the mood "
              "starts afresh.")


def _number(value: object) -> float:
    """A number as this module writes it: a string, a bool or NaN where a number belongs means damage."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError(f"{value!r} is not a finite number")
    return float(value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise TypeError(f"{value!r} is not a list")
    return value


def _pairs(items: Sequence[Sequence[Any]]) -> tuple[tuple[str, float], ...]:
    return tuple((str(label), _number(p)) for label, p in _list(items))
