"""Reading a rundown's cells: an .xlsx workbook (openpyxl) or a CSV file (the standard library).

Both become ``Sheet``: a grid of values as the spreadsheet holds them (text, numbers, times,
dates, durations), with the merged ranges and the number formats, so that the importer can
read "5분", a time-formatted 0:05:00 and a plain 5 alike. A workbook is opened twice: once
for the values its program saved (``data_only``), once for the formulas, so that a formula
whose result was never saved (a file written by a script, not by Excel or LibreOffice) is
named instead of read as an empty cell. A CSV from a Korean office is UTF-8 (often with a
byte-order mark) or CP949; the encoding used is reported, never silently guessed.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runofshow.core.rundown.problems import Level, RundownError, SheetProblem, Where

MAX_BYTES = 20 * 1024 * 1024  # a rundown is a few kilobytes; refuse to read a whole disk
MAX_ROWS = 2000
MAX_COLS = 60
# What the parts of a workbook may unpack to, all together: a rundown's are a few hundred
# kilobytes, and a small file can unpack to gigabytes (a zip bomb, a million empty rows).
MAX_UNPACKED = 32 * 1024 * 1024
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell whose result the file does not hold (never calculated and saved)."""

    text: str


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged range, 1-based and inclusive, as the spreadsheet shows it (``A8:F8``)."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def width(self) -> int:
        return self.max_col - self.min_col + 1

    @property
    def height(self) -> int:
        return self.max_row - self.min_row + 1

    def name(self, where: Where) -> str:
        first, last = where.at(self.min_row, self.min_col), where.at(self.max_row, self.max_col)
        return f"{first.cell}:{last.cell}"


