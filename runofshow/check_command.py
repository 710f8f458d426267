"""``runofshow check AGENDA``: validate an agenda and print its planned timeline.

For a good agenda it prints the running order (planned start and end, length, limit, kind,
title and speaker, under each group's header), the totals, every command its cues would run
(so that a reviewer sees them before the show: the app runs none until the operator allows
them), and any warnings; for a broken
one, every error as ``PATH:LINE:COL: error: MESSAGE`` with a hint, so an editor can jump to
each. Columns are aligned in terminal cells: Korean, Chinese and Japanese characters take two.

``--assume SEGMENT=LENGTH`` (``pitch-2=6m``, ``vote=+1m``; repeatable) adds a what-if: the
timeline and end time the show would have if those segments ran those lengths, from the
engine's own projection (``ShowEngine.assuming``) of the show before it starts.

Exit status: 0 when the agenda loads (warnings allowed), 2 when it does not, or when
``--strict`` is given and there are warnings; 64 for a usage mistake (an assumption that
cannot be read included).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from typing import TextIO

from runofshow.core.agenda import Agenda, Segment
from runofshow.core.cells import cell_width, pad
from runofshow.core.consent import agenda_commands
from runofshow.core.loader import agenda_notes, agenda_warnings, load_agenda
from runofshow.core.media_probe import probe_videos, video_problems
from runofshow.core.problems import AgendaError, Problem, sorted_problems
from runofshow.core.timefmt import clock_of_day, hms, signed_duration
from runofshow.core.timeline import planned_end, planned_starts
from runofshow.exit_codes import EXIT_BAD_AGENDA, EXIT_OK, EXIT_USAGE

HEADERS = ("Start", "End", "Length", "Limit", "Kind", "Title", "Speaker")
RIGHT_ALIGNED = {2, 3}  # Length and Limit line up on their last digit
GAP = "  "


class _Parser(argparse.ArgumentParser):
    """argparse that exits with the usage status the rest of the command line uses."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="runofshow check",
        description="Check an agenda file and print its planned timeline.",
        epilog="Exit status: 0 the agenda is good (warnings allowed); 2 it has errors, or "
        "warnings with --strict; 64 a usage mistake. The format: docs/agenda-format.md",
    )
    parser.add_argument("agenda", metavar="AGENDA", help="the agenda .yaml file to check")
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 2 if there are any)"
    )
    parser.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="SEGMENT=LENGTH",
        help="what if SEGMENT (its id or number) ran LENGTH (6m, 5:30) or its slot +/- a "
        "length (+1m, -30s)? Prints the new timeline and end time; repeatable",
    )
    return parser


def main(argv: Sequence[str], out: TextIO | None = None) -> int:
    """Run the check; print to ``out`` (stdout by default) and return the exit status."""
    out = out or sys.stdout
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        agenda = load_agenda(args.agenda)
    except AgendaError as exc:
        _print_problems(exc.problems, out)
        count = exc.found
        print(f"\n{count} error{'s' * (count != 1)}: the agenda was not loaded", file=out)
        return EXIT_BAD_AGENDA
    what_if = _what_if(agenda, args.assume, out) if args.assume else ""
    if what_if is None:
        return EXIT_USAGE
    probes = probe_videos(agenda)
    warnings = sorted_problems([*agenda_warnings(agenda), *video_problems(agenda, probes)])
    out.write(render_timeline(agenda))
    for probe in probes:
        print(probe.summary(), file=out)
    out.write("\n" + render_commands(agenda))
    notes = agenda_notes(agenda)
    if notes:
        print(file=out)
        _print_problems(notes, out)
    if warnings:
        print(file=out)
        _print_problems(warnings, out)
    out.write(what_if)
    print(_verdict(warnings, args.strict), file=out)
    return EXIT_BAD_AGENDA if warnings and args.strict else EXIT_OK


def _what_if(agenda: Agenda, assumptions: list[str], out: TextIO) -> str | None:
    """The what-if section, or None (said on ``out``) when an assumption cannot be read."""
    from runofshow.core.planning import AssumptionError, parse_assumptions

    try:
        slots = parse_assumptions(assumptions, agenda)
    except AssumptionError as exc:
        print(f"runofshow check: --assume {exc.message}\n  hint: {exc.hint}", file=out)
        return None
    return "\n" + render_what_if(agenda, slots)


