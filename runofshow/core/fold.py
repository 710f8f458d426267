"""The live state of a show as a fold of its journal.

``fold(agenda, actions)`` replays every effective action (undone ones are skipped) and returns
the state just after the last one; ``state.at(t)`` carries it forward to any later instant,
applying what happens without a key at the exact instant it happens rather than whenever
somebody happened to look: the segments' automatic ends (``end_action: advance``) and, in roll
mode, the starts the clock makes. Nothing here reads a clock: the same journal always folds to
the same state, which is what makes undo, crash recovery and the report one mechanism.

Roll mode (``mode: roll``) needs times of day on the show clock: the engine works them out
once (``RollClock``) and the fold takes them as an input, like the agenda. A roll segment
starts at its planned instant, or when the one before it ends if that is later; the segment
before a roll segment therefore ends when its time is up, as with ``end_action: advance``,
and if that is before the next one's planned start the show waits (``Status.WAITING``).
Before any action at all (the journal may be empty), the first roll segment starts at its
planned instant, or when the show was opened if that is later (a late start): the opening
instant is the show's own record, so a restart folds to the same start. Keys always do what
they say; ``roll`` off (taken over by the MC) stops the clock starting anything.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from runofshow.core import actions as act
from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda, EndAction


class Status(StrEnum):
    READY = "ready"  # nothing started yet; ``index`` is the segment that will start
    RUNNING = "running"
    PAUSED = "paused"
    WAITING = "waiting"  # between segments in roll mode: ``index`` starts at its planned time
    ENDED = "ended"


NOT_STARTED = frozenset({Status.READY, Status.WAITING})  # ``index`` has not started yet


@dataclass(frozen=True, slots=True)
class RollClock:
    """Roll mode's times on the show clock: when each segment is planned to start if it rolls
    (None: it does not), and the instant the show was opened (nothing rolls before it)."""

    starts: tuple[float | None, ...]
    opened_t: float


@dataclass(slots=True)
class SegmentRun:
    """What happened to one segment so far."""

    run_s: float = 0.0  # running time in closed stints
    stint_start: float | None = None  # show time the open stint began, while running
    added_s: float = 0.0
    first_start: float | None = None
    last_end: float | None = None
    pauses: int = 0
    media_s: float | None = None  # the real length of the segment's video, once known
    plan_s: float | None = None  # the slot an applied plan gives it, instead of ``duration``

    def elapsed(self, t: float) -> float:
        open_stint = 0.0 if self.stint_start is None else max(0.0, t - self.stint_start)
        return self.run_s + open_stint


@dataclass(frozen=True, slots=True)
class StageMessage:
    """The line on the speaker's screen. ``seq`` is the journal position of the action that
    sent it, so sending the same words again is a new message (it flashes again)."""

    text: str
    flash: bool
    seq: int


@dataclass(slots=True)
class ShowState:
    """The folded state: where the show is, what each segment has run, and what the stage
    shows besides the time (blackout, a message, the cue at GO already acknowledged)."""

    agenda: Agenda
    status: Status = Status.READY
    index: int = 0
    runs: list[SegmentRun] = field(default_factory=list)
    t: float = float("-inf")  # show time of the last applied action or automatic end
    ended_at: float | None = None
    blackout: bool = False
    message: StageMessage | None = None
    acknowledged: int | None = None  # the segment whose cue's GO was acknowledged
    roll: RollClock | None = None  # roll mode's times; None: nothing rolls
    rolling: bool = True  # the clock starts roll segments (False: the MC took over)

    @classmethod
    def initial(cls, agenda: Agenda, roll: RollClock | None = None) -> ShowState:
        return cls(agenda=agenda, runs=[SegmentRun() for _ in agenda.segments], roll=roll)

    # -- reading -------------------------------------------------------------------------
    def allowance(self, index: int) -> float:
        """What the speaker counts down: the limit (or slot), the limit as an applied plan
        moves it, or the video's real length; plus any time added."""
        run = self.runs[index]
        segment = self.agenda.segments[index]
        if run.media_s is not None:
            base = run.media_s
        elif run.plan_s is not None:
            base = segment.countdown_for_slot(run.plan_s)
        else:
            base = segment.countdown_s
        return max(0.0, base + run.added_s)

    def slot(self, index: int) -> float:
        """The slot used for projections: the planned duration, or the one an applied plan
        gives it, or the video's real length; plus any time added."""
        run = self.runs[index]
        if run.media_s is not None:
            base = run.media_s
        elif run.plan_s is not None:
            base = run.plan_s
        else:
            base = self.agenda.segments[index].duration_s
        return max(0.0, base + run.added_s)

    def rolls(self, index: int) -> bool:
        """Whether the clock starts segment ``index`` now (roll mode, not taken over)."""
        return self.rolling and self.roll is not None and self.roll.starts[index] is not None

    def roll_start(self) -> float | None:
        """When the segment waiting at ``index`` starts by itself, if it will."""
        if self.status not in NOT_STARTED or not self.rolls(self.index):
            return None
        assert self.roll is not None
        start = self.roll.starts[self.index]
        assert start is not None
        if self.status is Status.READY:
            start = max(start, self.roll.opened_t)
        return max(start, self.t)

    def elapsed(self, t: float) -> float:
        return self.runs[self.index].elapsed(t)

    def remaining(self, t: float) -> float:
        return self.allowance(self.index) - self.elapsed(t)

    # -- carrying forward ----------------------------------------------------------------
    def _auto_end_time(self) -> float | None:
        """When the running segment ends by itself: it is set to advance, or it rolls and so
        does the next one (a roll segment starts when the one before it ends) or there is
        none (the show ends on time). A manual segment before a roll group, or a roll
        segment before a manual one, ends by its key or its ``end_action``."""
        if self.status is not Status.RUNNING:
            return None
        segment = self.agenda.segments[self.index]
        after = self.index_after(self.index)
        rolls_on = self.rolls(self.index) and (after is None or self.rolls(after))
        if segment.end_action is not EndAction.ADVANCE and not rolls_on:
            return None
        run = self.runs[self.index]
        assert run.stint_start is not None
        due = run.stint_start + max(0.0, self.allowance(self.index) - run.run_s)
        # Not before the state's own instant: an action that makes the end due already (R
        # handing an overrun back to the clock, a minute taken from the last thirty seconds)
        # ends the segment when it was taken, and leaves what happened before it alone.
        return max(due, self.t)

    def _next_by_itself(self) -> float | None:
        """The instant time alone next changes this state (an end or a roll start)."""
        if self.status is Status.RUNNING:
            return self._auto_end_time()
        return self.roll_start()

    def _happen(self, when: float) -> None:
        """What time alone does at ``when``: the waiting roll segment starts, or the running
        one ends and the next runs (or waits for its planned start, if it rolls)."""
        if self.status in NOT_STARTED:
            self.status = Status.RUNNING
            self._open(self.index, when)
            self.t = when
        else:
            after = self.index_after(self.index)
            waits = after is not None and self.rolls(after) and self._roll_at(after) > when
            self._move(when, after, keep_running=not waits)
            if waits:
                self.status = Status.WAITING
        self._forget_acknowledgement(when)

    def _roll_at(self, index: int) -> float:
        assert self.roll is not None
        start = self.roll.starts[index]
        assert start is not None
        return start

    def at(self, t: float) -> ShowState:
        """This state carried forward to show time ``t`` (self when nothing happens by then)."""
        when = self._next_by_itself()
        if when is None or when > t:
            return self
        state = self.copy()
        while when is not None and when <= t:
            state._happen(when)
            when = state._next_by_itself()
        return state

    def copy(self) -> ShowState:
        """An independent copy; run records are shared until one changes (``_own``), so
        copying stays cheap for a 20,000-segment agenda."""
        clone = copy.copy(self)
        clone.runs = list(self.runs)
        return clone

    def index_after(self, index: int) -> int | None:
        return index + 1 if index + 1 < len(self.agenda.segments) else None

    # -- applying ------------------------------------------------------------------------
    def _own(self, index: int) -> SegmentRun:
        """The run record at ``index``, copied first if it is shared with another state."""
        run = self.runs[index]
        fresh = copy.copy(run)
        self.runs[index] = fresh
        return fresh

    def _open(self, index: int, t: float) -> None:
        run = self._own(index)
        run.stint_start = t
        if run.first_start is None:
            run.first_start = t

    def _close(self, index: int, t: float, *, leaving: bool) -> None:
        run = self._own(index)
        if run.stint_start is not None:
            run.run_s += max(0.0, t - run.stint_start)
            run.stint_start = None
        if leaving and run.first_start is not None:
            run.last_end = t

    def _move(self, t: float, target: int | None, *, keep_running: bool) -> None:
        """Leave the current segment at ``t`` for ``target`` (None: the show ends)."""
        self._close(self.index, t, leaving=True)
        self.t = t
        if target is None:
            self.status = Status.ENDED
            self.ended_at = t
            return
        self.index = target
        if keep_running:
            self.status = Status.RUNNING
            self._open(target, t)

    def can_apply(self, action: Action) -> bool:
        """Whether ``action`` would change anything now (a pause while paused would not)."""
        handler = _HANDLERS.get(action.name)
        return handler is not None and handler.applies(self, action)

    def apply(self, action: Action) -> bool:
        """Apply ``action`` in place; False (and no change) if it does not apply now."""
        if not self.can_apply(action):
            return False
        _HANDLERS[action.name].run(self, action)
        self.t = max(self.t, action.t)
        if action.name not in act.PRESENTATION:
            self._forget_acknowledgement(action.t)
        return True

    def _forget_acknowledgement(self, t: float) -> None:
        """An acknowledged GO belongs to its segment while that segment is the current one:
        once the show moves on (or back), the cue is no longer the one rolling, and its next
        GO must show again."""
        if self.acknowledged is not None and (
            self.acknowledged != self.index or self.status is Status.ENDED
        ):
            self.acknowledged = None


