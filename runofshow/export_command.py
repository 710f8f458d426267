"""``runofshow export AGENDA.yaml -o RUNDOWN.xlsx|.csv``: an agenda as a rundown spreadsheet.

The spreadsheet is the one ``runofshow import`` reads back into the same agenda (every field
a sheet carries); the words of its headers are Korean or English (``--lang``; by default
Korean when the event's title is). Exit status: 0 written, 2 the agenda has errors (printed as
``check`` prints them), 3 the file could not be written, 64 a usage mistake.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from runofshow._command_parser import CommandParser, parse
from runofshow.exit_codes import EXIT_BAD_AGENDA, EXIT_IO, EXIT_OK, EXIT_USAGE

SUFFIXES = (".xlsx", ".csv")


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="runofshow export",
        description="Write an agenda as a rundown spreadsheet (.xlsx or .csv).",
        epilog="exit status: 0 written; 2 the agenda has errors; 3 the file could not be "
        "written; 64 a usage mistake. The layout: docs/rundowns.md",
    )
    parser.add_argument("agenda", type=Path, metavar="AGENDA", help="the agenda .yaml file")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="RUNDOWN",
        help="the spreadsheet to write: .xlsx or .csv (UTF-8 with a byte-order mark)",
    )  # fmt: skip
    parser.add_argument(
        "--lang", choices=("en", "ko"),
        help="the language of the headers (default: Korean if the event's title is)",
    )  # fmt: skip
    return parser


def main(argv: Sequence[str], err: TextIO | None = None) -> int:
    err = err or sys.stderr
    args = parse(_parser(), list(argv))
    if isinstance(args, int):
        return args
    if args.output.suffix.lower() not in SUFFIXES:
        print(
            f"runofshow export: error: {args.output.name}: write an .xlsx or a .csv file",
            file=err,
        )
        return EXIT_USAGE
    from runofshow.core.loader import load_agenda
    from runofshow.core.problems import AgendaError
    from runofshow.core.rundown.exporter import export_rundown
    from runofshow.core.rundown.values import guess_lang

    try:
        agenda = load_agenda(args.agenda)
    except AgendaError as exc:
        for problem in exc.problems:
            print(problem.format(), file=err)
        return EXIT_BAD_AGENDA
    try:
        table = export_rundown(agenda, args.output, args.lang or guess_lang(agenda))
    except OSError as exc:
        print(f"runofshow export: cannot write {args.output}: {exc.strerror or exc}", file=err)
        return EXIT_IO
    rows = sum(1 for row in table.rows if not row.is_group)
    print(f"wrote {args.output}: {rows} segments", file=err)
    return EXIT_OK