def render_what_if(agenda: Agenda, slots: dict[int, float]) -> str:
    """The running order as it would be with ``slots``: the engine's projection of the show
    before it starts, each start against the plan, and the new end."""
    from runofshow.core.clock import FrozenClock
    from runofshow.core.engine import ShowEngine

    probe = ShowEngine(agenda, FrozenClock(0.0, 0.0, "check"), show_date=agenda.event.date)
    before = probe.instant_of_day(agenda.event.start_s) - 60  # a minute before the show
    plan = ShowEngine(
        agenda, FrozenClock(before, before, "check"), show_date=agenda.event.date
    ).assuming(slots)
    timeline = plan.timeline()
    lines = ["What if " + ", ".join(_assumed(agenda.segments[i], s) for i, s in slots.items())]
    rows: list[tuple[str, ...]] = [("Start", "End", "Length", "Moves", "Title")]
    for times in timeline.segments:
        seg = agenda.segments[times.index]
        moved = round(times.projected_start - times.planned_start)
        rows.append(
            (
                _seconds_text(plan, times.projected_start),
                _seconds_text(plan, times.projected_end, end=True),
                hms(round(times.projected_end - times.projected_start)),
                signed_duration(moved) if moved else "",
                _title(agenda, seg),
            )
        )
    widths = [max(cell_width(row[i]) for row in rows) for i in range(5)]
    lines += [_format_row(row, widths, right={2}) for row in rows]
    drift = round(timeline.projected_end - timeline.planned_end)
    ends = _seconds_text(plan, timeline.projected_end, end=True)
    planned = _seconds_text(plan, timeline.planned_end, end=True)
    lines.append(f"ends {ends} ({_against_plan(drift)} the planned {planned})")
    return "\n".join(lines) + "\n"


def _assumed(segment: Segment, seconds: float) -> str:
    delta = round(seconds) - segment.duration_s
    return f"{segment.id} {hms(round(seconds))} ({signed_duration(delta)})"


def _against_plan(drift: int) -> str:
    if drift == 0:
        return "on"
    return f"{hms(abs(drift))} {'later than' if drift > 0 else 'earlier than'}"


def _seconds_text(engine, wall: float, *, end: bool = False) -> str:
    """A wall time as ``check`` shows times of day (marked ``+1`` on the next day)."""
    local = engine.local_time(wall)
    days = (local.date() - engine.show_date).days
    seconds = days * 86400 + local.hour * 3600 + local.minute * 60 + local.second
    return clock_of_day(seconds, end=end)


def _print_problems(problems: list[Problem], out: TextIO) -> None:
    for problem in problems:
        print(problem.format(), file=out)


def _verdict(warnings: list[Problem], strict: bool) -> str:
    if not warnings:
        return "\nOK: no errors, no warnings"
    count = f"{len(warnings)} warning{'s' * (len(warnings) != 1)}"
    return f"\n{count} (--strict: failing)" if strict else f"\nOK: no errors, {count}"


# -- the commands a reviewer must see ----------------------------------------------------------


def render_commands(agenda: Agenda) -> str:
    """Every command the agenda's cues would run: the segment that fires it, its argv quoted
    as a shell would need it (``shlex.join``; it is never run through a shell), its timeout,
    and whether it is left running (``detach``)."""
    commands = agenda_commands(agenda)
    if not commands:
        return "This agenda runs no commands.\n"
    lines = [
        f"Commands this agenda runs ({len(commands)}; the app asks the operator before it"
        " runs any):"
    ]
    for command in commands:
        lines.append(f"  segment {command.number}  {command.title}")
        lines.append(f"    {shlex.join(command.argv)}")
        if command.detach:
            lines.append(
                f"    detach: left running (not stopped at its timeout nor when the app"
                f" quits); {command.timeout_s} s to start"
            )
        else:
            lines.append(f"    timeout {command.timeout_s} s")
    return "\n".join(lines) + "\n"


# -- the timeline table ----------------------------------------------------------------------


class _Subtitle(str):
    """A segment's subtitle, printed on its own line under the title column."""


TITLE_COLUMN = HEADERS.index("Title")


