"""Problems found in an agenda, in the one shape every tool prints them.

The loader, the timeline check and later the video probe all report through ``Problem`` so
that ``runofshow check``, the GUI's error dialog and an editor's problem matcher read the same
``PATH:LINE:COL: error: MESSAGE`` lines. A problem about the file as a whole (it is missing,
it is a directory) has no position: ``line`` and ``col`` are 0 and the position is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """An error stops the agenda from loading; a warning is shown and the show can go on; a
    note says what the loader chose for the author (``check`` prints it, nothing else)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an agenda file, where it is and, when we know it, how to fix it."""

    path: Path
    line: int
    col: int
    severity: Severity
    message: str
    hint: str | None = None

    def format(self) -> str:
        """``PATH:LINE:COL: error: MESSAGE`` and, when there is one, an indented hint line."""
        where = f"{self.path}:{self.line}:{self.col}" if self.line > 0 else f"{self.path}"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File order, so a reader can walk the file top to bottom fixing each one."""
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.col))


MAX_LISTED = 100  # problems an AgendaError lists; a file with more gets one line for the rest


class AgendaError(Exception):
    """An agenda could not be loaded; ``problems`` holds the errors found, in file order.

    A file can hold tens of thousands of errors (a generated file gone wrong), and nobody
    reads past the first screenful: ``problems`` lists the first ``MAX_LISTED`` and then one
    problem, at the position of the first one left out, saying how many more there are.
    ``found`` is how many were found in all. ``found`` is given only when ``problems`` is
    such a list already (sent from another process), so it is not shortened twice.
    """

    def __init__(self, problems: Iterable[Problem], *, found: int | None = None) -> None:
        ordered = sorted_problems(problems)
        if found is None:
            found = len(ordered)
            ordered = _shortened(ordered)
        self.problems: list[Problem] = ordered
        self.found = found
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)


def _shortened(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_LISTED:
        return problems
    first_left_out = problems[MAX_LISTED]
    more = len(problems) - MAX_LISTED
    rest = Problem(
        first_left_out.path,
        first_left_out.line,
        first_left_out.col,
        Severity.ERROR,
        f"… and {more:,} more error{'s' * (more != 1)}, not listed",
        "fix the ones above and check again; they are often one mistake repeated",
    )
    return [*problems[:MAX_LISTED], rest]