class _Handler:
    """How one kind of action changes the state, and when it applies at all."""

    def applies(self, s: ShowState, a: Action) -> bool:
        return s.status is not Status.ENDED

    def run(self, s: ShowState, a: Action) -> None:
        raise AssertionError("subclasses implement run")


class _Start(_Handler):
    def applies(self, s: ShowState, a: Action) -> bool:
        return s.status in (Status.READY, Status.PAUSED, Status.WAITING)

    def run(self, s: ShowState, a: Action) -> None:
        s.status = Status.RUNNING
        s._open(s.index, a.t)


class _Pause(_Handler):
    def applies(self, s: ShowState, a: Action) -> bool:
        return s.status is Status.RUNNING

    def run(self, s: ShowState, a: Action) -> None:
        s._close(s.index, a.t, leaving=False)
        s._own(s.index).pauses += 1
        s.status = Status.PAUSED


class _Resume(_Start):
    def applies(self, s: ShowState, a: Action) -> bool:
        return s.status is Status.PAUSED


class _Goto(_Handler):
    """next, previous and goto: move the cursor; once the show runs, the target runs."""

    def target(self, s: ShowState, a: Action) -> int | None:
        index = int(a.args.get("index", -1))
        return index if 0 <= index < len(s.agenda.segments) else -1

    def applies(self, s: ShowState, a: Action) -> bool:
        target = self.target(s, a)
        if s.status is Status.ENDED or target == -1:
            return False
        if target is None:  # next on the last segment ends a started show
            return s.status is not Status.READY
        return target != s.index

    def run(self, s: ShowState, a: Action) -> None:
        target = self.target(s, a)
        if s.status is Status.READY:
            assert target is not None
            s.index = target
            return
        s._move(a.t, target, keep_running=True)


