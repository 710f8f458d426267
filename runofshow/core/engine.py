"""The show engine: which segment runs, how long it has left, and where the show stands.

It turns operator actions into journal entries (written *before* they take effect), keeps
the live state as a fold of that journal (``runofshow.core.fold``), and answers every
question from the clock at the moment it is asked. There is no tick: ``now()`` at 15:12:03.4
gives the same answer however many repaints did or did not happen before it.

Listeners subscribe to events: ``PhaseChanged`` (the GUI plays its chimes on them),
``SegmentChanged``, ``StateChanged`` after every action, ``ClockJumped`` when the wall clock
moved under us, ``JournalFailed`` when the disk refused an action (the show keeps timing
in memory) and ``JournalRecovered`` when a journal that had failed took every action it had
refused. Time-driven events are found by ``poll()``, which the shell calls on each repaint.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NamedTuple

from runofshow.core import actions as act
from runofshow.core.actions import Action, Journal, MemoryJournal
from runofshow.core.agenda import Agenda, Segment
from runofshow.core.clock import Clock, FrozenClock
from runofshow.core.fold import (
    NOT_STARTED,
    RollClock,
    ShowState,
    StageMessage,
    Status,
    effective,
    fold,
    undoable,
)
from runofshow.core.slots import SlotSums, changed_indices
from runofshow.core.timeline import planned_starts
from runofshow.core.zones import show_zone

__all__ = [
    "ClockJumped",
    "EngineEvent",
    "GroupTimes",
    "JournalFailed",
    "JournalRecovered",
    "Mode",
    "Now",
    "Phase",
    "PhaseChanged",
    "Projection",
    "RowChanges",
    "SegmentChanged",
    "SegmentTimes",
    "ShowEngine",
    "StateChanged",
    "Status",
    "Timeline",
]

logger = logging.getLogger(__name__)

BOUNCE_S = 0.5  # a second "next" this soon after the first is a clicker bounce
WALL_JUMP_S = 2.0  # the wall clock disagreeing with the monotonic one by more is a jump


Mode = Literal["live", "rehearsal"]


class Phase(StrEnum):
    IDLE = "idle"  # before the show starts and after it ends
    NORMAL = "normal"
    WRAPUP = "wrapup"
    DANGER = "danger"
    OVERTIME = "overtime"


@dataclass(frozen=True, slots=True)
class PhaseChanged:
    """Segment ``index`` went from phase ``old`` to ``new`` (by time, or by an action)."""

    index: int
    old: Phase
    new: Phase


@dataclass(frozen=True, slots=True)
class SegmentChanged:
    """The current segment moved from index ``old`` to ``new``."""

    old: int
    new: int


@dataclass(frozen=True, slots=True)
class StateChanged:
    """An action (named ``action``) was journaled and applied."""

    action: str


@dataclass(frozen=True, slots=True)
class ClockJumped:
    """The wall clock moved by ``delta_s`` against the monotonic one (NTP, a manual set)."""

    delta_s: float


@dataclass(frozen=True, slots=True)
class JournalFailed:
    """An action could not be written to the journal (``reason``); it still took effect."""

    reason: str


@dataclass(frozen=True, slots=True)
class JournalRecovered:
    """The journal, failing until now, has taken every action it had refused (``written`` of
    them, in order): the show is saved again, and "NOT SAVED" can come off the screen."""

    written: int


EngineEvent = (
    PhaseChanged | SegmentChanged | StateChanged | ClockJumped | JournalFailed | JournalRecovered
)


@dataclass(frozen=True, slots=True)
class Now:
    """Everything the MC's window needs for one paint."""

    t: float
    wall: float
    status: Status
    index: int
    segment: Segment
    elapsed_s: float
    remaining_s: float  # negative in overtime
    overtime_s: float
    allowance_s: float
    phase: Phase
    progress: float
    next_index: int | None
    next_projected_start: float | None
    drift_s: float  # positive: behind plan
    projected_end: float
    planned_end: float
    mode: Mode
    speed: float
    blackout: bool = False
    message: StageMessage | None = None
    acknowledged: int | None = None  # the segment whose cue's GO was acknowledged
    rolling: bool = False  # the show has roll segments and the clock starts them (not taken over)
    starts_at: float | None = None  # wall time the waiting segment starts by itself (roll mode)


@dataclass(frozen=True, slots=True)
class SegmentTimes:
    """One row of the timeline: planned, projected and actual times of segment ``index``."""

    index: int
    planned_start: float
    planned_end: float
    projected_start: float
    projected_end: float
    actual_start: float | None
    actual_end: float | None
    elapsed_s: float
    added_s: float
    pauses: int
    over_limit_s: float
    state: Literal["past", "current", "future"]
    slot_s: float = 0.0  # the slot its projection uses (planned, as a plan sets it, or media)


@dataclass(frozen=True, slots=True)
class GroupTimes:
    """Where group ``index`` is planned and projected to end."""

    index: int
    planned_end: float
    projected_end: float


@dataclass(frozen=True, slots=True)
class Timeline:
    """The whole show's times at one instant: every segment, every group, and the end."""

    segments: tuple[SegmentTimes, ...]
    groups: tuple[GroupTimes, ...]
    planned_end: float
    projected_end: float
    drift_s: float


