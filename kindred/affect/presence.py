"""Her own presence: a steady, slowly changing mood of the companion's own.

Two numbers carry it: *brightness* (0 … 1, how light-hearted she feels) and *energy* (0 … 1,
how lively). Both rest at a baseline, her temperament, and return to it with a half-life, so a
heavy conversation leaves her quieter for a while and then she recovers. Each turn nudges them
a little towards what the conversation holds, weighted by how sure the reading is:

- sadness, fear: she grows gentler (less energy, a little less brightness), never gloomy;
- joy, amusement: brighter and livelier;
- anger or hostility: calmer only. Her brightness does not drop and nothing of it becomes
  irritation: she never mirrors hostility back.

Everything here is a pure function of the state, the reading and ``now`` (an injected clock),
and the state round-trips through a plain dict for storage per user.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from .fusion import FusedReading

BASE_BRIGHTNESS = 0.7
BASE_ENERGY = 0.55
HALF_LIFE_H = 3.0  # after a hard conversation she is mostly herself again by the next evening
STEP = 0.12  # how far one confident turn moves her towards its target
FLOOR_BRIGHTNESS = 0.35  # she can be moved, not dragged down
FLOOR_ENERGY = 0.2
MOODS = ("playful", "curious", "warm", "calm", "tender")

PRESENCE_TEXT = {
    "playful": "light and playful",
    "curious": "curious",
    "warm": "warm and settled",
    "calm": "calm and steady",
    "tender": "quiet and tender after heavy talk",
}


@dataclass(frozen=True)
class Presence:
    brightness: float = BASE_BRIGHTNESS
    energy: float = BASE_ENERGY
    updated_at: str = ""  # ISO-8601 UTC; "" before the first turn

    @property
    def mood(self) -> str:
        return mood_of(self.brightness, self.energy)

    # Stored and read back by affect/carried.py (presence_to_dict / presence_from_dict), one serializer.


def mood_of(brightness: float, energy: float) -> str:
    if brightness >= 0.6:
        return "playful" if energy >= 0.68 else "curious" if energy >= 0.48 else "warm"
    return "calm" if energy >= 0.42 else "tender"


def _clip(value: float, low: float = 0.0) -> float:
    return max(low, min(1.0, value))


def _when(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def recover(state: Presence, now: datetime) -> Presence:
    """Let time pass: both numbers drift back to the baseline with ``HALF_LIFE_H``."""
    since = _when(state.updated_at) if state.updated_at else None
    stamp = now.astimezone(UTC).isoformat(timespec="seconds")
    if since is None:
        return replace(state, updated_at=stamp)
    hours = max(0.0, (now - since).total_seconds() / 3600.0)
    keep = math.pow(0.5, hours / HALF_LIFE_H)
    return Presence(BASE_BRIGHTNESS + (state.brightness - BASE_BRIGHTNESS) * keep,
                    BASE_ENERGY + (state.energy - BASE_ENERGY) * keep, stamp)


def _target(reading: FusedReading) -> tuple[float | None, float]:
    """Where this turn pulls her (brightness or None to leave it, energy)."""
    groups = dict(reading.labels)
    heavy = groups.get("sadness", 0.0) + groups.get("fear", 0.0)
    heated = groups.get("anger", 0.0) + groups.get("disgust", 0.0)
    light = groups.get("joy", 0.0)
    if heated >= max(heavy, light) and heated > 0.2:
        return None, 0.3  # hostility: calmer, and nothing else changes
    if heavy >= light and heavy > 0.2:
        return 0.45, 0.3
    if light > 0.2:
        return 0.9, 0.8
    return BASE_BRIGHTNESS, BASE_ENERGY


def after_turn(state: Presence, reading: FusedReading, now: datetime) -> Presence:
    """Her presence after a turn at ``now`` that read as ``reading``."""
    state = recover(state, now)
    brightness_to, energy_to = _target(reading)
    step = STEP * max(0.0, min(1.0, reading.confidence))
    brightness = state.brightness if brightness_to is None else \
        state.brightness + (brightness_to - state.brightness) * step
    energy = state.energy + (energy_to - state.energy) * step
    return replace(state, brightness=_clip(brightness, FLOOR_BRIGHTNESS), energy=_clip(energy, FLOOR_ENERGY))


def presence_lines(state: Presence, tone: str = "") -> tuple[str, ...]:
    """A note for the prompt: her own mood, kept beneath the tone chosen for the person.
    (Never returning hostility is a fixed rule in the stable prefix, not a note read every turn.)"""
    line = f"Your own mood: {PRESENCE_TEXT[state.mood]}, beneath their feelings."
    if tone in {"comforting", "calm", "serious"} and state.mood == "playful":
        line += " Keep the playfulness for later."
    return (line,)


__all__ = ["MOODS", "Presence", "after_turn", "mood_of", "presence_lines", "recover"]
