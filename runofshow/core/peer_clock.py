"""A follower's clock: its own monotonic clock mapped onto its primary's by a measured offset.

Two laptops' clocks disagree by whatever they happened to read at boot, and run at rates a few
parts per million apart. A follower must flip its countdown within milliseconds of the
primary's, so it never trusts its own reading of "now" alone: it asks the primary for its clock
in a round trip (``{"kind": "time"}``, every half second) and keeps the offset of the exchange
with the shortest round trip among the last few (``OffsetEstimator``): a reply that sat in a
queue on the way back can only make a round trip longer, so the shortest one says the most.
The primary's reading ``S`` was taken somewhere between sending (``t0``) and receiving
(``t1``); taking it at the midpoint makes the error at most half the round trip.

``PeerClock`` is the clock a follower's engine runs on: its monotonic reading is the local one
plus the offset, its ``boot_id`` the primary's, so the primary's journaled actions (on the
primary's clock, with its boot id) are on this clock's axis exactly as they are on the
primary's, and its wall reading is the primary's (its wall minus monotonic, as measured), so
times of day agree to the millisecond too. A rehearsal runs on a ``RehearsalClock`` over it,
as on the primary. When the primary is gone the offset stops changing (``freeze``): the show
keeps counting on the last measurement, and a follower that takes over goes on journaling on
the same axis, so nothing jumps at a takeover.

The reading never goes back: a new best measurement that is a fraction of a millisecond lower
than the one before is taken up without the clock stepping backwards.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from runofshow.core.clock import Clock

__all__ = ["MAX_CLOCK_S", "SAMPLES_KEPT", "OffsetEstimator", "PeerClock", "Sample"]

SAMPLES_KEPT = 8  # the best of the last eight exchanges (four seconds at two a second)
# The largest reading a clock of another machine may give, in seconds (its monotonic clock,
# its wall clock): the year 3000. A larger one cannot be a clock, and a date cannot be made of
# it (Python's dates end with the year 9999): a countdown on it could not be drawn.
MAX_CLOCK_S = 32503680000.0


@dataclass(frozen=True, slots=True)
class Sample:
    """One round trip: sent at local ``sent``, the primary's clock read ``server`` (and its
    wall clock ``server_wall``), the answer received at local ``received``."""

    sent: float
    server: float
    received: float
    server_wall: float | None = None

    @property
    def rtt(self) -> float:
        return self.received - self.sent

    @property
    def offset(self) -> float:
        """The primary's clock minus ours, taking its reading at our midpoint."""
        return self.server - (self.sent + self.received) / 2


class OffsetEstimator:
    """The best of the last ``kept`` clock exchanges, by round trip."""

    def __init__(self, kept: int = SAMPLES_KEPT) -> None:
        self._samples: deque[Sample] = deque(maxlen=kept)
        self._wall_minus_mono: float | None = None

    def add(self, sample: Sample) -> bool:
        """Take one exchange; False (and ignored) if it cannot be one: a negative round
        trip, or readings that are not finite or past what a clock reads (``MAX_CLOCK_S``)."""
        values = (sample.sent, sample.server, sample.received)
        if not all(_readable(v) for v in values) or sample.rtt < 0:
            return False
        if sample.server_wall is not None and not _readable(sample.server_wall):
            return False
        self._samples.append(sample)
        if sample.server_wall is not None:
            self._wall_minus_mono = sample.server_wall - sample.server
        return True

    @property
    def ready(self) -> bool:
        return bool(self._samples)

    def best(self) -> Sample | None:
        return min(self._samples, key=lambda s: s.rtt, default=None)

    @property
    def offset(self) -> float | None:
        best = self.best()
        return None if best is None else best.offset

    @property
    def rtt(self) -> float | None:
        best = self.best()
        return None if best is None else best.rtt

    @property
    def wall_minus_mono(self) -> float | None:
        """The primary's wall clock minus its monotonic clock, as last reported."""
        return self._wall_minus_mono


def _readable(value: float) -> bool:
    return math.isfinite(value) and abs(value) <= MAX_CLOCK_S


class PeerClock:
    """The primary's real clock as seen from here: ``local`` plus the measured offset.

    ``update`` takes a new offset (and the primary's wall minus monotonic); ``freeze`` keeps
    the last one for good (the primary is gone, or this machine took over)."""

    speed = 1.0

    def __init__(self, local: Clock, boot_id: str, offset: float, wall_minus_mono: float) -> None:
        self.local = local
        self.boot_id = boot_id
        self._offset = offset
        self._wall_minus_mono = wall_minus_mono
        self._last = -math.inf
        self.frozen = False

    def update(self, offset: float, wall_minus_mono: float | None = None) -> None:
        if self.frozen:
            return
        self._offset = offset
        if wall_minus_mono is not None:
            self._wall_minus_mono = wall_minus_mono

    def freeze(self) -> None:
        self.frozen = True

    @property
    def offset(self) -> float:
        return self._offset

    def monotonic(self) -> float:
        reading = max(self._last, self.local.monotonic() + self._offset)
        self._last = reading
        return reading

    def wall(self) -> float:
        return self.monotonic() + self._wall_minus_mono
