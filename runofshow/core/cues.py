"""Cues for the stage manager: which cue is in standby, how long until it is due, and GO.

A segment may carry a ``Cue`` (the video: "play 소상공인 피해 회복 지원 영상") with a standby lead
time. The stage manager must hear about it *before* it is due, so the cue goes to STANDBY when
its segment is projected to start within ``standby_s``, counts down to that projected start,
and holds at 0:00 while the segment before it runs over (the vote is still going: nothing to
roll yet). GO means "roll it now": it shows when the cued segment starts (the MC moved on, or
the stage manager gave the GO, which starts it) and stays until the stage manager
acknowledges it (a journaled show action). Before the show starts, the first segment's cue
counts down to its projected start in the same way.

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
    STANDBY = "standby"  # counting down to the cued segment's projected start (0:00: due)
    GO = "go"  # the cued segment has started: roll it now


@dataclass(frozen=True, slots=True)
class CueStatus:
    """The cue the stage manager must watch now."""

    index: int  # the segment that carries the cue
    cue: Cue
    kind: Kind  # the cued segment's kind ("VIDEO" in the banner)
    state: CueState
    until_go_s: float  # STANDBY: seconds until its segment is projected to start (held at 0)


@dataclass(frozen=True, slots=True)
class CueFire:
    """A cued segment just started running: its command (if any) should run now."""

    index: int
    cue: Cue


def _live(now: Now) -> bool:
    return now.status in (Status.RUNNING, Status.PAUSED)


def standby_target(engine: ShowEngine, now: Now) -> tuple[int, float] | None:
    """The segment whose cue is coming, and the seconds until it is projected to start.

    While a segment runs (or is paused), that is the next one, at the projected end of this
    one (its slot, or now when it runs over). Before the show starts, or while a roll show
    waits between segments, it is the waiting segment, at its projected start (one projected
    row, read only in those states)."""
    if _live(now):
        if now.next_index is None or now.next_projected_start is None:
            return None
        return now.next_index, now.next_projected_start - now.wall
    waiting = now.status in (Status.READY, Status.WAITING)
    if waiting and engine.agenda.segments[now.index].cue is not None:
        start = engine.projection().segment(now.index).projected_start
        return now.index, start - now.wall
    return None


def cue_status(engine: ShowEngine, now: Now | None = None) -> CueStatus | None:
    """The cue at GO (its segment has started and nobody has acknowledged it yet), else the
    cue in standby, at the instant ``now`` was read (default: this instant)."""
    now = engine.now() if now is None else now
    on_stage = now.segment.cue
    if _live(now) and on_stage is not None and now.acknowledged != now.index:
        return CueStatus(now.index, on_stage, now.segment.kind, CueState.GO, 0.0)
    target = standby_target(engine, now)
    if target is None:
        return None
    index, until = target
    segment = engine.agenda.segments[index]
    cue = segment.cue
    if cue is None or until > cue.standby_s:
        return None
    return CueStatus(index, cue, segment.kind, CueState.STANDBY, max(0.0, until))


def seconds_until_change(engine: ShowEngine, now: Now | None = None) -> float | None:
    """Show seconds until the cue banner would change by time alone: standby starting or its
    countdown flipping. ``None`` when nothing would (paused, held at 0:00, or at GO, which
    only an action ends)."""
    now = engine.now() if now is None else now
    if now.status is Status.PAUSED:
        return None
    status = cue_status(engine, now)
    if status is not None and status.state is CueState.GO:
        return None
    target = standby_target(engine, now)
    if target is None:
        return None
    index, until = target
    cue = engine.agenda.segments[index].cue
    if cue is None or until <= 0:
        return None
    if until > cue.standby_s:
        return until - cue.standby_s
    frac = until - math.floor(until)
    return frac if frac > 1e-9 else 1.0


def standby_index(engine: ShowEngine, now: Now) -> int | None:
    """The segment whose cue is in standby now, if any (the stage manager may give its GO)."""
    status = cue_status(engine, now)
    return status.index if status is not None and status.state is CueState.STANDBY else None


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
        """The cue to show (``cue_status``: an acknowledged GO is already gone)."""
        return cue_status(engine, now)

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
