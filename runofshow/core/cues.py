"""Cues for the stage manager: which cue is in standby, how long until GO, and when to fire.

A segment may carry a ``Cue`` (the video: "play 소상공인 피해 회복 지원 영상") with a standby lead
time. The stage manager must hear about it *before* it is due, so the cue goes to STANDBY when
the segment before it has ``standby_s`` left on its countdown, counts down to GO, and stays at
GO (the previous speaker is over time, the video has not started) until the stage manager
acknowledges it or the cued segment is running. Before the show starts, the first segment's cue
counts down to its projected start instead.

Everything here is a function of one ``Now`` reading, like the rest of the core: there is no
tick, so a late repaint cannot miss a GO. ``CueWatch`` only remembers what cannot be read from
the engine: which segment's command has already fired (an acknowledged GO is in the journal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from runofshow.core.agenda import Cue, Kind
from runofshow.core.engine import Now, ShowEngine, Status


class CueState(StrEnum):
    STANDBY = "standby"  # counting down to GO
    GO = "go"  # due now: fire it


@dataclass(frozen=True, slots=True)
class CueStatus:
    """The cue the stage manager must watch now."""

    index: int  # the segment that carries the cue
    cue: Cue
    kind: Kind  # the cued segment's kind ("VIDEO" in the banner)
    state: CueState
    until_go_s: float  # seconds until GO; 0 at GO


@dataclass(frozen=True, slots=True)
class CueFire:
    """A cued segment just started running: its command (if any) should run now."""

    index: int
    cue: Cue


def _target(engine: ShowEngine, now: Now) -> tuple[int, float] | None:
    """The segment whose cue is next due, and the seconds until it is due.

    While a segment runs (or is paused), the next one is due when the current countdown ends
    (its limit, else its slot: what the speaker sees). Before the show starts, the first
    segment is due at its projected start.
    """
    if now.status in (Status.RUNNING, Status.PAUSED):
        if now.next_index is None:
            return None
        return now.next_index, now.remaining_s
    if now.status is Status.READY and engine.agenda.segments[now.index].cue is not None:
        start = engine.projection().segment(now.index).projected_start
        return now.index, start - now.wall
    return None


def cue_status(engine: ShowEngine, now: Now | None = None) -> CueStatus | None:
    """The cue in standby or at GO at the instant ``now`` was read (default: this instant),
    ignoring acknowledgements."""
    now = engine.now() if now is None else now
    target = _target(engine, now)
    if target is None:
        return None
    index, until = target
    segment = engine.agenda.segments[index]
    cue = segment.cue
    if cue is None or until > cue.standby_s:
        return None
    state = CueState.STANDBY if until > 0 else CueState.GO
    return CueStatus(index, cue, segment.kind, state, max(0.0, until))


def seconds_until_change(engine: ShowEngine, now: Now | None = None) -> float | None:
    """Show seconds until the cue banner would change by time alone: standby starting, its
    countdown flipping, or GO arriving. ``None`` when nothing is due."""
    now = engine.now() if now is None else now
    target = _target(engine, now)
    if target is None or now.status is Status.PAUSED:
        return None
    index, until = target
    cue = engine.agenda.segments[index].cue
    if cue is None or until <= 0:
        return None
    if until > cue.standby_s:
        return until - cue.standby_s
    frac = until - math.floor(until)
    return frac if frac > 1e-9 else 1.0


def _live_index(now: Now) -> int | None:
    """The segment that is on stage (running or paused), if any."""
    return now.index if now.status in (Status.RUNNING, Status.PAUSED) else None


class CueWatch:
    """Cue status as the stage manager sees it, and the moment each cue fires.

    An acknowledged GO is gone from the status: the acknowledgement is a show action (the
    journal's ``acknowledge``), so a restart or a second machine hides it too. Built with the
    engine's present ``Now`` so that a restart in the middle of the video (the show resumed
    from its journal) does not fire its command a second time.
    """

    def __init__(self, now: Now | None = None) -> None:
        self._live: int | None = None if now is None else _live_index(now)

    def status(self, engine: ShowEngine, now: Now | None = None) -> CueStatus | None:
        """The cue to show: as ``cue_status``, except that an acknowledged GO is gone."""
        now = engine.now() if now is None else now
        status = cue_status(engine, now)
        if status is not None and status.state is CueState.GO:
            return None if now.acknowledged == status.index else status
        return status

    def fired(self, engine: ShowEngine, now: Now | None = None) -> CueFire | None:
        """The cue whose segment came on stage since the last call, if it carries one.

        Pausing and resuming the same segment does not fire it again; leaving it and coming
        back (previous, then next) does, as the segment starts again.
        """
        live = _live_index(engine.now() if now is None else now)
        came_on = live is not None and live != self._live
        self._live = live
        if not came_on:
            return None
        assert live is not None
        cue = engine.agenda.segments[live].cue
        return None if cue is None else CueFire(live, cue)
