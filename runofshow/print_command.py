"""``runofshow print AGENDA.yaml -o RUNSHEET.pdf``: the run sheet for the crew, as a PDF.

A4 landscape by default (``--paper letter``); headings in Korean when the event's title is
Korean, else English (``--lang``). Qt draws it (``runofshow._qt.printing``) on an offscreen
platform, so it works over SSH with no display. Exit status: 0 written, 2 the agenda has
errors (printed as ``check`` prints them), 3 the PDF could not be written, 64 a usage mistake.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from runofshow._command_parser import CommandParser, parse
from runofshow.exit_codes import EXIT_BAD_AGENDA, EXIT_IO, EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="runofshow print",
        description="Print an agenda's run sheet for the crew to a PDF file.",
        epilog="exit status: 0 written; 2 the agenda has errors; 3 the PDF could not be "
        "written; 64 a usage mistake. What is on it: docs/rundowns.md",
    )
    parser.add_argument("agenda", type=Path, metavar="AGENDA", help="the agenda .yaml file")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="RUNSHEET.pdf", help="the PDF"
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), default="a4",
        help="paper size, landscape (default: a4)",
    )  # fmt: skip
    parser.add_argument(
        "--lang", choices=("en", "ko"),
        help="the language of the headings (default: Korean if the event's title is)",
    )  # fmt: skip
    return parser


def main(argv: Sequence[str], err: TextIO | None = None) -> int:
    err = err or sys.stderr
    args = parse(_parser(), list(argv))
    if isinstance(args, int):
        return args
    from runofshow.core.loader import load_agenda
    from runofshow.core.problems import AgendaError

    try:
        agenda = load_agenda(args.agenda)
    except AgendaError as exc:
        for problem in exc.problems:
            print(problem.format(), file=err)
        return EXIT_BAD_AGENDA
    from runofshow._qt.printing.run_sheet import write_run_sheet_pdf

    try:
        pages = write_run_sheet_pdf(agenda, args.output, paper=args.paper, lang=args.lang)
    except OSError as exc:
        print(f"runofshow print: cannot write {args.output}: {exc}", file=err)
        return EXIT_IO
    print(f"wrote {args.output}: {pages} page{'s' * (pages != 1)}", file=err)
    return EXIT_OK