@dataclass(slots=True)
class Sheet:
    """One sheet's values, 1-based like the spreadsheet; a missing cell reads as ``None``."""

    where: Where  # the file and the sheet's name (None for a CSV)
    rows: list[list[Any]]
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)
    # The first filled cell past MAX_ROWS or MAX_COLS, which the sheet's rows leave out.
    cut: tuple[int, int] | None = None
    _covered: dict[tuple[int, int], Merge] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for merge in self.merges:
            for row in range(merge.min_row, merge.max_row + 1):
                for col in range(merge.min_col, merge.max_col + 1):
                    self._covered[(row, col)] = merge

    @property
    def name(self) -> str | None:
        return self.where.sheet

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def col_count(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def raw(self, row: int, col: int) -> Any:
        """The value stored in exactly this cell."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def source(self, row: int, col: int) -> tuple[int, int]:
        """The cell this one's value comes from: the top of a merge that runs down a column.

        A value merged down over several rows (one speaker for four pitches, one note for a
        block) belongs to every row it spans. A merge across columns belongs to its first
        cell only: the others read as empty, and the importer sees the row as merged across.
        """
        merge = self._covered.get((row, col))
        if merge is not None and merge.height > 1 and merge.width == 1:
            return merge.min_row, merge.min_col
        return row, col

    def value(self, row: int, col: int) -> Any:
        return self.raw(*self.source(row, col))

    def number_format(self, row: int, col: int) -> str:
        return self.formats.get(self.source(row, col), "General")

    def merge_at(self, row: int, col: int) -> Merge | None:
        return self._covered.get((row, col))


def read_workbook(path: Path) -> tuple[list[Sheet], list[SheetProblem]]:
    """Every sheet of the rundown at ``path`` and notes on how it was read.

    Raises ``RundownError`` when the file cannot be read at all (missing, not a spreadsheet,
    an old .xls, text in an encoding we do not know).
    """
    where = Where(path.name)
    suffix = path.suffix.lower()
    data = _read_bytes(path, where)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(data, where), []
    if suffix in CSV_SUFFIXES:
        sheet, note = _read_csv(data, where, tab=suffix == ".tsv")
        return [sheet], [note]
    raise RundownError([_unsupported(where, suffix)])


def _unsupported(where: Where, suffix: str) -> SheetProblem:
    hints = {
        ".xls": "save it as .xlsx (Excel: File → Save As → Excel Workbook)",
        ".ods": "save it as .xlsx (LibreOffice: File → Save As → Excel 2007-365)",
        ".numbers": "export it as .xlsx (Numbers: File → Export To → Excel)",
    }
    hint = hints.get(suffix, "give an .xlsx workbook or a .csv file")
    return SheetProblem(where, Level.ERROR, f"cannot read a {suffix or 'suffix-less'} file", hint)


def _read_bytes(path: Path, where: Where) -> bytes:
    hint = "check the path: runofshow import reads an .xlsx or .csv file"
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise RundownError([SheetProblem(where, Level.ERROR, "no such file", hint)]) from None
    except IsADirectoryError:
        message = "is a directory, not a spreadsheet"
        raise RundownError([SheetProblem(where, Level.ERROR, message, hint)]) from None
    except OSError as exc:
        message = f"cannot be read: {exc.strerror or exc}"
        raise RundownError([SheetProblem(where, Level.ERROR, message, hint)]) from None
    if len(data) > MAX_BYTES:
        message = f"is larger than {MAX_BYTES // (1024 * 1024)} MiB: not a rundown"
        raise RundownError([SheetProblem(where, Level.ERROR, message, hint)])
    return data


# -- xlsx -----------------------------------------------------------------------------------


def _read_xlsx(data: bytes, where: Where) -> list[Sheet]:
    import openpyxl  # lazily: only an .xlsx import or export pays for it

    try:
        bounded = _bounded_xlsx(data, where)
        with warnings.catch_warnings():  # openpyxl warns about extensions it skips
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(io.BytesIO(bounded), data_only=True)
            formulas = openpyxl.load_workbook(io.BytesIO(bounded), data_only=False)
            sheets = [
                _xlsx_sheet(ws, formulas[ws.title], Where(where.file, ws.title))
                for ws in values.worksheets
            ]
    except RundownError:
        raise
    except Exception as exc:  # a damaged workbook fails anywhere in openpyxl: named, not raised
        message = f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})"
        hint = "open it in Excel or LibreOffice and save it again as .xlsx"
        raise RundownError([SheetProblem(where, Level.ERROR, message, hint)]) from None
    if not sheets:
        message = "has no worksheet (only chart sheets, or none at all)"
        hint = "open it in Excel or LibreOffice and put the rundown on a worksheet"
        raise RundownError([SheetProblem(where, Level.ERROR, message, hint)])
    return sheets


_MERGE_REF = re.compile(rb'(<(?:\w+:)?mergeCell\b[^>]*?\bref=")([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)"')


def _bounded_xlsx(data: bytes, where: Where) -> bytes:
    """The workbook with its parts unpacked under ``MAX_UNPACKED`` and its merged ranges cut
    to ``MAX_ROWS`` by ``MAX_COLS``: openpyxl makes a cell for every cell a merge covers, so
    one merge over a whole sheet (A1:XFD1048576, a few bytes) would take minutes and
    gigabytes. Only the cells read are kept, so no value read changes."""
    out = io.BytesIO()
    total = 0
    with (
        zipfile.ZipFile(io.BytesIO(data)) as packed,
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as unpacked,
    ):
        for info in packed.infolist():
            with packed.open(info) as part:
                body = part.read(MAX_UNPACKED - total + 1)
            total += len(body)
            if total > MAX_UNPACKED:
                message = (
                    f"unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MiB "
                    f"(at its part {info.filename}): not a rundown"
                )
                hint = (
                    "copy the rundown's table into a new workbook and import that "
                    "(a rundown is at most 2000 rows of 60 columns)"
                )
                raise RundownError([SheetProblem(where, Level.ERROR, message, hint)])
            if info.filename.startswith("xl/worksheets/"):
                body = _MERGE_REF.sub(_cut_merge, body)
            unpacked.writestr(info.filename, body)
    return out.getvalue()


def _cut_merge(match: re.Match[bytes]) -> bytes:
    from openpyxl.utils.cell import column_index_from_string, get_column_letter

    head, first_col, first_row, last_col, last_row = match.groups()
    try:
        col = min(column_index_from_string(last_col.decode()), MAX_COLS + 1)
    except ValueError:
        return match.group(0)  # not a cell reference: openpyxl says so
    row = min(int(last_row), MAX_ROWS + 1)
    return b'%s%s%s:%s%d"' % (head, first_col, first_row, get_column_letter(col).encode(), row)


def _xlsx_sheet(ws: Any, formula_ws: Any, where: Where) -> Sheet:
    rows: list[list[Any]] = []
    formats: dict[tuple[int, int], str] = {}
    last_row = min(ws.max_row, MAX_ROWS)
    last_col = min(ws.max_column, MAX_COLS)
    for r, (cells, formula_cells) in enumerate(
        zip(
            ws.iter_rows(min_row=1, max_row=last_row, max_col=last_col),
            formula_ws.iter_rows(min_row=1, max_row=last_row, max_col=last_col),
            strict=True,
        ),
        start=1,
    ):
        row: list[Any] = []
        for c, (cell, formula_cell) in enumerate(zip(cells, formula_cells, strict=True), start=1):
            row.append(_xlsx_value(cell.value, formula_cell.value))
            if cell.number_format and cell.number_format != "General":
                formats[(r, c)] = cell.number_format
        rows.append(row)
    merges = [
        Merge(m.min_row, m.min_col, m.max_row, m.max_col)
        for m in ws.merged_cells.ranges
        if m.min_row <= last_row and m.min_col <= last_col
    ]
    return Sheet(where, rows, formats, merges, _xlsx_cut(formula_ws))


def _xlsx_cut(ws: Any) -> tuple[int, int] | None:
    """The first filled cell past the rows and columns read (openpyxl keeps only the cells
    the file has, by (row, column); iterating a range would make a cell for every one)."""
    beyond = (
        key
        for key, cell in ws._cells.items()
        if (key[0] > MAX_ROWS or key[1] > MAX_COLS) and _filled(cell.value)
    )
    return min(beyond, default=None)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _xlsx_value(value: Any, formula: Any) -> Any:
    """The saved value, or ``Formula`` when the cell is a formula with no saved result."""
    if value is None and formula is not None:
        text = formula if isinstance(formula, str) else getattr(formula, "text", str(formula))
        if isinstance(text, str) and text.startswith("="):
            return Formula(text)
    if isinstance(value, str) and not value.strip():
        return None
    return value


# -- csv ------------------------------------------------------------------------------------


def _read_csv(data: bytes, where: Where, *, tab: bool) -> tuple[Sheet, SheetProblem]:
    text, encoding = decode_text(data, where)
    sample = text[:8192]
    delimiter = "\t" if tab else _delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    cut: tuple[int, int] | None = None
    for r, cells in enumerate(reader, start=1):
        if r <= MAX_ROWS:
            rows.append([cell if cell.strip() else None for cell in cells[:MAX_COLS]])
        elif cut is not None:
            break  # a cell past the columns came first; the rest is not read
        if cut is None:
            first = MAX_COLS + 1 if r <= MAX_ROWS else 1
            col = next(
                (c for c, cell in enumerate(cells[first - 1 :], start=first) if cell.strip()), None
            )
            if col is not None:
                cut = (r, col)
    note = SheetProblem(where, Level.NOTE, f"read as {encoding}{_delimiter_name(delimiter)}")
    return Sheet(where, rows, cut=cut), note


def decode_text(data: bytes, where: Where) -> tuple[str, str]:
    """The text of a CSV and the encoding's name: UTF-16 by its mark, UTF-8, else CP949."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8 with a byte-order mark" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp949"), "CP949 (EUC-KR)"
    except UnicodeDecodeError:
        pass
    line = data[: utf8_error.start].count(b"\n") + 1
    message = (
        f"is neither UTF-8 nor CP949 text (byte 0x{data[utf8_error.start]:02x} on line {line})"
    )
    hint = "save the sheet as 'CSV UTF-8' (Excel) or choose UTF-8 when saving as CSV"
    raise RundownError([SheetProblem(where, Level.ERROR, message, hint)])


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _delimiter_name(delimiter: str) -> str:
    names = {",": "", ";": ", separated by semicolons", "\t": ", separated by tabs"}
    return names.get(delimiter, f", separated by {delimiter!r}")
