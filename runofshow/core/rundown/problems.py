"""What is wrong with a rundown, said the way a spreadsheet user finds it: by sheet and cell.

An agenda's problems name ``FILE:LINE:COL``; a spreadsheet has no lines, so a rundown's name
``rundown.xlsx:Sheet1!C7`` (a CSV has one sheet: ``rundown.csv:C7``). Notes say what the
import assumed (the encoding it read, a date taken from a cell above the table), so nothing
is guessed silently. Errors stop the import; warnings and notes do not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How much a problem matters: an error stops the import, the others are told."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a rundown: a cell (row and column 1-based), or the file as a whole (0, 0)."""

    file: str
    sheet: str | None = None  # None for a CSV, which has a single unnamed sheet
    row: int = 0
    col: int = 0

    @property
    def cell(self) -> str:
        """``C7``, or ``""`` for the whole file."""
        return f"{column_letter(self.col)}{self.row}" if self.row else ""

    @property
    def ref(self) -> str:
        """``Sheet1!C7`` (or ``C7`` in a CSV): how a spreadsheet user types the cell."""
        if not self.row:
            return self.sheet or ""
        return f"{self.sheet}!{self.cell}" if self.sheet else self.cell

    def at(self, row: int, col: int) -> Where:
        return Where(self.file, self.sheet, row, col)


@dataclass(frozen=True, slots=True)
class SheetProblem:
    """One thing wrong with (or assumed about) a rundown, where it is and how to fix it."""

    where: Where
    level: Level
    message: str
    hint: str | None = None

    def format(self) -> str:
        """``rundown.xlsx:Sheet1!C7: error: MESSAGE`` and an indented hint line."""
        place = f"{self.where.file}:{self.where.ref}" if self.where.ref else self.where.file
        text = f"{place}: {self.level}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def sheet_order(problems: Iterable[SheetProblem]) -> list[SheetProblem]:
    """Top to bottom, left to right, so a reader can walk the sheet fixing each one."""
    return sorted(problems, key=lambda p: (p.where.row, p.where.col))


class RundownError(Exception):
    """A rundown could not be imported; ``problems`` holds every error (and what was noted)."""

    def __init__(self, problems: Iterable[SheetProblem]) -> None:
        self.problems = sheet_order(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.level is Level.ERROR]


def column_letter(col: int) -> str:
    """1 -> ``A``, 27 -> ``AA``: the spreadsheet's own column names."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """``A`` -> 1, ``AA`` -> 27."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - ord("A") + 1
    return number