class RowChanges(NamedTuple):
    """Which segments of a later projection may read differently from an earlier one's.

    ``everything``: another agenda, or the wall clock re-anchored (every actual time moved).
    Otherwise ``rows`` may differ in anything (a record an action changed, the current rows
    with their live elapsed time); ``restated`` (first, last) changed between past, current
    and future; and in the ``shifted`` runs (first, last) of segments still to come only the
    projected start and end moved. Every other segment reads exactly as before. (A named
    tuple: a third of a frozen dataclass's cost on the path to the first frame.)"""

    everything: bool = False
    rows: tuple[int, ...] = ()
    restated: tuple[int, int] | None = None
    shifted: tuple[tuple[int, int], ...] = ()


class Projection:
    """The show's times at one instant, answerable row by row.

    ``segment(i)`` gives what ``ShowEngine.timeline().segments[i]`` gives at that instant,
    without walking the rows before it: a segment still to come starts at ``offset +
    sums[i]`` (``sums``: the slots before it, ``SlotSums``), where the offset is set where the
    current segment ends and again at each pin that holds the show back (a fixed start, or a
    roll start while the clock rolls: ``_start_after``). Each row costs O(log k) for k pins
    and slots moved off plan,
    so a window formats only the rows it paints. (A sum in another order: a projected time
    may differ from the walk's in its last bit, well under a microsecond.)

    A snapshot: it keeps answering for its instant, whatever the show does later."""

    __slots__ = (
        "_anchor",
        "_offsets",
        "_planned",
        "_starts",
        "_sums",
        "_waiting_start",
        "agenda",
        "cursor",
        "planned_end",
        "state",
        "t",
    )

    def __init__(
        self,
        *,
        agenda: Agenda,
        state: ShowState,
        t: float,
        anchor: tuple[float, float],
        planned: list[float],
        planned_end: float,
        cursor: float,
        sums: SlotSums,
        offsets: tuple[list[int], list[float]],
        waiting_start: float | None = None,
    ) -> None:
        self.agenda = agenda
        self.state = state
        self.t = t
        self.cursor = cursor  # where the current segment is projected to end
        self.planned_end = planned_end
        self._anchor = anchor
        self._planned = planned
        self._sums = sums
        self._starts, self._offsets = offsets  # from _starts[k] on: start = offset + sums[i]
        self._waiting_start = waiting_start  # a current segment not started yet: its start

    # -- the show ------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.agenda.segments)

    @property
    def index(self) -> int:
        return self.state.index

    @property
    def status(self) -> Status:
        return self.state.status

    @property
    def projected_end(self) -> float:
        """As ``Timeline.projected_end``: when it really ended, else the last row's end."""
        if self.state.status is Status.ENDED:
            return self.cursor
        if not self.count:
            return self.planned_end
        return self.segment(self.count - 1).projected_end

    @property
    def drift_s(self) -> float:
        return self.projected_end - self.planned_end

    # -- rows ----------------------------------------------------------------------------
    def segment(self, index: int) -> SegmentTimes:
        """Row ``index`` of the timeline at this instant."""
        state = _row_state(self.state, index)
        start = self.future_start(index) if state == "future" else self.cursor
        return self._row(index, state, start)

    def group(self, index: int) -> GroupTimes:
        """Where group ``index`` is planned and projected to end (its last segment's end)."""
        last = self.segment(self.agenda.groups[index].last)
        return GroupTimes(index, last.planned_end, last.projected_end)

    def future_start(self, index: int) -> float:
        """Projected start of segment ``index``, one still to come."""
        k = bisect_right(self._starts, index) - 1
        if k < 0:
            raise ValueError(f"segment {index} is not still to come")
        return self._offsets[k] + self._sums[index]

    def _row(self, i: int, state: str, future_start: float) -> SegmentTimes:
        """Segment ``i``'s times; ``future_start`` is its start if it is still to come. The
        one place the rules for past, current and future rows live (``timeline`` too)."""
        s, t = self.state, self.t
        run = s.runs[i]
        planned = self._planned[i]
        actual_start = None if run.first_start is None else _wall_on(self._anchor, run.first_start)
        actual_end = None if run.last_end is None else _wall_on(self._anchor, run.last_end)
        elapsed = run.elapsed(t) if i == s.index else run.run_s
        waiting = self._waiting_start  # a current segment not started yet: its start
        if state == "current" and waiting is not None:
            p_start = waiting  # before the show, or a roll show between segments
            p_end = self.cursor
        elif state == "current":
            p_start = actual_start if actual_start is not None else _wall_on(self._anchor, t)
            p_end = self.cursor
        elif state == "past":
            p_start = actual_start if actual_start is not None else planned
            p_end = actual_end if actual_end is not None else p_start
        else:
            p_start = future_start
            p_end = p_start + s.slot(i)
        return SegmentTimes(
            index=i,
            planned_start=planned,
            planned_end=planned + self.agenda.segments[i].duration_s,
            projected_start=p_start,
            projected_end=p_end,
            actual_start=actual_start,
            actual_end=actual_end,
            elapsed_s=elapsed,
            added_s=run.added_s,
            pauses=run.pauses,
            over_limit_s=max(0.0, elapsed - s.allowance(i)) if run.first_start is not None else 0.0,
            state=state,  # type: ignore[arg-type]
            slot_s=s.slot(i),
        )

    # -- what changed --------------------------------------------------------------------
    def changes_since(self, old: Projection | None) -> RowChanges:
        """Which rows may read differently from ``old``'s (an earlier projection of the same
        show), found without looking at every row: the records an action changed (compared
        by identity, see ``changed_indices``), the current rows, the rows between an old and
        a new position, and the runs of future rows whose offset or slots moved."""
        if (
            old is None
            or old.agenda is not self.agenda
            or old._anchor != self._anchor
            or old._planned is not self._planned
        ):
            return RowChanges(everything=True)
        rows = set(changed_indices(old.state.runs, self.state.runs))
        rows.update((old.index, self.index))
        was_over, is_over = old.status is Status.ENDED, self.status is Status.ENDED
        low, high = sorted((old.index, self.index))
        restated = None
        if was_over != is_over:
            restated = (low, self.count - 1)
        elif not is_over and low != high:
            restated = (low, high)
        shifted = () if was_over or is_over else self._shifted_since(old)
        return RowChanges(False, tuple(sorted(rows)), restated, shifted)

    def _shifted_since(self, old: Projection) -> tuple[tuple[int, int], ...]:
        """Runs of rows still to come in both whose projected start may have moved.

        Up to the first segment whose slot changed, both projections add the very same sums,
        so a row moved exactly when its offset did (offsets change only where a projection
        starts or a fixed start holds it back: few places to compare). Past that segment
        the sums differ: every later row is counted as moved."""
        first = max(old.index, self.index) + 1
        last = self.count - 1
        if first > last:
            return ()
        slots = self._sums.changed_since(old._sums)
        same_sums_until = min(last, slots[0]) if slots else last
        cuts = {first}
        cuts.update(a for a in (*old._starts, *self._starts) if first < a <= same_sums_until)
        ordered = sorted(cuts)
        spans: list[tuple[int, int]] = []
        for k, a in enumerate(ordered):
            b = ordered[k + 1] - 1 if k + 1 < len(ordered) else same_sums_until
            if old._offset_at(a) != self._offset_at(a):
                _add_span(spans, a, b)
        if slots and max(first, slots[0] + 1) <= last:
            _add_span(spans, max(first, slots[0] + 1), last)
        return tuple(spans)

    def _offset_at(self, index: int) -> float:
        return self._offsets[bisect_right(self._starts, index) - 1]


