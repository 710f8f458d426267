"""``runofshow import RUNDOWN.xlsx|.csv -o AGENDA.yaml``: a producer's spreadsheet as an agenda.

The agenda is written only when the whole sheet reads cleanly; otherwise every error is
printed, each naming its cell (``rundown.xlsx:Sheet1!C7: error: …``) with a hint, and nothing
is written. What the import assumed (the encoding, a title taken from a cell, an end taken from
the last segment) is printed as notes. Exit status: 0 written (warnings allowed), 2 the sheet
has errors, 3 the agenda could not be written, 64 a usage mistake.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from runofshow._command_parser import CommandParser, iso_date, parse, time_of_day, time_zone
from runofshow.core.rundown.columns import FIELDS, ColumnMap, parse_map
from runofshow.exit_codes import EXIT_BAD_AGENDA, EXIT_IO, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from runofshow.core.agenda import Agenda


EPILOG = f"""\
Columns are found by their header, in Korean or English: 시간/시작/start, 종료/end,
분량/길이/duration, 제한/limit, 제목/내용/title, 부제/subtitle, 발표자/speaker, 구분/kind,
큐/cue, 비고/notes, 그룹/group, 고정 시작/fixed start, … (docs/rundowns.md lists them all).
--map FIELD=COLUMN names a column by letter (D) or header text; fields: {", ".join(FIELDS)}.

exit status: 0 the agenda was written; 2 the sheet has errors (nothing written);
3 the agenda could not be written; 64 a usage mistake.
"""


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="runofshow import",
        description="Turn a rundown spreadsheet (.xlsx or .csv) into an agenda file.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("rundown", type=Path, metavar="RUNDOWN", help="the .xlsx or .csv file")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="AGENDA.yaml",
        help="where to write the agenda (default: print it)",
    )  # fmt: skip
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first "
                        "with a header row)")  # fmt: skip
    parser.add_argument("--header-row", type=int, metavar="N", help="the header is row N")
    parser.add_argument(
        "--map", action="append", default=[], metavar="FIELD=COLUMN",
        help="read FIELD from COLUMN (a letter or the header's text); repeatable",
    )  # fmt: skip
    parser.add_argument("--title", help="the event's title")
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the event's date")
    parser.add_argument("--start", type=time_of_day, metavar="HH:MM", help="the event's start")
    parser.add_argument("--end", type=time_of_day, metavar="HH:MM", help="the event's end")
    parser.add_argument("--timezone", type=time_zone, metavar="ZONE", help="e.g. Asia/Seoul")
    parser.add_argument("--venue", help="where the event is")
    return parser


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the import; the agenda goes to -o (or ``out``), messages to ``err``."""
    out, err = out or sys.stdout, err or sys.stderr
    args = parse(_parser(), list(argv))
    if isinstance(args, int):
        return args
    maps = _maps(args.map, err)
    if maps is None:
        return EXIT_USAGE
    if args.header_row is not None and args.header_row < 1:
        print("runofshow import: error: --header-row counts from 1", file=err)
        return EXIT_USAGE
    return _import(args, maps, out, err)


def _maps(texts: list[str], err: TextIO) -> list[ColumnMap] | None:
    maps: list[ColumnMap] = []
    for text in texts:
        try:
            maps.extend(parse_map(text))
        except ValueError as exc:
            print(f"runofshow import: error: {exc}", file=err)
            return None
    return maps


def _import(args: argparse.Namespace, maps: list[ColumnMap], out: TextIO, err: TextIO) -> int:
    from runofshow.core.rundown.importer import ImportOptions, import_rundown
    from runofshow.core.rundown.problems import RundownError

    options = ImportOptions(
        sheet=args.sheet,
        header_row=args.header_row,
        maps=tuple(maps),
        title=args.title,
        date=args.date,
        start=args.start,
        end=args.end,
        timezone=args.timezone,
        venue=args.venue,
    )
    target = args.output or Path.cwd() / args.rundown.with_suffix(".yaml").name
    try:
        imported = import_rundown(args.rundown, options, agenda_path=target.resolve())
    except RundownError as exc:
        for problem in exc.problems:
            print(problem.format(), file=err)
        count = len(exc.errors)
        print(f"\n{count} error{'s' * (count != 1)}: no agenda was written", file=err)
        return EXIT_BAD_AGENDA
    for problem in imported.problems:
        print(problem.format(), file=err)
    if args.output is None:
        out.write(imported.yaml)
        return EXIT_OK
    try:
        args.output.write_text(imported.yaml, encoding="utf-8")
    except OSError as exc:
        print(f"runofshow import: cannot write {args.output}: {exc.strerror or exc}", file=err)
        return EXIT_IO
    warnings = sum(1 for p in imported.problems if _is_warning(p))
    print(_summary(imported.agenda, args.output, warnings), file=err)
    return EXIT_OK


def _is_warning(problem: object) -> bool:
    """A sheet warning, or an agenda warning the import could not tie to a cell."""
    level = getattr(problem, "level", None) or getattr(problem, "severity", None)
    return str(level) == "warning"


def _summary(agenda: Agenda, path: Path, warnings: int) -> str:
    from runofshow.core.timefmt import clock_of_day
    from runofshow.core.timeline import planned_end

    segments, groups = len(agenda.segments), len(agenda.groups)
    span = f"{clock_of_day(agenda.event.start_s)[:5]}–{clock_of_day(planned_end(agenda))[:5]}"
    told = f"; {warnings} warning{'s' * (warnings != 1)} above" if warnings else ""
    return (
        f"wrote {path}: {segments} segment{'s' * (segments != 1)} in {groups} "
        f"group{'s' * (groups != 1)}, {span}{told}. Check it with: runofshow check {path}"
    )
