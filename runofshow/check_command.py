"""``runofshow check AGENDA``: validate an agenda and print its planned timeline.

For a good agenda it prints the running order (planned start and end, length, limit, kind,
title and speaker, under each group's header), the totals, every command its cues would run
(so that a reviewer sees them before the show: the app runs none until the operator allows
them), and any warnings; for a broken
one, every error as ``PATH:LINE:COL: error: MESSAGE`` with a hint, so an editor can jump to
each. Columns are aligned in terminal cells: Korean, Chinese and Japanese characters take two.

Exit status: 0 when the agenda loads (warnings allowed), 2 when it does not, or when
``--strict`` is given and there are warnings; 64 for a usage mistake.
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
from runofshow.core.loader import agenda_warnings, load_agenda
from runofshow.core.media_probe import probe_videos, video_problems
from runofshow.core.problems import AgendaError, Problem, sorted_problems
from runofshow.core.timefmt import clock_of_day, hms
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
    probes = probe_videos(agenda)
    warnings = sorted_problems([*agenda_warnings(agenda), *video_problems(agenda, probes)])
    out.write(render_timeline(agenda))
    for probe in probes:
        print(probe.summary(), file=out)
    out.write("\n" + render_commands(agenda))
    if warnings:
        print(file=out)
        _print_problems(warnings, out)
    print(_verdict(warnings, args.strict), file=out)
    return EXIT_BAD_AGENDA if warnings and args.strict else EXIT_OK


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


def _format_row(row: tuple[str, ...], widths: list[int]) -> str:
    cells = [pad(cell, widths[i], right=i in RIGHT_ALIGNED) for i, cell in enumerate(row[:-1])]
    return GAP.join([*cells, row[-1]]).rstrip()


def _event_lines(agenda: Agenda) -> list[str]:
    event = agenda.event
    title = [event.title, event.subtitle] if event.subtitle else [event.title]
    where = [event.date.isoformat(), f"{clock_of_day(event.start_s)}–{clock_of_day(event.end_s)}"]
    if event.venue:
        where.append(event.venue)
    if event.timezone:
        where.append(f"({event.timezone})")
    return [*title, "  ".join(where), ""]


def _segment_rows(agenda: Agenda) -> list[tuple[str, ...] | str]:
    """Table rows and, where a group begins, its header line (a plain string)."""
    rows: list[tuple[str, ...] | str] = []
    starts = planned_starts(agenda)
    for seg, start in zip(agenda.segments, starts, strict=True):
        group = agenda.group_of(seg)
        if group is not None and group.first == seg.index:
            rows.append(_group_header(agenda, group.index))
        rows.append(_segment_row(seg, start))
        if seg.subtitle:
            rows.append(_Subtitle(seg.subtitle))
    return rows


def _group_header(agenda: Agenda, index: int) -> str:
    group = agenda.groups[index]
    total = sum(agenda.segments[i].duration_s for i in group.segment_indexes())
    length = hms(total) + (f", target {hms(group.target_s)}" if group.target_s else "")
    subtitle = f" — {group.subtitle}" if group.subtitle else ""
    return f"── {group.title}{subtitle} ({length})"


def _segment_row(seg: Segment, start: int) -> tuple[str, ...]:
    fixed = "*" if seg.fixed_start_s is not None else " "
    return (
        clock_of_day(start) + fixed,
        clock_of_day(start + seg.duration_s),
        hms(seg.duration_s),
        hms(seg.limit_s) if seg.limit_s is not None else "",
        str(seg.kind),
        seg.title,
        seg.speaker or "",
    )


def _totals(agenda: Agenda) -> list[str]:
    segments, groups = len(agenda.segments), len(agenda.groups)
    end = planned_end(agenda)
    lines = [
        f"{segments} segment{'s' * (segments != 1)} in {groups} group{'s' * (groups != 1)}, "
        f"planned {hms(agenda.planned_total_s)}: "
        f"{clock_of_day(agenda.event.start_s)}–{clock_of_day(end)} "
        f"(declared end {clock_of_day(agenda.event.end_s)})"
    ]
    if any(seg.fixed_start_s is not None for seg in agenda.segments):
        lines.append("* fixed start")
    return lines
