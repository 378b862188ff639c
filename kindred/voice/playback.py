"""Players: where reply audio goes. A real-time simulated speaker for tests and benchmarks, a file.

``PacedPlayer`` plays queued audio at real-time pace in 20 ms slices, the way a sound card
drains its buffer, so ``stop()`` takes effect within one slice and a barge-in test measures what
a listener would hear. ``pause()`` holds the sound at the next slice without dropping anything, and
``resume()`` goes on from there: turn-taking (voice/turntaking.py) falls silent the moment someone
starts speaking over her and only then decides whether it was a backchannel. ``sink`` receives each
slice as it is "heard" (the sounddevice player writes it to the speaker; tests keep it).
"""
from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

from .audio import Audio, concat, rms

SLICE_S = 0.02


class PacedPlayer:
    def __init__(self, sample_rate: int = 24_000, *, realtime: bool = True,
                 sink: Callable[[Audio], None] | None = None) -> None:
        self.sample_rate = sample_rate
        self.realtime = realtime
        self.sink = sink
        self.played: list[Audio] = []
        self.first_audio_at: float | None = None  # perf_counter when the first sample was played
        self.stopped_at: float | None = None
        self.paused_at: float | None = None  # perf_counter of the latest pause()
        self.resumed_at: float | None = None
        self._unpaused = asyncio.Event()
        self._unpaused.set()
        self._levels: deque[tuple[float, float]] = deque(maxlen=25)  # (played at, RMS) of recent slices
        self._queue: asyncio.Queue[Audio] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._busy = False

    @property
    def level(self) -> float:
        """The loudest RMS played in the last 300 ms: the echo a microphone may still be picking up
        (sound reaches the mic late and rings on in the room after playback pauses)."""
        horizon = time.perf_counter() - 0.3
        return max((level for at, level in self._levels if at >= horizon), default=0.0)

    @property
    def playing(self) -> bool:
        return self._busy or not self._queue.empty()

    @property
    def paused(self) -> bool:
        return not self._unpaused.is_set()

    async def pause(self) -> None:
        """Fall silent after the slice being heard (≤ 20 ms); what is queued stays queued."""
        if not self.paused:
            self.paused_at = time.perf_counter()
            self._unpaused.clear()

    async def resume(self) -> None:
        if self.paused:
            self.resumed_at = time.perf_counter()
            self._unpaused.set()

    async def play(self, audio: Audio) -> None:
        if not audio.pcm:
            return
        self._queue.put_nowait(audio.resampled(self.sample_rate))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        step = int(SLICE_S * self.sample_rate) * 2
        while not self._queue.empty():
            audio = self._queue.get_nowait()
            self._busy = True
            started = time.perf_counter()
            for index, offset in enumerate(range(0, len(audio.pcm), step)):
                if self.paused:
                    await self._unpaused.wait()
                    started = time.perf_counter() - index * SLICE_S  # go on at pace, without catching up
                piece = Audio(audio.pcm[offset:offset + step], self.sample_rate)
                if self.first_audio_at is None:
                    self.first_audio_at = time.perf_counter()
                self._levels.append((time.perf_counter(), rms(piece)))
                self.played.append(piece)
                if self.sink:
                    self.sink(piece)
                if self.realtime:  # sleep until this slice has been heard, without drifting
                    await asyncio.sleep(max(0.0, started + (index + 1) * SLICE_S - time.perf_counter()))
            self._busy = False

    async def stop(self) -> None:
        self.stopped_at = time.perf_counter()
        while not self._queue.empty():
            self._queue.get_nowait()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._busy = False
        self._levels.clear()
        self._unpaused.set()  # a stopped reply leaves no pause behind for the next one

    async def drain(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.wait([self._task])

    def audio(self) -> Audio:
        return concat(self.played, self.sample_rate)