def render_timeline(agenda: Agenda) -> str:
    """The header, the aligned running order with group rows, and the totals, as text."""
    lines = _event_lines(agenda)
    rows = _segment_rows(agenda)
    table_rows: list[tuple[str, ...]] = [HEADERS, *(r for r in rows if isinstance(r, tuple))]
    widths = [max(cell_width(row[i]) for row in table_rows) for i in range(len(HEADERS))]
    title_indent = " " * (sum(widths[:TITLE_COLUMN]) + len(GAP) * TITLE_COLUMN + 2)
    for row in [HEADERS, *rows]:
        if isinstance(row, _Subtitle):
            lines.append(title_indent + row)
        else:
            lines.append(row if isinstance(row, str) else _format_row(row, widths))
    lines.append("")
    lines.extend(_totals(agenda))
    return "\n".join(lines) + "\n"


def _format_row(
    row: tuple[str, ...], widths: list[int], right: set[int] | frozenset[int] = RIGHT_ALIGNED
) -> str:
    cells = [pad(cell, widths[i], right=i in right) for i, cell in enumerate(row[:-1])]
    return GAP.join([*cells, row[-1]]).rstrip()


def _event_lines(agenda: Agenda) -> list[str]:
    event = agenda.event
    title = [event.title, event.subtitle] if event.subtitle else [event.title]
    span = f"{clock_of_day(event.start_s)}–{clock_of_day(event.end_s, end=True)}"
    where = [event.date.isoformat(), span]
    if event.venue:
        where.append(event.venue)
    if event.timezone:
        where.append(f"({event.timezone})")
    return [*title, "  ".join(where), ""]


def _segment_rows(agenda: Agenda) -> list[tuple[str, ...] | str]:
    """Table rows and, where a group begins, its header line (a plain string)."""
    rows: list[tuple[str, ...] | str] = []
    starts = planned_starts(agenda)
    previous_end = agenda.event.start_s
    for seg, start in zip(agenda.segments, starts, strict=True):
        group = agenda.group_of(seg)
        if group is not None and group.first == seg.index:
            rows.append(_group_header(agenda, group.index))
        if seg.fixed_start_s is not None and seg.index > 0:
            rows.extend(_before_fixed(seg.fixed_start_s, previous_end))
        rows.append(_segment_row(agenda, seg, start))
        if seg.subtitle:
            rows.append(_Subtitle(seg.subtitle))
        previous_end = start + seg.duration_s
    return rows


def _before_fixed(fixed: int, previous_end: int) -> list[str]:
    """A line before a fixed start: the gap the plan leaves before it, or the overlap of the
    segments before it that run past it."""
    at = clock_of_day(fixed)
    if previous_end < fixed:
        return [f"   · {hms(fixed - previous_end)} free before the fixed start {at}"]
    if previous_end > fixed:
        return [f"   · overlap: the segments before run {hms(previous_end - fixed)} past {at}"]
    return []


def _title(agenda: Agenda, seg: Segment) -> str:
    """The title, marked ``└`` when it is tied to the one before it (a pitch's Q&A)."""
    return f"└ {seg.title}" if agenda.tied_to_previous(seg) else seg.title


def _group_header(agenda: Agenda, index: int) -> str:
    group = agenda.groups[index]
    total = sum(agenda.segments[i].duration_s for i in group.segment_indexes())
    length = hms(total) + (f", target {hms(group.target_s)}" if group.target_s else "")
    subtitle = f" — {group.subtitle}" if group.subtitle else ""
    return f"── {group.title}{subtitle} ({length})"


def _segment_row(agenda: Agenda, seg: Segment, start: int) -> tuple[str, ...]:
    fixed = "*" if seg.fixed_start_s is not None else " "
    return (
        clock_of_day(start) + fixed,
        clock_of_day(start + seg.duration_s, end=True),
        hms(seg.duration_s),
        hms(seg.limit_s) if seg.limit_s is not None else "",
        str(seg.kind),
        _title(agenda, seg),
        seg.speaker or "",
    )


def _totals(agenda: Agenda) -> list[str]:
    segments, groups = len(agenda.segments), len(agenda.groups)
    end = planned_end(agenda)
    lines = [
        f"{segments} segment{'s' * (segments != 1)} in {groups} group{'s' * (groups != 1)}, "
        f"planned {hms(agenda.planned_total_s)}: "
        f"{clock_of_day(agenda.event.start_s)}–{clock_of_day(end, end=True)} "
        f"(declared end {clock_of_day(agenda.event.end_s, end=True)})"
    ]
    if any(seg.fixed_start_s is not None for seg in agenda.segments):
        lines.append("* fixed start (at:)")
    if agenda.rolls:
        rolled = sum(seg.roll for seg in agenda.segments)
        lines.append(f"roll mode: {rolled} segment{'s' * (rolled != 1)} start by the clock")
    return lines