class _Next(_Goto):
    def target(self, s: ShowState, a: Action) -> int | None:
        return s.index_after(s.index)


class _Previous(_Goto):
    def target(self, s: ShowState, a: Action) -> int | None:
        return s.index - 1 if s.index > 0 else -1


class _AddTime(_Handler):
    def run(self, s: ShowState, a: Action) -> None:
        run = s._own(s.index)
        countdown = s.agenda.segments[s.index].countdown_s
        # Never below zero allowance: removing more time than there is means "time is up now".
        run.added_s = max(-countdown, run.added_s + float(a.args["seconds"]))


class _Media(_Handler):
    def run(self, s: ShowState, a: Action) -> None:
        target = int(a.args.get("index", s.index))
        s._own(target).media_s = max(0.0, float(a.args["length_s"]))

    def applies(self, s: ShowState, a: Action) -> bool:
        return 0 <= int(a.args.get("index", s.index)) < len(s.runs)


class _Reset(_Handler):
    def run(self, s: ShowState, a: Action) -> None:
        run = s._own(s.index)
        run.run_s = 0.0
        run.added_s = 0.0
        if run.stint_start is not None:
            run.stint_start = a.t
            run.first_start = a.t


class _End(_Handler):
    def applies(self, s: ShowState, a: Action) -> bool:
        return s.status in (Status.RUNNING, Status.PAUSED, Status.WAITING)

    def run(self, s: ShowState, a: Action) -> None:
        s._move(a.t, None, keep_running=False)


class _Plan(_Handler):
    """Set some segments' slots (``[[index, seconds], ...]``): a landing plan, or a what-if
    applied. A later plan for the same segment replaces the earlier one."""

    def applies(self, s: ShowState, a: Action) -> bool:
        slots = a.args.get("slots")
        if s.status is Status.ENDED or not isinstance(slots, list) or not slots:
            return False
        if not all(0 <= int(index) < len(s.runs) and float(sec) > 0 for index, sec in slots):
            return False
        return any(s.runs[int(index)].plan_s != float(sec) for index, sec in slots)

    def run(self, s: ShowState, a: Action) -> None:
        for index, seconds in a.args["slots"]:
            s._own(int(index)).plan_s = float(seconds)


