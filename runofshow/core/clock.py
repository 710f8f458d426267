"""Clocks: where every time the show knows comes from.

The engine never counts ticks. It asks a clock for two readings whenever it needs a value:

- ``monotonic()`` — seconds on a clock that never jumps and keeps counting while a laptop
  sleeps (``CLOCK_BOOTTIME`` on Linux). Every interval (elapsed, remaining, overtime) is a
  difference of two such readings, so a late, skipped or doubled repaint cannot shift the show,
  and neither can NTP or a user changing the system time.
- ``wall()`` — seconds since the epoch, used only as the anchor for time of day (the planned
  15:00 and the projected 16:02).

``boot_id`` tells whether two monotonic readings are comparable (same boot), which the journal
needs to measure the gap across a crash exactly. ``speed`` is 1 except on a rehearsal clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    """What the engine needs from a clock (read-only: nothing outside a clock sets them)."""

    @property
    def boot_id(self) -> str: ...

    @property
    def speed(self) -> float: ...

    def monotonic(self) -> float: ...

    def wall(self) -> float: ...


def _read_boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        # No such file off Linux: a process-lifetime id makes every restart look like a
        # reboot, so the journal falls back to the wall clock, which is the safe direction.
        return f"process-{os.urandom(16).hex()}"  # not uuid: it imports platform (~2 ms)


def _boottime_reader() -> Callable[[], float]:
    """CLOCK_BOOTTIME where the platform has it (it counts suspend), else time.monotonic."""
    clock_id = getattr(time, "CLOCK_BOOTTIME", None)
    if clock_id is not None:
        try:
            time.clock_gettime(clock_id)
        except OSError:
            clock_id = None
    if clock_id is None:
        return time.monotonic
    boot: int = clock_id
    return lambda: time.clock_gettime(boot)


class SystemClock:
    """The real machine's clocks."""

    speed = 1.0

    def __init__(self) -> None:
        self.boot_id = _read_boot_id()
        self._mono = _boottime_reader()

    def monotonic(self) -> float:
        return self._mono()

    def wall(self) -> float:
        return time.time()


@dataclass(frozen=True, slots=True)
class FrozenClock:
    """A clock standing still at one instant: what the post-show report reads a show at.

    Not a test double: production code that needs "the show as of this instant" uses this,
    so nothing outside the tests can move time by hand.
    """

    wall_s: float
    mono_s: float
    boot_id: str
    speed: float = 1.0

    def monotonic(self) -> float:
        return self.mono_s

    def wall(self) -> float:
        return self.wall_s


class FakeClock:
    """A clock the tests drive by hand: a whole show passes in milliseconds.

    ``advance`` moves both clocks together (time passing); ``jump_wall`` moves only the wall
    clock (NTP or a user changing the time); ``suspend`` is a laptop asleep: boot time and wall
    time both move, as CLOCK_BOOTTIME does.
    """

    speed = 1.0

    def __init__(self, wall: float = 0.0, mono: float = 1000.0, boot_id: str = "fake-boot") -> None:
        self._wall = float(wall)
        self._mono = float(mono)
        self.boot_id = boot_id

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not run backwards; use jump_wall for a wall-clock jump")
        self._mono += seconds
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        self._wall += seconds

    def suspend(self, seconds: float) -> None:
        self.advance(seconds)

    def reboot(self, boot_id: str, mono: float = 5.0) -> None:
        """A new boot: the monotonic clock restarts, the wall clock carries on."""
        self.boot_id = boot_id
        self._mono = float(mono)


@dataclass(frozen=True, slots=True)
class RehearsalAnchor:
    """Where a rehearsal's simulated time was pinned to the real clocks; it is journaled so a
    rehearsal interrupted by a crash resumes on its own simulated clock."""

    real_mono: float
    real_wall: float
    boot_id: str
    sim_wall: float  # the simulated wall time at the anchor ("it is 15:09:30 now")
    speed: float


class RehearsalClock:
    """A show clock that starts at any time of day and runs at N times real speed.

    Both readings are derived from the real clock underneath, so a rehearsal at 60x is exactly
    as drift-free as a live show. The simulated monotonic reading starts at the simulated wall
    time, which keeps the two on one axis and makes the journal's times readable.
    """

    MIN_SPEED = 1.0
    MAX_SPEED = 60.0

    def __init__(self, real: Clock, anchor: RehearsalAnchor) -> None:
        if not self.MIN_SPEED <= anchor.speed <= self.MAX_SPEED:
            raise ValueError(f"rehearsal speed must be 1 to 60, not {anchor.speed:g}")
        self.real = real
        self.anchor = anchor
        self.speed = anchor.speed
        self.boot_id = f"rehearsal-{anchor.real_wall:.6f}"
        # Real seconds since the anchor when this process took over: exact on the same boot,
        # by the wall clock after a reboot (the monotonic clock restarted). From then on the
        # real monotonic clock alone measures, so a wall-clock jump cannot move a rehearsal.
        self._real_mono_start = real.monotonic()
        if real.boot_id == anchor.boot_id:
            self._real_offset = self._real_mono_start - anchor.real_mono
        else:
            self._real_offset = real.wall() - anchor.real_wall

    @classmethod
    def starting_at(cls, real: Clock, sim_wall: float, speed: float = 1.0) -> RehearsalClock:
        anchor = RehearsalAnchor(real.monotonic(), real.wall(), real.boot_id, sim_wall, speed)
        return cls(real, anchor)

    def _sim_elapsed(self) -> float:
        real = self._real_offset + (self.real.monotonic() - self._real_mono_start)
        return real * self.speed

    def monotonic(self) -> float:
        return self.anchor.sim_wall + self._sim_elapsed()

    def wall(self) -> float:
        return self.anchor.sim_wall + self._sim_elapsed()
