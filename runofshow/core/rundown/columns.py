"""Which column holds what: headers recognised in Korean or English, or mapped by hand.

A producer's sheet starts with a few lines about the event, then a header row (순서, 시간,
분량, 내용, 발표자, 비고 …), then the running order. The header row is the first of the top
30 rows that names a title column and a duration, start or end column. Headers are compared
without case, spaces or punctuation, and a unit in brackets is kept: 분량(초) holds seconds,
"시간(분)" is a length in minutes rather than a time of day. ``--map FIELD=COLUMN`` names a
column by letter (``D``) or by its header text and wins over recognition.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from runofshow.core.rundown.problems import (
    Level,
    SheetProblem,
    Where,
    column_letter,
    column_number,
)
from runofshow.core.rundown.sheet import Sheet

HEADER_SEARCH_ROWS = 30

# Each field and the headers that mean it, written as people write them; compared normalised.
ALIASES: dict[str, tuple[str, ...]] = {
    "order": ("순서", "순번", "번호", "연번", "no", "no.", "#", "order", "seq", "nr"),
    "start": (
        "시간", "시작", "시작시간", "시작 시각", "시각", "진행시간", "start", "start time",
        "time", "begin", "from", "planned start",
    ),
    "end": ("종료", "종료시간", "종료 시각", "끝", "end", "end time", "finish", "until", "to"),
    "fixed": ("고정", "고정 시작", "고정시각", "fixed", "fixed start", "hard start"),
    "duration": (
        "분량", "길이", "소요", "소요시간", "러닝타임", "duration", "length", "slot", "dur",
        "mins", "minutes", "runtime", "running time",
    ),
    "limit": ("제한", "제한시간", "최대", "limit", "max", "hard limit", "time limit"),
    "title": (
        "제목", "내용", "프로그램", "프로그램명", "진행순서", "진행 내용", "세부내용",
        "세부 프로그램", "항목", "식순", "title", "segment", "item", "programme", "program",
        "content", "what",
    ),
    "subtitle": ("부제", "부제목", "영문", "영문 제목", "subtitle", "english title", "english"),
    "speaker": (
        "발표자", "연사", "발표", "담당", "담당자", "진행", "진행자", "출연", "출연자", "연설자",
        "speaker", "speakers", "presenter", "who", "host", "by", "person",
    ),
    "kind": ("구분", "종류", "유형", "형식", "kind", "type", "category", "format"),
    "cue": (
        "큐", "cue", "cues", "연출", "기술", "기술 큐", "무대 큐", "av", "a/v", "tech", "tech cue",
    ),
    "notes": (
        "비고", "메모", "참고", "참고사항", "특이사항", "notes", "note", "remarks", "remark",
        "comments", "comment", "memo",
    ),
    "group": ("그룹", "세션", "섹션", "파트", "group", "section", "session", "block", "part"),
    "id": ("id", "아이디", "segment id"),
}  # fmt: skip
FIELDS = tuple(ALIASES)
TIME_FIELDS = ("start", "end", "fixed")
LENGTH_FIELDS = ("duration", "limit")
_UNITS = {
    "초": 1, "s": 1, "sec": 1, "secs": 1, "seconds": 1, "second": 1,
    "분": 60, "m": 60, "min": 60, "mins": 60, "minutes": 60, "minute": 60,
    "시간": 3600, "h": 3600, "hr": 3600, "hours": 3600,
}  # fmt: skip
_BRACKETS = re.compile(r"[(\[（［{]([^)\]）］}]*)[)\]）］}]")
_LETTERS = re.compile(r"[A-Za-z]{1,3}")


def normalise(text: str) -> str:
    """``"Start Time"`` and ``"start_time"`` and ``"시작 시각"`` compare as one header."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s_\-.:·*]+", "", folded)