class _Roll(_Handler):
    """The clock starts roll segments (on), or the MC has taken over by key (off)."""

    def applies(self, s: ShowState, a: Action) -> bool:
        return s.status is not Status.ENDED and bool(a.args["on"]) != s.rolling

    def run(self, s: ShowState, a: Action) -> None:
        s.rolling = bool(a.args["on"])


class _Blackout(_Handler):
    def applies(self, s: ShowState, a: Action) -> bool:
        return bool(a.args["on"]) != s.blackout

    def run(self, s: ShowState, a: Action) -> None:
        s.blackout = bool(a.args["on"])


class _Message(_Handler):
    """A new message replaces the one on stage; empty text takes it off."""

    def applies(self, s: ShowState, a: Action) -> bool:
        return bool(a.args["text"]) or s.message is not None

    def run(self, s: ShowState, a: Action) -> None:
        text = str(a.args["text"])
        s.message = StageMessage(text, bool(a.args.get("flash", False)), a.seq) if text else None


class _Acknowledge(_Handler):
    def applies(self, s: ShowState, a: Action) -> bool:
        return int(a.args["index"]) != s.acknowledged

    def run(self, s: ShowState, a: Action) -> None:
        s.acknowledged = int(a.args["index"])


class _Reload(_Handler):
    """The agenda file changed: carry every segment's record over to its new position."""

    def applies(self, s: ShowState, a: Action) -> bool:
        return True

    def run(self, s: ShowState, a: Action) -> None:
        mapping: list[int] = list(a.args["map"])  # new index of each old segment, -1: gone
        # In the running process the new agenda rides along; replayed from disk it is the
        # agenda the show was resumed with (the journal keeps only the mapping).
        new_agenda: Agenda = a.args.get("agenda", s.agenda)
        runs = [SegmentRun() for _ in new_agenda.segments]
        for old, new in enumerate(mapping):
            if new >= 0 and old < len(s.runs):
                runs[new] = s.runs[old]
        current = mapping[s.index] if s.index < len(mapping) else -1
        kept = current >= 0
        if not kept:
            current = min(int(a.args.get("fallback", 0)), max(0, len(runs) - 1))
        if s.status in (Status.RUNNING, Status.PAUSED) and not kept and runs:
            # The running segment was deleted: its time so far is kept on the record of the
            # segment that takes its place, so elapsed time is not lost.
            runs[current] = s.runs[s.index]
        s.agenda = new_agenda
        s.roll = a.args.get("roll", s.roll)
        s.runs = runs
        s.index = current


_HANDLERS: dict[str, _Handler] = {
    act.START: _Start(),
    act.PAUSE: _Pause(),
    act.RESUME: _Resume(),
    act.NEXT: _Next(),
    act.PREVIOUS: _Previous(),
    act.GOTO: _Goto(),
    act.ADD_TIME: _AddTime(),
    act.RESET: _Reset(),
    act.END: _End(),
    act.RELOAD: _Reload(),
    act.MEDIA: _Media(),
    act.BLACKOUT: _Blackout(),
    act.MESSAGE: _Message(),
    act.ACKNOWLEDGE: _Acknowledge(),
    act.PLAN: _Plan(),
    act.ROLL: _Roll(),
}


def effective(actions: Iterable[Action]) -> list[Action]:
    """The actions that still count: each undo cancels the latest undoable action not yet
    cancelled (``actions.NOT_UNDONE`` says which are not: reloads, video lengths, and what
    the stage shows besides the time)."""
    kept: list[Action] = []
    for action in actions:
        if action.name != act.UNDO:
            kept.append(action)
            continue
        for i in range(len(kept) - 1, -1, -1):
            if kept[i].name not in act.NOT_UNDONE:
                del kept[i]
                break
    return kept


def undoable(action: Action) -> bool:
    """Whether an undo may take ``action`` back."""
    return action.name not in act.NOT_UNDONE and action.name != act.UNDO


def fold(agenda: Agenda, actions: Iterable[Action], roll: RollClock | None = None) -> ShowState:
    """Replay ``actions`` from the initial state of ``agenda`` (with roll mode's ``roll``
    times, when the show has any)."""
    state = ShowState.initial(agenda, roll)
    for action in effective(actions):
        state = state.at(action.t)
        state.apply(action)
    return state
