"""The argument parser the file commands share (import, export, print).

argparse exits with status 2 on a usage mistake, which in runofshow means "bad input": the
file commands exit 64 instead, as ``check`` and ``report`` do, so a script can tell a typo in
the command line from a problem in the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import zoneinfo
from typing import NoReturn

from runofshow.core.durations import BadValue, parse_time_of_day
from runofshow.exit_codes import EXIT_USAGE


class CommandParser(argparse.ArgumentParser):
    """argparse that exits with the usage status (64) and says what was wrong."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def time_of_day(text: str) -> int:
    """An option's ``15:00`` as seconds since midnight."""
    try:
        return parse_time_of_day(text)
    except BadValue as exc:
        raise argparse.ArgumentTypeError(f"{exc.message}; {exc.hint}") from None


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def time_zone(text: str) -> str:
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a known time zone: use an IANA name such as Asia/Seoul"
        ) from None
    return text


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """The parsed options, or the exit status argparse chose (0 for --help, 64 for a mistake)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