_LOOKUP = {normalise(alias): name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass(frozen=True, slots=True)
class Recognised:
    """What a header names, and the unit a plain number in its column counts."""

    field: str | None
    unit_s: int | None = None


def recognise(header: Any) -> Recognised:
    """The field a header cell names (``None`` for an unknown header) and its unit, if any."""
    if not isinstance(header, str) or not header.strip():
        return Recognised(None)
    units = [_UNITS.get(normalise(u)) for u in _BRACKETS.findall(header)]
    unit = next((u for u in units if u), None)
    bare = _BRACKETS.sub("", header)
    name = _LOOKUP.get(normalise(bare)) or _LOOKUP.get(normalise(header))
    if name == "start" and unit is not None:
        name = "duration"  # 시간(분): a length in minutes, not a time of day
    return Recognised(name, unit)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """One ``--map FIELD=COLUMN``: a column letter or a header's text."""

    field: str
    column: str

    def resolve(self, sheet: Sheet, header_row: int, *, chosen: bool = False) -> int | None:
        """The column number in ``sheet``: a header with this text wins over a letter.

        While the header row is being looked for, a letter counts only where that row has
        something in the column, so that ``--map title=A`` does not make the event's title
        in A1 the header; on a row named with ``--header-row`` (``chosen``) it always counts.
        """
        wanted = normalise(self.column)
        for col in range(1, sheet.col_count + 1):
            value = sheet.raw(header_row, col)
            if isinstance(value, str) and normalise(value) == wanted:
                return col
        letters = self.column.strip()
        if _LETTERS.fullmatch(letters):
            col = column_number(letters)
            return col if chosen or sheet.raw(header_row, col) is not None else None
        return None


def parse_map(text: str) -> list[ColumnMap]:
    """``"duration=D"`` or ``"duration=D,speaker=연사"``; ``ValueError`` explains a mistake."""
    maps = []
    for part in (p for p in text.split(",") if p.strip()):
        name, sep, column = part.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not column:
            raise ValueError(f"--map {part!r}: write FIELD=COLUMN, e.g. duration=D")
        if name not in FIELDS:
            raise ValueError(f"--map {part!r}: unknown field {name!r}; fields: {', '.join(FIELDS)}")
        maps.append(ColumnMap(name, column))
    return maps


@dataclass(slots=True)
class Columns:
    """The header row and which column holds each field."""

    row: int
    cols: dict[str, int]
    units: dict[str, int] = field(default_factory=dict)
    width: int = 0  # the table's last column
    problems: list[SheetProblem] = field(default_factory=list)

    def header(self, sheet: Sheet, name: str) -> str:
        """``D (분량)``: the column as a message names it."""
        col = self.cols[name]
        text = sheet.raw(self.row, col)
        return f"{column_letter(col)} ({text})" if isinstance(text, str) else column_letter(col)


def find_columns(sheet: Sheet, maps: list[ColumnMap], header_row: int | None) -> Columns | None:
    """The header row and its columns, or ``None`` when no row looks like a header."""
    rows = [header_row] if header_row else range(1, min(sheet.row_count, HEADER_SEARCH_ROWS) + 1)
    for row in rows:
        columns = _columns_of(sheet, row, maps, chosen=header_row is not None)
        if header_row or _is_header(columns):
            return columns
    return None


def _is_header(columns: Columns) -> bool:
    has_time = any(name in columns.cols for name in ("duration", "start", "end"))
    return "title" in columns.cols and has_time


def _columns_of(sheet: Sheet, row: int, maps: list[ColumnMap], *, chosen: bool) -> Columns:
    columns = Columns(row, {}, width=_width(sheet, row))
    where = sheet.where
    mapped = _mapped(sheet, row, maps, columns, chosen=chosen)
    taken = set(mapped.values())
    for col in range(1, columns.width + 1):
        if col in taken:
            continue
        found = recognise(sheet.raw(row, col))
        text = sheet.raw(row, col)
        if found.field is None or found.field in mapped:
            if isinstance(text, str) and text.strip() and found.field is None:
                columns.problems.append(_unknown_header(where.at(row, col), text))
            continue
        if found.field in columns.cols:
            first = column_letter(columns.cols[found.field])
            message = f"column {column_letter(col)} ({text}) also reads as {found.field}; "
            message += f"column {first} is used"
            hint = f"choose with --map {found.field}={column_letter(col)}"
            columns.problems.append(SheetProblem(where.at(row, col), Level.NOTE, message, hint))
            continue
        columns.cols[found.field] = col
        if found.unit_s:
            columns.units[found.field] = found.unit_s
    columns.cols.update(mapped)
    return columns


def _mapped(
    sheet: Sheet, row: int, maps: list[ColumnMap], columns: Columns, *, chosen: bool
) -> dict[str, int]:
    mapped: dict[str, int] = {}
    for column_map in maps:
        col = column_map.resolve(sheet, row, chosen=chosen)
        if col is None:
            given = f"--map {column_map.field}={column_map.column}"
            if _LETTERS.fullmatch(column_map.column.strip()):
                message = f"{given}: column {column_map.column.strip()} has no header in row {row}"
                hint = "name a column that has a header, or give --header-row to use it anyway"
            else:
                message = f"{given}: no column has that header in row {row}"
                hint = "give a column letter (D) or a header's exact text from this row"
            columns.problems.append(
                SheetProblem(sheet.where.at(row, 1), Level.ERROR, message, hint)
            )
            continue
        mapped[column_map.field] = col
        unit = recognise(sheet.raw(row, col)).unit_s
        if unit:
            columns.units[column_map.field] = unit
        columns.width = max(columns.width, col)
    return mapped


def _width(sheet: Sheet, row: int) -> int:
    """The last column with a header, or the sheet's width when the row has none."""
    filled = [c for c in range(1, sheet.col_count + 1) if sheet.raw(row, c) is not None]
    return max(filled, default=sheet.col_count)


def _unknown_header(where: Where, text: str) -> SheetProblem:
    letter = column_letter(where.col)
    return SheetProblem(
        where,
        Level.NOTE,
        f"column {letter} ({text.strip()}) is not a known header and is left out",
        f"to use it, add --map FIELD={letter} (fields: {', '.join(FIELDS)})",
    )
