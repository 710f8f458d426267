"""The post-show report: planned against actual, segment by segment, from the journal.

The report is not a second computation of the show. It builds a ``ShowEngine`` over the stored
actions with a clock frozen at the show's end (or at "now" for a show that has not ended) and
reads ``engine.timeline()`` — the very fold the operator's screen showed live, so the report
cannot disagree with what happened on stage.

Two overruns are given per segment, because they answer two questions:

- ``over_slot_s``: running time beyond the *planned slot* (``duration``), which is what pushed
  the rest of the show later. Time added on stage does not excuse it.
- ``over_limit_s``: running time beyond what the speaker was counting down (the ``limit``, or the
  slot when there is none, plus any time added): the overtime the speaker saw as ``+0:42``.

Output is a table (aligned for Korean text: East Asian wide characters take two cells), CSV or
JSON; times of day are ISO 8601 with the show's UTC offset.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from runofshow.core.actions import Action, MemoryJournal
from runofshow.core.agenda import Agenda
from runofshow.core.cells import cell_width, pad, truncate
from runofshow.core.clock import FrozenClock, RehearsalClock, SystemClock
from runofshow.core.engine import SegmentTimes, ShowEngine, Status
from runofshow.core.journal import AsideEntry, ShowRecord
from runofshow.core.resume import folds_to_end
from runofshow.core.timefmt import day_mark, drift_text, hms

__all__ = [
    "AsideReport",
    "SegmentReport",
    "ShowReport",
    "build_report",
    "clock_text",
    "pad",
    "render_csv",
    "render_json",
    "render_table",
]


@dataclass(frozen=True, slots=True)
class SegmentReport:
    """One segment, planned against actual. Durations are seconds; times are local datetimes."""

    index: int
    id: str
    title: str
    kind: str
    group: str | None
    planned_start: dt.datetime
    planned_end: dt.datetime
    planned_duration_s: int
    limit_s: int | None
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None  # None while it is still running, or if it never ran
    actual_duration_s: float  # running time: pauses excluded
    over_slot_s: float
    over_limit_s: float
    pauses: int
    added_s: float
    status: str  # done | running | paused | skipped | not reached
    tied_to: int | None = None  # the pitch this Q&A is tied to (``then:``): one item, two timers
    planned_slot_s: float | None = None  # the slot a plan gave it, when one did

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "group": self.group,
            "planned_start": self.planned_start.isoformat(),
            "planned_end": self.planned_end.isoformat(),
            "planned_duration_s": self.planned_duration_s,
            "limit_s": self.limit_s,
            "actual_start": _iso(self.actual_start),
            "actual_end": _iso(self.actual_end),
            "actual_duration_s": round(self.actual_duration_s, 3),
            "over_slot_s": round(self.over_slot_s, 3),
            "over_limit_s": round(self.over_limit_s, 3),
            "pauses": self.pauses,
            "added_s": round(self.added_s, 3),
            "status": self.status,
            "tied_to": self.tied_to,
            "planned_slot_s": None if self.planned_slot_s is None else round(self.planned_slot_s),
        }


@dataclass(frozen=True, slots=True)
class AsideReport:
    """An action a primary journaled that is not part of the show: another machine took
    over without it (docs/two-machines.md). Listed, never folded in."""

    seq: int
    name: str
    args: dict[str, Any]
    source: str
    term: int
    at: dt.datetime  # when it was journaled
    takeover: dt.datetime  # the takeover after which it does not count
    found_on: str  # the machine that had it

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "name": self.name,
            "args": self.args,
            "source": self.source,
            "term": self.term,
            "at": self.at.isoformat(),
            "takeover": self.takeover.isoformat(),
            "found_on": self.found_on,
        }


@dataclass(frozen=True, slots=True)
class ShowReport:
    """A whole show: where it came from, its segments, and its planned and actual end."""

    title: str
    show_id: int
    mode: str
    show_date: dt.date
    agenda_path: str
    ended: bool
    as_of: dt.datetime  # the instant the report's clock was frozen at
    planned_start: dt.datetime
    planned_end: dt.datetime
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None  # None unless the show ended
    projected_end: dt.datetime  # the actual end when ended, else the projection as of as_of
    drift_s: float  # projected (or actual) end against the plan; positive: late
    segments: tuple[SegmentReport, ...]
    set_aside: tuple[AsideReport, ...] = ()  # not part of the show after a takeover
    term: int = 0  # takeovers so far (docs/two-machines.md)
    takeover: dt.datetime | None = None  # when the latest one was, None if never

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "show_id": self.show_id,
            "mode": self.mode,
            "show_date": self.show_date.isoformat(),
            "agenda_path": self.agenda_path,
            "ended": self.ended,
            "as_of": self.as_of.isoformat(),
            "planned_start": self.planned_start.isoformat(),
            "planned_end": self.planned_end.isoformat(),
            "actual_start": _iso(self.actual_start),
            "actual_end": _iso(self.actual_end),
            "projected_end": self.projected_end.isoformat(),
            "drift_s": round(self.drift_s, 3),
            "segments": [s.to_json() for s in self.segments],
            "set_aside": [a.to_json() for a in self.set_aside],
            "term": self.term,
            "takeover": _iso(self.takeover),
        }


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# -- building -------------------------------------------------------------------------------
def build_report(
    agenda: Agenda,
    record: ShowRecord,
    actions: Sequence[Action],
    *,
    now_wall: float | None = None,
    set_aside: Sequence[AsideEntry] = (),
) -> ShowReport:
    """Rebuild show ``record`` from its journaled ``actions`` and read off its timeline.

    The engine's clock is frozen at the show's end: the instant of the action that ended it,
    else the stored end, else ``now_wall`` (default: the current time on the show's own clock,
    simulated for a rehearsal), so a show still running is reported as of now.

    ``set_aside``: actions a primary journaled that another machine took over without
    (``ShowStore.set_aside_entries``): listed after the segments, not folded in.
    """
    actions = list(actions)
    clock = _frozen_clock(agenda, record, actions, now_wall)
    opened = record.anchor.sim_wall if record.anchor is not None else record.created_wall
    engine = ShowEngine(
        agenda,
        clock,
        MemoryJournal(actions),
        mode=record.mode,
        show_date=record.show_date,
        opened_wall=opened,
    )
    now = engine.now()
    ended = now.status is Status.ENDED
    timeline = engine.timeline()
    rows = tuple(_segment_report(engine, r, now.index, now.status) for r in timeline.segments)
    starts = [r.actual_start for r in rows if r.actual_start is not None]
    local = engine.local_time
    return ShowReport(
        title=agenda.event.title,
        show_id=record.id,
        mode=record.mode,
        show_date=record.show_date,
        agenda_path=record.agenda_path,
        ended=ended,
        as_of=local(clock.wall()),
        planned_start=rows[0].planned_start if rows else local(now.planned_end),
        planned_end=local(now.planned_end),
        actual_start=min(starts) if starts else None,
        actual_end=local(now.projected_end) if ended else None,
        projected_end=local(now.projected_end),
        drift_s=now.drift_s,
        segments=rows,
        set_aside=tuple(_aside(local, a) for a in set_aside),
        term=record.term,
        takeover=None if record.term_wall is None else local(record.term_wall),
    )


def _aside(local: Callable[[float], dt.datetime], aside: AsideEntry) -> AsideReport:
    action = aside.entry.action
    return AsideReport(
        seq=action.seq,
        name=action.name,
        args=dict(action.args),
        source=action.source,
        term=aside.entry.term,
        at=local(action.wall),
        takeover=local(aside.takeover_wall),
        found_on=aside.found_on,
    )


def _frozen_clock(
    agenda: Agenda, record: ShowRecord, actions: list[Action], now_wall: float | None
) -> FrozenClock:
    """A clock standing still at the show's end, on the show clock of its last action.

    Actions of the last action's boot are read on their own monotonic axis (exact); earlier
    boots are placed by the wall clock, exactly as a resumed engine places them.
    """
    end_wall = _end_wall(agenda, record, actions, now_wall)
    if not actions:
        return FrozenClock(end_wall, end_wall, boot_id="report")
    last = actions[-1]
    return FrozenClock(end_wall, last.t + (end_wall - last.wall), boot_id=last.boot_id)


def _end_wall(
    agenda: Agenda, record: ShowRecord, actions: list[Action], now_wall: float | None
) -> float:
    last_wall = actions[-1].wall if actions else record.created_wall
    if folds_to_end(agenda, actions):
        return last_wall
    if record.ended_wall is not None:
        return max(record.ended_wall, last_wall)
    return max(_show_clock_now(record) if now_wall is None else now_wall, last_wall)


def _show_clock_now(record: ShowRecord) -> float:
    """The current wall time on the show's clock: the real one, or the rehearsal's own."""
    if record.anchor is None:
        return time.time()
    return RehearsalClock(SystemClock(), record.anchor).wall()


def _segment_report(
    engine: ShowEngine, row: SegmentTimes, current: int, status: Status
) -> SegmentReport:
    agenda = engine.agenda
    segment = agenda.segments[row.index]
    group = agenda.group_of(segment)
    started = row.actual_start is not None
    local = engine.local_time
    planned_slot = None if round(row.slot_s - row.added_s) == segment.duration_s else row.slot_s
    return SegmentReport(
        index=row.index,
        id=segment.id,
        title=segment.title,
        kind=str(segment.kind),
        group=None if group is None else group.title,
        planned_start=local(row.planned_start),
        planned_end=local(row.planned_end),
        planned_duration_s=segment.duration_s,
        limit_s=segment.limit_s,
        actual_start=local(row.actual_start) if row.actual_start is not None else None,
        actual_end=local(row.actual_end) if row.actual_end is not None else None,
        actual_duration_s=row.elapsed_s,
        over_slot_s=max(0.0, row.elapsed_s - segment.duration_s) if started else 0.0,
        over_limit_s=row.over_limit_s,
        pauses=row.pauses,
        added_s=row.added_s,
        status=_status(row, current, status),
        tied_to=row.index - 1 if agenda.tied_to_previous(segment) else None,
        planned_slot_s=planned_slot,
    )


def _status(row: SegmentTimes, current: int, status: Status) -> str:
    if row.actual_start is None:
        passed = status is Status.ENDED or row.index < current
        return "skipped" if passed else "not reached"
    if row.index == current and status in (Status.RUNNING, Status.PAUSED):
        return str(status)
    return "done"


# -- text width -----------------------------------------------------------------------------
# -- rendering ------------------------------------------------------------------------------
TITLE_CELLS = 44
_TABLE_COLUMNS = (
    # header, right-aligned
    ("#", True),
    ("Segment", False),
    ("Planned", False),
    ("Slot", True),
    ("Limit", True),
    ("Start", False),
    ("End", False),
    ("Ran", True),
    ("Over slot", True),
    ("Over limit", True),
    ("Pauses", True),
    ("Added", True),
    ("Status", False),
)


def clock_text(value: dt.datetime | None, show_date: dt.date) -> str:
    """``15:02:10``; ``00:10:00 +1`` on the day after the show's date (a show past
    midnight); ``-`` for no time."""
    if value is None:
        return "-"
    return value.strftime("%H:%M:%S") + day_mark((value.date() - show_date).days)


SLOT_TOLERANCE_S = 2  # a key pressed a second or two late has not run a segment over its slot


def nearest_second(seconds: float) -> int:
    """To the nearest whole second, halves up (Python's ``round`` rounds halves to even,
    which made 30.5 s "0:30" here and "0:31" there)."""
    return math.floor(seconds + 0.5)


def over_slot(segment: SegmentReport) -> int:
    """Whole seconds the segment ran past its slot, as the table and the chart both show it:
    to the nearest second, and 0 within ``SLOT_TOLERANCE_S`` (an MC's reaction time, not an
    overrun)."""
    whole = nearest_second(segment.over_slot_s)
    return whole if whole > SLOT_TOLERANCE_S else 0


def over_limit(segment: SegmentReport) -> int:
    """Whole seconds past a hard limit (the nearest second; a limit has no tolerance)."""
    return max(0, nearest_second(segment.over_limit_s))


def _over(seconds: int) -> str:
    return f"+{hms(seconds)}" if seconds > 0 else ""


def _added(seconds: float) -> str:
    whole = round(seconds)
    return "" if whole == 0 else f"{'+' if whole > 0 else '-'}{hms(abs(whole))}"


def _table_cells(s: SegmentReport, day: dt.date) -> list[str]:
    return [
        str(s.index + 1),
        truncate(title_shown(s), TITLE_CELLS),
        clock_text(s.planned_start, day),
        slot_text(s),
        "-" if s.limit_s is None else hms(s.limit_s),
        clock_text(s.actual_start, day),
        clock_text(s.actual_end, day),
        hms(round(s.actual_duration_s)) if s.actual_start else "-",
        _over(over_slot(s)),
        _over(over_limit(s)),
        str(s.pauses) if s.pauses else "",
        _added(s.added_s),
        s.status,
    ]


def title_shown(s: SegmentReport) -> str:
    """The title, marked ``└`` when it is the second timer of a pair (a pitch's Q&A)."""
    return f"└ {s.title}" if s.tied_to is not None else s.title


def slot_text(s: SegmentReport) -> str:
    """The planned slot, and the one a plan gave it (``4:30→3:30``)."""
    planned = hms(s.planned_duration_s)
    if s.planned_slot_s is None:
        return planned
    return f"{planned}→{hms(round(s.planned_slot_s))}"


def render_table(report: ShowReport) -> str:
    """The report as an aligned text table with a heading and the show's planned/actual end."""
    header = [name for name, _ in _TABLE_COLUMNS]
    rows = [_table_cells(s, report.show_date) for s in report.segments]
    widths = [max(cell_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [pad(cell, widths[i], right=_TABLE_COLUMNS[i][1]) for i, cell in enumerate(cells)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(header), rule, *map(line, rows), rule]
    return "\n".join([*_heading(report), "", *body, *_footer(report)]) + "\n"


def _heading(report: ShowReport) -> list[str]:
    kind = "rehearsal" if report.mode == "rehearsal" else "live show"
    as_of = clock_text(report.as_of, report.show_date)
    state = "ended" if report.ended else f"not ended; as of {as_of}"
    return [
        report.title,
        f"{kind} #{report.show_id} on {report.show_date.isoformat()} ({state})",
        f"agenda: {report.agenda_path}",
    ]


def _footer(report: ShowReport) -> list[str]:
    day = report.show_date
    lines = [
        f"Planned: {clock_text(report.planned_start, day)} - {clock_text(report.planned_end, day)}",
    ]
    if report.ended:
        actual = f"{clock_text(report.actual_start, day)} - {clock_text(report.actual_end, day)}"
        lines.append(f"Actual:  {actual} ({drift_text(report.drift_s)})")
    else:
        projected = clock_text(report.projected_end, day)
        lines.append(f"Projected end: {projected} ({drift_text(report.drift_s)})")
    if report.takeover is not None:
        lines.append(
            f"Taken over at {clock_text(report.takeover, day)} (term {report.term}): run from"
            " the laptop that took over from then on"
        )
    return lines + _aside_lines(report)


def aside_heading(takeover: dt.datetime, day: dt.date) -> str:
    """``Not part of the show after the takeover at 15:21:04``: the words the report (and the
    app's notice) give the actions a takeover left out."""
    return f"Not part of the show after the takeover at {clock_text(takeover, day)}"


def _aside_lines(report: ShowReport) -> list[str]:
    """Actions another machine took over without, grouped by takeover: what they were, when,
    and where they were found; they are not in the times above."""
    day = report.show_date
    lines: list[str] = []
    for takeover in sorted({a.takeover for a in report.set_aside}):
        kept = [a for a in report.set_aside if a.takeover == takeover]
        lines += ["", f"{aside_heading(takeover, day)} (kept aside, not in the times above):"]
        for a in kept:
            args = ", ".join(f"{k}={v}" for k, v in sorted(a.args.items()))
            what = f"{a.name}({args})" if args else a.name
            by = f" from {a.source}" if a.source else ""
            lines.append(f"  {clock_text(a.at, day)}  #{a.seq} {what}{by}, on {a.found_on}")
    return lines


CSV_FIELDS = (
    "index",
    "id",
    "title",
    "kind",
    "group",
    "planned_start",
    "planned_end",
    "planned_duration_s",
    "limit_s",
    "actual_start",
    "actual_end",
    "actual_duration_s",
    "over_slot_s",
    "over_limit_s",
    "pauses",
    "added_s",
    "status",
    "tied_to",
    "planned_slot_s",
)


def render_csv(report: ShowReport) -> str:
    """One row per segment, the JSON segment fields as columns (empty for none)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for segment in report.segments:
        data = segment.to_json()
        writer.writerow({k: "" if data[k] is None else data[k] for k in CSV_FIELDS})
    return out.getvalue()


def render_json(report: ShowReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
