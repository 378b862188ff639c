"""What one turn carries from the turns before it, loaded at its start and saved at its end.

A conversation's smoothed mood and recent readings (``session:<id>``) and her presence towards
the person (``presence``) used to sit in the ``Companion`` between a turn's load and its save,
keyed by conversation and shared by every socket of the process: two turns of one person at
once read and dropped each other's state, and the trajectory was lost. Now each turn holds its
own ``TurnContext``, and saving is optimistic: each row has a version, a turn saves only over
the version it loaded, and when another turn saved first it reloads that row and replays its
own changes on top (a reading added to the mood, a moment to the trajectory and to her
presence), so overlapping turns merge and none loses a reading.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import KindredError
from .carried import (
    PRESENCE_SCOPE,
    SessionFeelings,
    presence_from_dict,
    presence_to_dict,
    session_from_dict,
    session_scope,
    session_to_dict,
)
from .fusion import FusedReading
from .presence import Presence, after_turn
from .reading import EmotionReading
from .restore import load_versioned_or_set_aside
from .state import AffectSnapshot, AffectState

log = logging.getLogger("kindred.affect")
TRAJECTORY_LENGTH = 8  # the readings (and words) the strategy looks back on
SAVE_ATTEMPTS = 5  # each lost race means another turn saved: five in the time of one save is a stampede


@dataclass(frozen=True)
class Moment:
    """One message as the trajectory keeps it: the fused reading, the words, when (for her presence),
    and the strategies she chose in answer (what the next turn's chooser reads as her last move)."""

    fused: FusedReading
    text: str
    at: datetime
    strategies: tuple[str, ...] = ()


@dataclass
class TurnContext:
    user: str
    session_id: str
    feelings: SessionFeelings
    presence: Presence
    version: int = 0  # of the conversation's row when loaded (0: none yet)
    presence_version: int = 0
    # This turn's own changes, kept apart so that they can be replayed on a row another turn saved.
    _readings: list[EmotionReading] = field(default_factory=list)
    _moments: list[Moment] = field(default_factory=list)

    @property
    def affect(self) -> AffectState | None:
        return self.feelings.affect

    @property
    def trajectory(self) -> tuple[FusedReading, ...]:
        return tuple(self.feelings.trajectory)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(self.feelings.texts)

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        """What she chose for each earlier message in the trajectory, oldest first."""
        return tuple(self.feelings.strategies)

    @property
    def changed(self) -> bool:
        return bool(self._readings or self._moments)

    def feel(self, reading: EmotionReading) -> AffectSnapshot:
        """This message's reading into the conversation's smoothed mood."""
        self._readings.append(reading)
        return _add_reading(self.feelings, reading)

    def heard(self, fused: FusedReading, text: str, now: datetime, strategies: tuple[str, ...] = ()) -> Presence:
        """This message (and the strategies chosen for it) into the trajectory, and her presence moved
        by it; her presence after it."""
        moment = Moment(fused, text, now, strategies)
        self._moments.append(moment)
        _add_moment(self.feelings, moment)
        self.presence = after_turn(self.presence, fused, now)
        return self.presence

    async def save(self, store) -> int:
        """Store what this turn changed; the number of tries it took (0: nothing to save)."""
        if not self.changed:
            return 0
        tries = await self._save_session(store)
        if self._moments:
            tries = max(tries, await self._save_presence(store))
        return tries

    async def _save_session(self, store) -> int:
        scope = session_scope(self.session_id)
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            if await store.save_feelings_versioned(self.user, scope, session_to_dict(self.feelings),
                                                   version=self.version):
                self.version += 1  # what this save left it at
                return attempt
            # Another turn of this conversation saved first: start from what it saved and add ours again.
            self.feelings, self.version = await load_versioned_or_set_aside(
                store, self.user, scope, session_from_dict, SessionFeelings)
            for reading in self._readings:
                _add_reading(self.feelings, reading)
            for moment in self._moments:
                _add_moment(self.feelings, moment)
        raise _gave_up(scope)

    async def _save_presence(self, store) -> int:
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            if await store.save_feelings_versioned(self.user, PRESENCE_SCOPE, presence_to_dict(self.presence),
                                                   version=self.presence_version):
                self.presence_version += 1
                return attempt
            presence, self.presence_version = await load_versioned_or_set_aside(
                store, self.user, PRESENCE_SCOPE, presence_from_dict, Presence)
            for moment in self._moments:
                presence = after_turn(presence, moment.fused, moment.at)
            self.presence = presence
        raise _gave_up(PRESENCE_SCOPE)


def fresh_context(user: str, session_id: str) -> TurnContext:
    """A conversation with nothing carried yet, held in memory: a bench feeds one through many turns
    as the turn loop would load and save it, without a store in between."""
    return TurnContext(user, session_id, SessionFeelings(), Presence())


async def load_turn_context(store, user: str, session_id: str) -> TurnContext:
    """The feelings this turn starts from; a damaged row is set aside and starts afresh (restore.py)."""
    feelings, version = await load_versioned_or_set_aside(store, user, session_scope(session_id),
                                                          session_from_dict, SessionFeelings)
    presence, presence_version = await load_versioned_or_set_aside(store, user, PRESENCE_SCOPE,
                                                                   presence_from_dict, Presence)
    del feelings.trajectory[:-TRAJECTORY_LENGTH], feelings.texts[:-TRAJECTORY_LENGTH]
    del feelings.strategies[:-TRAJECTORY_LENGTH]
    return TurnContext(user, session_id, feelings, presence, version, presence_version)


def _add_reading(feelings: SessionFeelings, reading: EmotionReading) -> AffectSnapshot:
    if feelings.affect is None:
        feelings.affect = AffectState()
    return feelings.affect.update(reading)


def _add_moment(feelings: SessionFeelings, moment: Moment) -> None:
    feelings.trajectory.append(moment.fused)
    feelings.texts.append(moment.text)
    feelings.strategies.append(moment.strategies)
    del feelings.trajectory[:-TRAJECTORY_LENGTH], feelings.texts[:-TRAJECTORY_LENGTH]
    del feelings.strategies[:-TRAJECTORY_LENGTH]


def _gave_up(scope: str) -> KindredError:
    return KindredError(f"Could not store the feelings ({scope}): other turns kept saving first "
                        f"({SAVE_ATTEMPTS} tries).", "Nothing to do: the next turn starts from the newest row.",
                        code="carried-save-conflict")