def _add_span(spans: list[tuple[int, int]], first: int, last: int) -> None:
    """Append ``first..last`` to ordered ``spans``, joining it to the last one it touches."""
    if spans and spans[-1][1] >= first - 1:
        spans[-1] = (spans[-1][0], max(spans[-1][1], last))
    else:
        spans.append((first, last))


def _wall_on(anchor: tuple[float, float], t: float) -> float:
    """The wall time of show time ``t`` on ``anchor`` (monotonic, wall) read together."""
    mono0, wall0 = anchor
    return wall0 + (t - mono0)


def phase_for(segment: Segment, remaining: float) -> Phase:
    """The phase a running segment is in with ``remaining`` seconds left."""
    if remaining <= 0:
        return Phase.OVERTIME
    if remaining <= segment.danger_s:
        return Phase.DANGER
    if remaining <= segment.wrapup_s:
        return Phase.WRAPUP
    return Phase.NORMAL


class ShowEngine:
    """One show of one agenda, on one clock, with one journal."""

    def __init__(
        self,
        agenda: Agenda,
        clock: Clock,
        journal: Journal | None = None,
        *,
        mode: Mode = "live",
        show_date: dt.date | None = None,
        opened_wall: float | None = None,
        roll_offset: float | None = None,
    ) -> None:
        """``opened_wall`` is when the show was first opened (its record's creation, or a
        rehearsal's simulated start): roll mode starts nothing before it. ``roll_offset``
        (wall minus show clock) places roll mode's times of day on the show clock; by default
        the first journaled action's, else this clock's now, so a restart places them where
        the show had them."""
        self.clock = clock
        self.mode: Mode = mode
        self.journal: Journal = journal if journal is not None else MemoryJournal()
        self.journal_error: str | None = None
        self._listeners: list[Callable[[EngineEvent], None]] = []
        # Told of each action once it is durable, in journal order (a primary streams them to
        # its followers: runofshow.core.replica).
        self._journaled: list[Callable[[Action], None]] = []
        # A follower's engine does not journal: its actions go to the primary (this delegate
        # sends them), and come back as the primary journaled them (``adopt``).
        self.forward: Callable[[str, dict[str, object], str], None] | None = None
        self._tz = show_zone(agenda.event.timezone)
        self._wall_anchor = (clock.monotonic(), clock.wall())
        self.show_date = show_date or dt.datetime.fromtimestamp(clock.wall(), self._tz).date()
        self._actions = self._placed_on_this_clock(self.journal.actions())
        self._unsaved: list[Action] = []  # refused by the journal, to be written first next time
        self._last_next_real: float | None = None
        self._source: str | None = None  # the operator's command being run (``commanded_by``)
        self._sums: SlotSums | None = None  # the slots of ``_base``, summed
        self._pin_order: tuple[dict[int, float], list[int]] | None = None
        self._carried: tuple[ShowState, float, ShowState] | None = None  # see ``_state``
        self._pin_cache: tuple[SlotSums, dict[int, float], list[int], list[float]] | None = None
        first = self._actions[0] if self._actions else None
        if roll_offset is None:
            mono0, wall0 = self._wall_anchor
            roll_offset = first.wall - first.t if first is not None else wall0 - mono0
        self._roll_offset = roll_offset
        if opened_wall is None:
            opened_wall = float("-inf") if first is not None else clock.wall()
        self.opened_wall = opened_wall
        self._set_agenda(agenda)
        self._base = fold(agenda, self._actions, self._roll)
        self._seen = self._observed(self.now())

    # -- time of day ---------------------------------------------------------------------
    def local_time(self, epoch: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(epoch, self._tz)

    def instant_of_day(self, seconds_of_day: float) -> float:
        """The wall time of a time of day on the show's date (the next day's past 24:00)."""
        midnight = dt.datetime.combine(self.show_date, dt.time(0), tzinfo=self._tz)
        return (midnight + dt.timedelta(seconds=seconds_of_day)).timestamp()

    def _wall_at(self, t: float) -> float:
        """The wall time of show time ``t``, on the current anchor (jumps re-anchor it)."""
        return _wall_on(self._wall_anchor, t)

    def _check_wall_jump(self) -> float | None:
        t, wall = self.clock.monotonic(), self.clock.wall()
        delta = wall - self._wall_at(t)
        if abs(delta) <= WALL_JUMP_S:
            return None
        self._wall_anchor = (t, wall)
        self._place_pins()
        return delta

    # -- the agenda ----------------------------------------------------------------------
    def _set_agenda(self, agenda: Agenda) -> None:
        self.agenda = agenda
        midnight = dt.datetime.combine(self.show_date, dt.time(0), tzinfo=self._tz)
        starts = planned_starts(agenda)
        self._planned = [(midnight + dt.timedelta(seconds=s)).timestamp() for s in starts]
        self._planned_end = (
            self._planned[-1] + agenda.segments[-1].duration_s
            if agenda.segments
            else midnight.timestamp() + agenda.event.start_s
        )
        self._fixed = {
            i: (midnight + dt.timedelta(seconds=seg.fixed_start_s)).timestamp()
            for i, seg in enumerate(agenda.segments)
            if seg.fixed_start_s is not None
        }
        self._roll = self._roll_clock(agenda)
        self._place_pins()

    def _roll_clock(self, agenda: Agenda) -> RollClock | None:
        """Roll mode's planned starts on the show clock (None when nothing rolls)."""
        if not agenda.rolls:
            return None
        offset = self._roll_offset
        starts = tuple(
            self._planned[i] - offset if seg.roll else None for i, seg in enumerate(agenda.segments)
        )
        return RollClock(starts, self.opened_wall - offset)

    def _place_pins(self) -> None:
        """Where the projection cannot start a segment earlier (wall times): the fixed starts,
        and, while the clock rolls, each roll segment's start as the clock will make it."""
        roll = self._roll
        if roll is None:
            self._roll_pins = self._fixed
            return
        pins = dict(self._fixed)
        for index, start in enumerate(roll.starts):
            if start is not None:
                pins[index] = self._wall_at(start)
        self._roll_pins = dict(sorted(pins.items()))

    def _pins(self, s: ShowState) -> dict[int, float]:
        return self._roll_pins if s.rolling else self._fixed

    def replace_agenda(self, agenda: Agenda) -> bool:
        """Hot reload: the edited agenda takes over, keeping position and elapsed time.

        Segments are matched by id; the current one, if deleted, hands its place (and its
        elapsed time) to the segment now at its position. A corrected time zone applies to
        the planned times at once; the show's date stays the day it is running.
        """
        new_index = {seg.id: seg.index for seg in agenda.segments}
        mapping = [new_index.get(seg.id, -1) for seg in self.agenda.segments]
        fallback = min(self._base.index, max(0, len(agenda.segments) - 1))
        self._tz = show_zone(agenda.event.timezone)
        self._set_agenda(agenda)
        args = {
            "map": mapping,
            "fallback": fallback,
            "ids": [seg.id for seg in agenda.segments],  # lets a replay check the file
            "agenda": agenda,  # in memory only: not JSON, the journal leaves it out
            "roll": self._roll,  # in memory only, derived from the agenda
        }
        return self._do(act.RELOAD, args)

    # -- actions -------------------------------------------------------------------------
    def start(self) -> bool:
        return self._do(act.START)

    def pause(self) -> bool:
        return self._do(act.PAUSE)

    def resume(self) -> bool:
        return self._do(act.RESUME)

    def toggle(self) -> bool:
        """Space: start the show, pause it, or resume it."""
        status = self._state().status
        if status is Status.RUNNING:
            return self.pause()
        if status is Status.PAUSED:
            return self.resume()
        return self.start()

    def next(self) -> bool:
        real = self.clock.monotonic() / self.clock.speed
        if self._last_next_real is not None and real - self._last_next_real < BOUNCE_S:
            return False
        applied = self._do(act.NEXT)
        if applied:
            self._last_next_real = real
        return applied

    def previous(self) -> bool:
        return self._do(act.PREVIOUS)

    def goto(self, index: int) -> bool:
        return self._do(act.GOTO, {"index": int(index)})

    def add_time(self, seconds: float) -> bool:
        return self._do(act.ADD_TIME, {"seconds": float(seconds)})

    def set_media_length(self, length_s: float, index: int | None = None) -> bool:
        """A video segment's file turned out to be ``length_s`` long: its countdown and every
        projection use the real length instead of the planned slot from now on."""
        args: dict[str, float | int] = {"length_s": float(length_s)}
        if index is not None:
            args["index"] = int(index)
        return self._do(act.MEDIA, args)

    def reset_segment(self) -> bool:
        return self._do(act.RESET)

    def apply_plan(self, slots: Mapping[int, float]) -> bool:
        """Give segments the slots ``slots`` (index: seconds, as ``slot()`` will read them):
        a landing plan, or a what-if applied. One journaled action, undone as one; their
        countdowns follow (``Segment.countdown_for_slot``). Time added to a segment stays
        added, so the plan's own value for it is the slot less that time."""
        state = self._state()
        pairs = []
        for index, seconds in sorted(slots.items()):
            if not 0 <= index < len(state.runs):
                return False
            planned = max(1.0, float(seconds) - state.runs[index].added_s)
            pairs.append([int(index), round(planned, 3)])
        return self._do(act.PLAN, {"slots": pairs})

    def set_rolling(self, on: bool) -> bool:
        """Roll mode: the clock starts roll segments (on), or the MC takes over (off)."""
        return self._do(act.ROLL, {"on": bool(on)})

    def assuming(self, slots: Mapping[int, float]) -> ShowEngine:
        """This show as of now, with segments' slots assumed (what-if): a copy on a clock
        standing at this instant, the plan applied in memory; nothing is journaled here.
        Its ``now()`` and ``timeline()`` are the projection a replay with those slots gives."""
        clock = FrozenClock(
            self.clock.wall(), self.clock.monotonic(), self.clock.boot_id, self.clock.speed
        )
        scratch = ShowEngine(
            self.agenda,
            clock,
            MemoryJournal(self._actions),
            mode=self.mode,
            show_date=self.show_date,
            opened_wall=self.opened_wall,
            roll_offset=self.roll_offset,
        )
        if slots:
            scratch.apply_plan(slots)
        return scratch

    def end_show(self) -> bool:
        return self._do(act.END)

    def undo(self) -> bool:
        """Take back the latest action that still counts; the time that ran meanwhile stays
        counted (an accidental "next" undone puts the speaker back with their full elapsed)."""
        if self.undo_target() is None:
            return False
        return self._do(act.UNDO)

    def undo_target(self) -> Action | None:
        """The action an undo would take back now, if any (the window says what it undid)."""
        return next((a for a in reversed(effective(self._actions)) if undoable(a)), None)

    # -- what the stage shows besides the time -------------------------------------------
    def set_blackout(self, on: bool) -> bool:
        """The speaker's screen dark (or lit again)."""
        return self._do(act.BLACKOUT, {"on": bool(on)})

    def send_message(self, text: str, flash: bool = False) -> bool:
        """``text`` on the speaker's screen, replacing any message; empty text clears."""
        return self._do(act.MESSAGE, {"text": str(text), "flash": bool(flash)})

    def clear_message(self) -> bool:
        return self._do(act.MESSAGE, {"text": "", "flash": False})

    def acknowledge(self, index: int) -> bool:
        """The stage manager fired the cue of segment ``index`` at GO."""
        return self._do(act.ACKNOWLEDGE, {"index": int(index)})

    @contextlib.contextmanager
    def commanded_by(self, source: str) -> Iterator[None]:
        """The actions of one operator command come from ``source`` ("key", "http", ...).

        Only the first action journaled inside is the operator's: what the app journals in
        response, before the command returns (a video's length after a reset), is the app's
        own and says so (``actions.APP_SOURCE``), as does anything journaled outside."""
        self._source = source
        try:
            yield
        finally:
            self._source = None

    def _do(self, name: str, args: Mapping[str, object] | None = None) -> bool:
        if self.forward is not None:
            # A follower: the action counts once the primary has journaled it, not here.
            source = self._source or act.APP_SOURCE
            self._source = None
            self.forward(name, dict(args or {}), source)
            return False
        t = self.clock.monotonic()
        action = Action(
            seq=len(self._actions) + 1,
            name=name,
            t=t,
            wall=self.clock.wall(),
            mono=_real_clock(self.clock).monotonic(),
            boot_id=self.clock.boot_id,
            args=dict(args or {}),
            source=self._source or act.APP_SOURCE,
        )
        state = self._state(t)
        if name != act.UNDO and not state.can_apply(action):
            return False
        self._source = None  # taken: whatever follows from it is the app's own
        self._append(action)
        self._actions.append(action)
        if name == act.UNDO:
            self._base = fold(self.agenda, self._actions, self._roll)
        else:
            state = state.copy()
            state.apply(action)
            self._base = state
        self._emit(StateChanged(name))
        self.poll()
        return True

    def _append(self, action: Action) -> None:
        """Make ``action`` durable first; if the disk refuses, keep going in memory and say so.

        Actions the disk refused wait in order and go first at the next append: the journal
        is always a prefix of what happened, never a sequence with holes (a lost "next"
        followed by a saved "add time" would resume into the wrong segment after a crash).
        When a failing journal takes the whole backlog, ``JournalRecovered`` says so.
        """
        self._unsaved.append(action)
        backlog = len(self._unsaved)
        try:
            while self._unsaved:
                self.journal.append(self._unsaved[0])
                written = self._unsaved.pop(0)
                self._tell_journaled(written)
        except Exception as exc:  # the journal is I/O: any failure must not stop the show
            self._journal_refused(exc)
            return
        if self.journal_error is not None:
            self.journal_error = None
            self._emit(JournalRecovered(backlog))

    def _journal_refused(self, exc: Exception) -> None:
        """Remember why the journal refused; the first failure is announced and logged (with
        its traceback when it is not the disk's: a bug), repeats only at debug level."""
        reason = f"{type(exc).__name__}: {exc}"
        first = self.journal_error is None
        self.journal_error = reason
        if not first:
            logger.debug("the journal still refuses actions: %s", reason)
            return
        if isinstance(exc, OSError):
            logger.warning("the journal refused an action: %s", reason)
        else:
            logger.error("the journal refused an action: %s", reason, exc_info=exc)
        self._emit(JournalFailed(reason))

    def _tell_journaled(self, action: Action) -> None:
        for listener in list(self._journaled):
            try:
                listener(action)
            except Exception:
                logger.exception("a journal listener failed on %s; the show goes on", action.name)

    def subscribe_journaled(self, callback: Callable[[Action], None]) -> Callable[[], None]:
        """``callback(action)`` for each action once the journal has it, in order."""
        self._journaled.append(callback)

        def unsubscribe() -> None:
            if callback in self._journaled:
                self._journaled.remove(callback)

        return unsubscribe

    # -- a follower's copy ---------------------------------------------------------------
    def adopt(self, actions: Sequence[Action], agenda: Agenda | None = None) -> None:
        """Actions another machine journaled (this engine is a follower's, and the caller has
        written them to its own copy of the journal) join the show, each at its own time.
        A reload needs the ``agenda`` it reloaded (its file is the primary's)."""
        if not actions:
            return
        for action in actions:
            if action.name == act.RELOAD:
                if agenda is None:
                    raise ValueError("a reload from the primary needs the agenda it reloaded")
                self._tz = show_zone(agenda.event.timezone)
                self._set_agenda(agenda)
                action = _with_args(action, agenda=agenda, roll=self._roll)
            self._actions.append(action)
            if action.name == act.UNDO:
                self._base = fold(self.agenda, self._actions, self._roll)
                continue
            state = self._state(action.t).copy()
            state.apply(action)
            self._base = state
        self._emit(StateChanged(actions[-1].name))
        self.poll()

    # -- events --------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[EngineEvent], None]) -> Callable[[], None]:
        self._listeners.append(callback)

        def unsubscribe() -> None:  # idempotent: a window may stop twice while closing
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def _emit(self, event: EngineEvent) -> None:
        """Tell every listener; one that raises is logged and the others still hear, and
        the engine goes on (a failing window must not stop the show or its journal)."""
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("a listener failed on %s; the show goes on", event)

    @staticmethod
    def _observed(now: Now) -> tuple[int, Phase]:
        return (now.index, now.phase)

    def poll(self) -> Now:
        """Find what time alone changed since the last look and tell the listeners."""
        jump = self._check_wall_jump()
        if jump is not None:
            self._emit(ClockJumped(jump))
        now = self.now()
        old_index, old_phase = self._seen
        self._seen = self._observed(now)
        if now.index != old_index:
            self._emit(SegmentChanged(old_index, now.index))
        if now.phase is not old_phase:
            self._emit(PhaseChanged(now.index, old_phase, now.phase))
        return now

    # -- reading -------------------------------------------------------------------------
    def _state(self, t: float | None = None) -> ShowState:
        """The fold carried to ``t`` (default: now). What time alone did since the last
        action is carried from the latest instant asked about, not from that action again:
        a roll show left to the clock for hours would otherwise replay every start it made
        on every repaint. Carrying forward is associative, so the answer is the same."""
        t = self.clock.monotonic() if t is None else t
        carried = self._carried
        if carried is not None and carried[0] is self._base and carried[1] <= t:
            state = carried[2].at(t)
        else:
            state = self._base.at(t)
        if state is not self._base:
            self._carried = (self._base, t, state)
        return state

    @property
    def status(self) -> Status:
        return self._state().status

    @property
    def actions(self) -> list[Action]:
        return list(self._actions)

    def now(self) -> Now:
        t = self.clock.monotonic()
        s = self._state(t)
        seg = self.agenda.segments[s.index]
        started = s.status in (Status.RUNNING, Status.PAUSED)
        allowance = s.allowance(s.index)
        elapsed = s.elapsed(t)
        remaining = allowance - elapsed
        phase = phase_for(seg, remaining) if started else Phase.IDLE
        cursor = self._current_end(s, t)
        next_index = s.index_after(s.index) if s.status is not Status.ENDED else None
        next_start = self._start_after(next_index, cursor, s) if next_index is not None else None
        projected_end = self._project_end(s, t, cursor)
        roll_start = s.roll_start()
        return Now(
            t=t,
            wall=self._wall_at(t),
            status=s.status,
            index=s.index,
            segment=seg,
            elapsed_s=elapsed,
            remaining_s=remaining,
            overtime_s=max(0.0, -remaining),
            allowance_s=allowance,
            phase=phase,
            progress=elapsed / allowance if allowance > 0 else 1.0,
            next_index=next_index,
            next_projected_start=next_start,
            drift_s=projected_end - self._planned_end,
            projected_end=projected_end,
            planned_end=self._planned_end,
            mode=self.mode,
            speed=self.clock.speed,
            blackout=s.blackout,
            message=s.message,
            acknowledged=s.acknowledged,
            rolling=s.rolling and self._roll is not None,
            starts_at=None if roll_start is None else self._wall_at(roll_start),
        )

    @property
    def roll_offset(self) -> float:
        """Wall minus show clock, as roll mode's times of day were placed (a copy of the
        show, such as a trial of an edited agenda, places them the same)."""
        return self._roll_offset

    @property
    def rolls(self) -> bool:
        """Whether this show has roll-mode segments (the clock may start them)."""
        return self._roll is not None

    def slot(self, index: int) -> float:
        """Segment ``index``'s slot as the projection uses it now (``ShowState.slot``)."""
        return self._state().slot(index)

    def pins(self) -> Mapping[int, float]:
        """Segments the projection cannot start before a wall time (fixed starts, and roll
        starts while the clock rolls), by index, in running order."""
        return self._pins(self._state())

    def media_known(self) -> frozenset[int]:
        """Segments whose length is their video file's (no plan can change it)."""
        return frozenset(i for i, run in enumerate(self._state().runs) if run.media_s is not None)

    # -- projection ----------------------------------------------------------------------
    def _current_end(self, s: ShowState, t: float) -> float:
        """Projected wall time the current segment ends: now plus what is left of its slot."""
        if s.status is Status.ENDED:
            return self._wall_at(s.ended_at if s.ended_at is not None else t)
        slot_left = max(0.0, s.slot(s.index) - s.elapsed(t))
        start = self._wall_at(t)
        if s.status in NOT_STARTED:
            start = self._waiting_start(s, t)
        return start + slot_left

    def _waiting_start(self, s: ShowState, t: float) -> float:
        """When the segment that has not started yet (``READY``, ``WAITING``) is projected
        to start: before the show, not before its plan; in roll mode, when the clock will
        start it; otherwise as soon as a key is pressed (now)."""
        start = self._wall_at(t)
        roll_start = s.roll_start()
        if roll_start is not None:
            return max(start, self._wall_at(roll_start))
        if s.status is Status.READY:
            return max(start, self._planned[s.index])
        return start

    def _start_after(self, index: int, cursor: float, s: ShowState) -> float:
        """When segment ``index`` would start if the one before it ends at ``cursor``. Only
        pinned segments (``_pins``) can start later than that (``Projection`` relies on it)."""
        fixed_at = self._pins(s).get(index)
        return cursor if fixed_at is None else max(cursor, fixed_at)

    def _project_end(self, s: ShowState, t: float, cursor: float) -> float:
        """Projected end of the show. Only pins (fixed starts, and roll starts while the
        clock rolls) break the chain of slots: the end is the latest of "the chain from
        ``cursor``" and "each pin still to come plus the slots from it on". With prefix sums
        P, that is P[n] + max(cursor - P[first], max over pins k >= first of pin_k - P[k]),
        read off a suffix maximum in O(log pins): in roll mode every segment is a pin, and a
        walk over them was O(n) on every repaint (20,000-row agendas)."""
        if s.status is Status.ENDED:
            return cursor
        first = s.index + 1
        segments = self.agenda.segments
        if first >= len(segments):
            return cursor
        prefix = self._slot_prefix()
        indexes, best = self._pin_suffix(s, prefix)
        end = cursor - prefix[first]
        position = bisect_left(indexes, first)
        if position < len(indexes):
            end = max(end, best[position])
        return prefix[len(segments)] + end

    def _pin_suffix(self, s: ShowState, prefix: SlotSums) -> tuple[list[int], list[float]]:
        """The pins' indexes in order and, from each, the largest ``pin_k - P[k]`` at or
        after it; rebuilt only when the slots or the pins changed (``SlotSums`` is immutable:
        a new one is new sums)."""
        pins = self._pins(s)
        cached = self._pin_cache
        if cached is not None and cached[0] is prefix and cached[1] is pins:
            return cached[2], cached[3]
        indexes = self._pin_indices(s)
        best = [pins[index] - prefix[index] for index in indexes]
        for position in range(len(best) - 2, -1, -1):
            best[position] = max(best[position], best[position + 1])
        self._pin_cache = (prefix, pins, indexes, best)
        return indexes, best

    def _slot_prefix(self) -> SlotSums:
        """Prefix sums of slot lengths plus added time (``[i]``: the segments before ``i``),
        following the fold: an action changes a few records, and only their slots are
        summed again (time alone never changes a slot, so the base state is the key)."""
        sums = self._sums
        if sums is None or sums.agenda is not self._base.agenda:
            sums = SlotSums.of(self._base)
        else:
            sums = sums.follow(self._base)
        self._sums = sums
        return sums

    def _pin_indices(self, s: ShowState) -> list[int]:
        """The pinned segments (``_pins``) in order, kept while the pins are the same."""
        pins = self._pins(s)
        cached = self._pin_order
        if cached is None or cached[0] is not pins:
            cached = (pins, sorted(pins))
            self._pin_order = cached
        return cached[1]

    def projection(self) -> Projection:
        """The times of every segment and group at this instant, asked for row by row: the
        windows' running orders paint a screenful of a 20,000-row agenda from it."""
        t = self.clock.monotonic()
        s = self._state(t)
        cursor = self._current_end(s, t)
        sums = self._slot_prefix()
        return Projection(
            agenda=self.agenda,
            state=s,
            t=t,
            anchor=self._wall_anchor,
            planned=self._planned,
            planned_end=self._planned_end,
            cursor=cursor,
            sums=sums,
            offsets=self._future_offsets(s, cursor, sums),
            waiting_start=self._waiting_start(s, t) if s.status in NOT_STARTED else None,
        )

    def _future_offsets(
        self, s: ShowState, cursor: float, sums: SlotSums
    ) -> tuple[list[int], list[float]]:
        """Where the chain of segments still to come is (re)anchored, and its offset there:
        after the current segment, then at each pin (a fixed start, or a roll start while the
        clock rolls) that holds it back. A segment ``i`` from ``starts[k]`` on starts at
        ``offsets[k] + sums[i]``. (In roll mode every roll segment is a pin: this walks them,
        O(pins), where a show of fixed starts walks a few.)"""
        first = s.index + 1
        if s.status is Status.ENDED or first >= len(self.agenda.segments):
            return [], []
        starts, offsets = [first], [cursor - sums[first]]
        pinned = self._pin_indices(s)
        for index in pinned[bisect_left(pinned, first) :]:
            before = cursor if index == first else offsets[-1] + sums[index]
            after = self._start_after(index, before, s)
            if after == before:
                continue
            if index == first:
                offsets[0] = after - sums[index]
            else:
                starts.append(index)
                offsets.append(after - sums[index])
        return starts, offsets

    def timeline(self) -> Timeline:
        """Planned, projected and actual times of every segment and group: a walk down the
        rows, each one still to come starting where the one before it ends."""
        p = self.projection()
        s = p.state
        rows: list[SegmentTimes] = []
        chain = p.cursor
        for i in range(len(self.agenda.segments)):
            state = _row_state(s, i)
            if state == "future":
                row = p._row(i, state, self._start_after(i, chain, s))
                chain = row.projected_end
            else:
                row = p._row(i, state, chain)
            rows.append(row)
        if s.status is Status.ENDED:
            projected_end = p.cursor  # when it really ended
        else:
            projected_end = rows[-1].projected_end if rows else self._planned_end
        groups = tuple(
            GroupTimes(g.index, rows[g.last].planned_end, rows[g.last].projected_end)
            for g in self.agenda.groups
        )
        return Timeline(
            segments=tuple(rows),
            groups=groups,
            planned_end=self._planned_end,
            projected_end=projected_end,
            drift_s=projected_end - self._planned_end,
        )

    # -- resuming ------------------------------------------------------------------------
    def _placed_on_this_clock(self, actions: list[Action]) -> list[Action]:
        """Journaled actions moved onto this process's show clock.

        Actions from this boot (same boot id) are already on it: the gap while the app was
        down is measured exactly. Actions from an earlier boot are placed by the wall clock,
        keeping their spacing within their own boot exact.
        """
        if not actions:
            return []
        now_t, now_wall = self.clock.monotonic(), self.clock.wall()
        shifts: dict[str, float] = {}
        for action in reversed(actions):
            if action.boot_id == self.clock.boot_id or action.boot_id in shifts:
                continue
            gap = max(0.0, now_wall - action.wall)
            shifts[action.boot_id] = (now_t - gap) - action.t
        if not shifts:
            return list(actions)
        return [_shifted(a, shifts[a.boot_id]) if a.boot_id in shifts else a for a in actions]


def _shifted(action: Action, delta: float) -> Action:
    return Action(
        action.seq,
        action.name,
        action.t + delta,
        action.wall,
        action.mono,
        action.boot_id,
        action.args,
        action.source,
    )


def _with_args(action: Action, **more: object) -> Action:
    return dataclasses.replace(action, args={**action.args, **more})


def _real_clock(clock: Clock) -> Clock:
    """The machine's clock under a rehearsal clock (journaled for crash recovery)."""
    return getattr(clock, "real", clock)


def _row_state(s: ShowState, index: int) -> Literal["past", "current", "future"]:
    if s.status is Status.ENDED:
        return "past"
    if index == s.index:
        return "current"
    return "past" if index < s.index else "future"
