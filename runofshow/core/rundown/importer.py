"""A rundown spreadsheet into an agenda: rows to segments and groups, cells to values.

Below the header row every row is one of: a segment (it has a title and something that says
how long it runs), a group header (a row merged across the table, a row with only a title,
or a row naming a group but no title when the sheet has a group column), a total row (합계,
Total) that is left out, or empty. A group runs until the next group header; with a group
column, consecutive rows naming the same group form it (see ``_programme``). A segment's
length is its duration cell, else its end minus its start, else the next segment's start
minus its own (the last one needs an end: an end column, ``--end`` or an end written above
the table).

Nothing is guessed silently: every value keeps the cell it came from (the YAML comments say
it), every assumption is a note, and every error names its cell, all in one run. The YAML
is then loaded by the agenda loader itself, whose problems are reported at the cells too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runofshow.core.agenda import Agenda
from runofshow.core.loader import agenda_warnings, load_agenda_bytes
from runofshow.core.problems import AgendaError, Problem
from runofshow.core.rundown.columns import ColumnMap, Columns, find_columns, normalise
from runofshow.core.rundown.preamble import Found, Preamble, read_preamble
from runofshow.core.rundown.problems import (
    Level,
    RundownError,
    SheetProblem,
    Where,
    column_letter,
    sheet_order,
)
from runofshow.core.rundown.sheet import MAX_COLS, MAX_ROWS, Merge, Sheet, read_workbook
from runofshow.core.rundown.values import (
    DAY_S,
    CellError,
    TimeRange,
    one_line,
    read_date,
    read_kind,
    read_length,
    read_text,
    read_time,
    read_time_range,
    shown,
)
from runofshow.core.rundown.yamlout import (
    Draft,
    DraftGroup,
    DraftSegment,
    Value,
    agenda_time_text,
    duration_text,
    render,
    time_text,
)
from runofshow.core.timefmt import hms

TOTAL_WORDS = {
    normalise(w) for w in ("합계", "총계", "소계", "계", "총", "total", "subtotal", "sum")
}
DEFAULT_SHEET_NAMES = {normalise(n) for n in ("Sheet1", "Sheet", "시트1", "Sheet 1", "Tabelle1")}
SHORT_SLOT_S = 60  # the built-in wrap-up threshold: a shorter countdown needs its own


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the command line says; each given value wins over what the sheet says."""

    sheet: str | None = None
    header_row: int | None = None
    maps: tuple[ColumnMap, ...] = ()
    title: str | None = None
    date: dt.date | None = None
    start: int | None = None  # seconds since midnight
    end: int | None = None
    timezone: str | None = None
    venue: str | None = None


@dataclass(slots=True)
class Imported:
    """The agenda's YAML, the agenda it loads as, and the warnings and notes on the way."""

    yaml: str
    agenda: Agenda
    problems: list[SheetProblem]


def import_rundown(
    path: Path, options: ImportOptions = ImportOptions(), agenda_path: Path | None = None
) -> Imported:
    """Read the rundown at ``path`` into agenda YAML (as if saved at ``agenda_path``).

    Raises ``RundownError`` with every error, each naming its cell, and the notes so far.
    """
    sheets, notes = read_workbook(path)
    sheet, columns, more = _choose_sheet(sheets, options)
    if sheet.cut is not None:
        more = [*more, _cut(sheet, *sheet.cut)]
    reader = _Reader(sheet, columns, options)
    draft = reader.draft()
    problems = [*notes, *more, *columns.problems, *reader.problems]
    if any(p.level is Level.ERROR for p in problems):
        raise RundownError(problems)
    rendered = render(draft)
    target = agenda_path or path.with_suffix(".yaml")
    try:
        agenda = load_agenda_bytes(rendered.text.encode(), target)
    except AgendaError as exc:
        raise RundownError([*problems, *_at_cells(exc.problems, rendered.origins)]) from None
    warnings = _at_cells(agenda_warnings(agenda), rendered.origins)
    return Imported(rendered.text, agenda, [*sheet_order(problems), *warnings])


def _cut(sheet: Sheet, row: int, col: int) -> SheetProblem:
    """A filled cell past what is read: the rows there would be left out of the show."""
    past = f"row {MAX_ROWS}" if row > MAX_ROWS else f"column {column_letter(MAX_COLS)}"
    return SheetProblem(
        sheet.where.at(row, col),
        Level.ERROR,
        f"the sheet goes on past {past}: a rundown is read up to {MAX_ROWS} rows "
        f"of {MAX_COLS} columns, and what is past that would be left out",
        "delete what is below or right of the table, or split the show into agendas",
    )


def _at_cells(problems: list[Problem], origins: dict[int, Where]) -> list[SheetProblem]:
    """The agenda loader's problems, moved to the cell behind their line where there is one,
    else to the sheet as a whole (a Problem there would not sort with the sheet's own)."""
    whole = next(iter(origins.values())).at(0, 0) if origins else Where("")
    moved: list[SheetProblem] = []
    for problem in problems:
        where = origins.get(problem.line, whole)
        level = Level(problem.severity.value)
        moved.append(SheetProblem(where, level, problem.message, problem.hint))
    return moved


def _choose_sheet(
    sheets: list[Sheet], options: ImportOptions
) -> tuple[Sheet, Columns, list[SheetProblem]]:
    if options.sheet is not None:
        sheet = _named_sheet(sheets, options.sheet)
        return sheet, _columns(sheet, options), []
    for sheet in sheets:
        columns = find_columns(sheet, list(options.maps), options.header_row)
        if columns is not None:
            notes = []
            if len(sheets) > 1:
                names = ", ".join(repr(s.name) for s in sheets)
                message = f"read the sheet {sheet.name!r} (the workbook has {names})"
                notes.append(SheetProblem(sheet.where, Level.NOTE, message, "choose with --sheet"))
            return sheet, columns, notes
    return sheets[0], _columns(sheets[0], options), []


def _named_sheet(sheets: list[Sheet], name: str) -> Sheet:
    for sheet in sheets:
        if sheet.name is not None and normalise(sheet.name) == normalise(name):
            return sheet
    if len(sheets) == 1 and sheets[0].name is None:
        return sheets[0]  # a CSV has one sheet whatever it is called
    names = ", ".join(repr(s.name) for s in sheets)
    where = Where(sheets[0].where.file)
    raise RundownError([SheetProblem(where, Level.ERROR, f"no sheet named {name!r}", names)])


def _columns(sheet: Sheet, options: ImportOptions) -> Columns:
    columns = find_columns(sheet, list(options.maps), options.header_row)
    if columns is not None and "title" in columns.cols:
        return columns
    raise RundownError([_no_header(sheet, options, columns)])


def _no_header(sheet: Sheet, options: ImportOptions, columns: Columns | None) -> SheetProblem:
    if columns is not None:  # --header-row named a row without a title column
        return SheetProblem(
            sheet.where.at(columns.row, 1),
            Level.ERROR,
            f"row {columns.row} has no title column (제목, 내용, title…)",
            "name it with --map title=COLUMN (a letter or the header's text)",
        )
    return SheetProblem(
        sheet.where,
        Level.ERROR,
        "no header row found in the first 30 rows: a row naming a title column (제목, 내용, "
        "title) and a duration or start column (분량, 시간, duration, start)",
        "name the columns with --map title=B --map duration=D, and the row with --header-row N",
    )


# -- rows ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    value: Any
    where: Where
    header: str  # how messages name the column: 분량, Duration, or the letter


@dataclass(slots=True)
class _Segment:
    row: int
    fields: dict[str, Value]  # title, subtitle, speaker, kind, cue, notes, id
    group: _Cell | None = None
    span: TimeRange | None = None  # its start (and end, from a range or an end column)
    start_at: _Cell | None = None
    end_at: _Cell | None = None
    fixed: tuple[int, _Cell] | None = None
    length: int | None = None
    length_value: Value | None = None
    limit: Value | None = None
    countdown_s: int | None = None


@dataclass(slots=True)
class _GroupRow:
    row: int
    fields: dict[str, Value]
    title: str = ""


@dataclass(slots=True)
class _Open:
    """The group rows are being added to, and whether any of them named it."""

    row: _GroupRow
    draft: DraftGroup
    named: bool = False


@dataclass(slots=True)
class _Event:
    fields: dict[str, Value] = field(default_factory=dict)
    start: int | None = None
    end: int | None = None


class _Reader:
    """Reads the rows below the header into a ``Draft``, collecting every problem."""

    def __init__(self, sheet: Sheet, columns: Columns, options: ImportOptions) -> None:
        self.sheet = sheet
        self.columns = columns
        self.options = options
        self.problems: list[SheetProblem] = []
        self.preamble: Preamble = read_preamble(sheet, columns.row)

    # -- problems and cells --
    def problem(self, level: Level, where: Where, message: str, hint: str | None = None) -> None:
        self.problems.append(SheetProblem(where, level, message, hint))

    def cell(self, row: int, name: str) -> _Cell | None:
        col = self.columns.cols.get(name)
        if col is None:
            return None
        source_row, source_col = self.sheet.source(row, col)
        value = self.sheet.raw(source_row, source_col)
        if value is None:
            return None
        header = self.sheet.raw(self.columns.row, col)
        label = one_line(header) if isinstance(header, str) else column_letter(col)
        return _Cell(value, self.sheet.where.at(source_row, source_col), label)

    def read(self, cell: _Cell, reader: Any, *args: Any, **kwargs: Any) -> Any:
        """``reader(cell.value)``, or ``None`` after recording the error at the cell."""
        try:
            return reader(cell.value, *args, **kwargs)
        except CellError as exc:
            self.problem(Level.ERROR, cell.where, f"{cell.header}: {exc.message}", exc.hint)
            return None

    def where(self, row: int, name: str) -> Where:
        return self.sheet.where.at(row, self.columns.cols.get(name, self.columns.cols["title"]))

    # -- the whole sheet --
    def draft(self) -> Draft:
        items = self._items()
        segments = [item for item in items if isinstance(item, _Segment)]
        if not segments and not any(p.level is Level.ERROR for p in self.problems):
            message = f"no segments below the header row {self.columns.row}"
            hint = "is this the right sheet (--sheet) and the right header row (--header-row)?"
            self.problem(Level.ERROR, self.sheet.where, message, hint)
        event = self._event(segments)
        if segments:
            self._past_midnight(segments, event)
            self._lengths(segments, event)
            self._fixed_starts(segments, event)
            self._event_end(segments, event)
        order = ("title", "subtitle", "date", "venue", "start", "end", "timezone")
        fields = {key: event.fields[key] for key in order if key in event.fields}
        return Draft(self._heading(), fields, self._programme(items))

    def _heading(self) -> list[str]:
        where = self.sheet.where
        sheet = f", sheet {where.sheet!r}" if where.sheet else ""
        return [
            f"Imported by `runofshow import` from {where.file}{sheet} (header row "
            f"{self.columns.row}).",
            "After each value: the cell it came from, and what the cell said when it was "
            "rewritten.",
            "Check it with `runofshow check`; the format is described in docs/agenda-format.md.",
        ]

    def _items(self) -> list[_Segment | _GroupRow]:
        items: list[_Segment | _GroupRow] = []
        for row in range(self.columns.row + 1, self.sheet.row_count + 1):
            kind = self._classify(row)
            if kind == "segment":
                segment = self._segment(row)
                if segment is not None:
                    items.append(segment)
            elif kind == "total":
                message = f"row {row} is a total row and is left out"
                self.problem(Level.NOTE, self.where(row, "title"), message)
            elif kind != "empty":
                items.append(self._group_row(row, kind))
        return items

    # -- classifying rows --
    def _filled(self, row: int, *, order: bool = False) -> dict[int, Any]:
        """The row's filled cells, leaving out the order column (a number is no content)."""
        skip = None if order else self.columns.cols.get("order")
        values = {c: self.sheet.value(row, c) for c in range(1, self.columns.width + 1)}
        return {c: v for c, v in values.items() if v is not None and c != skip}

    def _classify(self, row: int) -> str:
        everything = self._filled(row, order=True).values()
        if any(isinstance(v, str) and normalise(v) in TOTAL_WORDS for v in everything):
            return "total"
        filled = self._filled(row)
        if not filled:
            return "empty"
        if self._merged_across(row) is not None:
            return "merged"
        title_col = self.columns.cols["title"]
        group_col = self.columns.cols.get("group")
        if group_col in filled and title_col not in filled:
            return "group-column"
        if len(filled) == 1:
            col, value = next(iter(filled.items()))
            if isinstance(value, str) and (col <= title_col or col == group_col):
                return "group-column" if col == group_col else "single"
        return "segment"

    def _merged_across(self, row: int) -> Merge | None:
        for col in range(1, self.columns.width + 1):
            merge = self.sheet.merge_at(row, col)
            if merge is None or merge.width < min(3, self.columns.width):
                continue
            if merge.min_row == row and isinstance(self.sheet.raw(row, col), str):
                return merge
        return None

    # -- group rows --
    def _group_row(self, row: int, kind: str) -> _GroupRow:
        if kind == "merged":
            merge = self._merged_across(row)
            assert merge is not None
            where = self.sheet.where.at(row, merge.min_col)
            text = one_line(read_text(self.sheet.raw(row, merge.min_col)) or "")
            title = Value(text, f"{where.ref} (merged {merge.name(self.sheet.where)})", where)
            fields = {"group": title, **self._group_extras(row, merge)}
        elif kind == "group-column":
            cell = self.cell(row, "group")
            assert cell is not None
            fields = {"group": self._text(cell), **self._group_extras(row, None)}
        else:
            col, value = next(iter(self._filled(row).items()))
            where = self.sheet.where.at(*self.sheet.source(row, col))
            note = f"{where.ref} (a row with only a title)"
            fields = {"group": Value(one_line(read_text(value) or ""), note, where)}
        return _GroupRow(row, fields, fields["group"].text)

    def _group_extras(self, row: int, merge: Merge | None) -> dict[str, Value]:
        """A group row's subtitle and target, from cells the merge (if any) leaves free."""
        extras: dict[str, Value] = {}
        for name, key in (("subtitle", "subtitle"), ("duration", "target")):
            cell = self.cell(row, name)
            col = self.columns.cols.get(name, 0)
            if cell is None or (merge is not None and merge.min_col <= col <= merge.max_col):
                continue
            if key == "target":
                length = self.read(cell, read_length, unit_s=self.columns.units.get(name, 60))
                if length is not None:
                    extras[key] = self._length_value(cell, length.seconds)
            else:
                extras[key] = self._text(cell)
        return extras

    # -- segment rows --
    def _segment(self, row: int) -> _Segment | None:
        title = self.cell(row, "title")
        if title is None:
            self.problem(
                Level.ERROR,
                self.where(row, "title"),
                f"row {row} has no title",
                "write the segment's title in this column; a row with nothing but a title "
                "becomes a group; delete the row if it is not part of the programme",
            )
            return None
        segment = _Segment(row, {"title": self._text(title)}, group=self.cell(row, "group"))
        for name in ("id", "subtitle", "speaker", "kind"):
            cell = self.cell(row, name)
            if cell is not None:
                value = self._kind(cell) if name == "kind" else self._text(cell)
                if value is not None:
                    segment.fields[name] = value
        self._times(segment)
        for name in ("cue", "notes"):
            cell = self.cell(row, name)
            if cell is not None:
                segment.fields[name] = self._text(cell, lines=name == "notes")
        return segment

    def _text(self, cell: _Cell, *, lines: bool = False) -> Value:
        text = read_text(cell.value) or ""
        written = text if lines else one_line(text)
        return Value(written, self._comment(cell, written), cell.where)

    def _comment(self, cell: _Cell, written: str) -> str:
        said = shown(cell.value)
        same = said == written or one_line(said) == written or "\n" in said
        return cell.where.ref if same else f"{cell.where.ref} ({one_line(said)[:40]})"

    def _kind(self, cell: _Cell) -> Value | None:
        kind = self.read(cell, read_kind)
        return (
            None if kind is None else Value(kind.value, self._comment(cell, kind.value), cell.where)
        )

    def _length_value(self, cell: _Cell, seconds: int) -> Value:
        text = duration_text(seconds)
        return Value(text, self._comment(cell, text), cell.where)

    def _times(self, segment: _Segment) -> None:
        row = segment.row
        start = self.cell(row, "start")
        if start is not None:
            segment.span = self.read(start, read_time_range)
            segment.start_at = start
        end = self.cell(row, "end")
        if end is not None and segment.span is not None:
            end_s = self.read(end, read_time)
            segment.span = TimeRange(segment.span.start, end_s)
            segment.end_at = end
        elif end is not None:
            self.read(end, read_time)  # report a bad value even without a start
        elif start is not None and segment.span is not None and segment.span.end is not None:
            segment.end_at = start
        fixed = self.cell(row, "fixed")
        if fixed is not None:
            value = self.read(fixed, read_time)
            segment.fixed = None if value is None else (value, fixed)
        for name in ("duration", "limit"):
            cell = self.cell(row, name)
            if cell is not None:
                self._length(segment, name, cell)

    def _length(self, segment: _Segment, name: str, cell: _Cell) -> None:
        length = self.read(cell, read_length, unit_s=self.columns.units.get(name, 60))
        if length is None:
            return
        if length.warning:
            self.problem(Level.WARNING, cell.where, f"{cell.header}: {length.warning}")
        value = self._length_value(cell, length.seconds)
        if name == "duration":
            segment.length, segment.length_value = length.seconds, value
        else:
            segment.limit = value
            segment.countdown_s = length.seconds

    # -- a night past midnight --
    def _past_midnight(self, segments: list[_Segment], event: _Event) -> None:
        """A night's times after midnight as the next day's (86400 and more), so lengths and
        fixed starts run on across midnight: a time written past 24 hours (``24:15``) always,
        and a time of day earlier than the event's start when it is the night's (up to an
        end given before the start, as the agenda reads ``at:``) or twelve hours or more
        before the start (0:10 after a start at 23:30; 14:50 after 15:00 stays a mistake)."""
        start = event.start
        if start is None:
            return
        if start >= DAY_S:
            where = event.fields["start"].where or self.sheet.where
            message = f"the event starts at {time_text(start)}, past midnight of its own date"
            self.problem(
                Level.ERROR,
                where,
                message,
                "give the start as a time of day (0:00-23:59) and the date it is on",
            )
            return
        if event.end is not None and event.end < start:
            event.end += DAY_S  # an end before the start is the next day's, as in the agenda
        ends = event.end
        night_end = ends - DAY_S if ends is not None and ends > DAY_S else None

        def later(t: int) -> int:
            if t >= start or t >= DAY_S:
                return t
            in_night = night_end is not None and t <= night_end
            return t + DAY_S if in_night or start - t >= DAY_S // 2 else t

        for segment in segments:
            if segment.span is not None:
                end = None if segment.span.end is None else later(segment.span.end)
                segment.span = TimeRange(later(segment.span.start), end)
            if segment.fixed is not None:
                segment.fixed = (later(segment.fixed[0]), segment.fixed[1])
            self._too_late(segment, start, ends)

    def _too_late(self, segment: _Segment, start: int, ends: int | None) -> None:
        """A time written past 24 hours more than half a day after the start, in a night
        whose end does not reach it, is a wrong hour, not a very long night (25:00 in a
        morning programme)."""
        cells = (
            (segment.span.start if segment.span else None, segment.start_at),
            (segment.span.end if segment.span else None, segment.end_at),
            (
                segment.fixed[0] if segment.fixed else None,
                segment.fixed[1] if segment.fixed else None,
            ),
        )
        for t, cell in cells:
            if t is None or cell is None or t < DAY_S or t - start <= DAY_S // 2:
                continue
            if ends is not None and t <= ends:
                continue
            self.problem(
                Level.ERROR,
                cell.where,
                f"{cell.header}: {time_text(t)} is the next day, {hms(t - start)} after the "
                f"event's start at {time_text(start)}",
                "check the hour; a night that runs this late needs its end given (종료/end "
                "above the table, or --end)",
            )
            return

    # -- lengths from times --
    def _lengths(self, segments: list[_Segment], event: _Event) -> None:
        for i, segment in enumerate(segments):
            if segment.length is not None or self._has_errors_in(segment.row):
                continue
            following = segments[i + 1] if i + 1 < len(segments) else None
            self._length_from_times(segment, following, event)

    def _has_errors_in(self, row: int) -> bool:
        return any(p.level is Level.ERROR and p.where.row == row for p in self.problems)

    def _length_from_times(
        self, segment: _Segment, following: _Segment | None, event: _Event
    ) -> None:
        span, start_at = segment.span, segment.start_at
        if span is None or start_at is None:
            self._no_length(segment)
            return
        if span.end is not None and segment.end_at is not None:
            self._set_span(segment, span.start, span.end, segment.end_at.where, "its end")
        elif following is not None and following.span is not None and following.start_at:
            where = following.start_at.where
            self._set_span(segment, span.start, following.span.start, where, "the next start")
        elif following is None and event.end is not None:
            origin = event.fields["end"].comment or "the event's end"
            self._set_span(segment, span.start, event.end, None, origin)
        elif following is None:
            self.problem(
                Level.ERROR,
                start_at.where,
                f"the last segment starts at {time_text(span.start)} but nothing says when "
                "it ends, so its length is unknown",
                "give it a duration, an end time (an end column such as 종료/end), or give "
                "the event's end with --end HH:MM",
            )
        else:
            self._no_length(following, after=segment)

    def _set_span(
        self, segment: _Segment, start: int, end: int, end_where: Where | None, what: str
    ) -> None:
        assert segment.start_at is not None
        start_ref = segment.start_at.where.ref
        if end <= start:
            where = end_where or segment.start_at.where
            message = f"{time_text(end)} is not after the segment's start {time_text(start)}"
            message += f" ({start_ref})"
            hint = "times of day must increase down the sheet (24-hour clock, one day)"
            self.problem(Level.ERROR, where, message, hint)
            return
        end_ref = end_where.ref if end_where else what
        comment = f"{end_ref} − {start_ref} ({time_text(end)} − {time_text(start)})"
        segment.length = end - start
        segment.length_value = Value(duration_text(end - start), comment, segment.start_at.where)

    def _no_length(self, segment: _Segment, after: _Segment | None = None) -> None:
        title = segment.fields["title"].text
        if "duration" in self.columns.cols:
            column = self.columns.header(self.sheet, "duration")
            hint = f"write its length in column {column}: 5분, 1분 30초, 0:05:00 or 5 (minutes)"
        else:
            hint = "add a duration column (분량, duration) or start times (시간, start)"
        where = self.where(segment.row, "duration" if "duration" in self.columns.cols else "start")
        reason = " (the segment before it needs its start to know its own length)" if after else ""
        self.problem(Level.ERROR, where, f"{title!r} has no length{reason}", hint)

    # -- the event --
    def _event(self, segments: list[_Segment]) -> _Event:
        event = _Event()
        fields = event.fields
        fields["title"] = self._event_title()
        subtitle = self.preamble.labelled.get("subtitle")
        if subtitle is not None and read_text(subtitle.value):
            fields["subtitle"] = self._found_text(subtitle)
        date = self._event_date(segments)
        if date is not None:
            fields["date"] = date
        venue = self._option_or_label(self.options.venue, "--venue", "venue")
        if venue is not None:
            fields["venue"] = venue
        self._event_start(segments, event)
        zone = self._option_or_label(self.options.timezone, "--timezone", "timezone")
        if zone is not None:
            fields["timezone"] = zone
        else:
            message = "no time zone given: the show follows the zone of the machine it runs on"
            self.problem(Level.NOTE, self.sheet.where, message, "give one with --timezone")
        return event

    def _found_text(self, found: Found) -> Value:
        text = one_line(read_text(found.value) or "")
        return Value(text, found.where.ref, found.where)

    def _option_or_label(self, option: str | None, flag: str, label: str) -> Value | None:
        if option is not None:
            return Value(option, flag)
        found = self.preamble.labelled.get(label)
        if found is not None and read_text(found.value):
            return self._found_text(found)
        return None

    def _event_title(self) -> Value:
        given = self._option_or_label(self.options.title, "--title", "title")
        if given is not None:
            return given
        if self.preamble.title is not None:
            value = self._found_text(self.preamble.title)
            self._assumed(f"the event's title {value.text!r} from the cell above the table")
            return Value(value.text, value.comment, value.where)
        name = self.sheet.name
        if name and normalise(name) not in DEFAULT_SHEET_NAMES:
            self._assumed(f"the event's title {name!r} from the sheet's name")
            return Value(name, "the sheet's name")
        stem = Path(self.sheet.where.file).stem
        self._assumed(f"the event's title {stem!r} from the file's name (give --title)")
        return Value(stem, "the file's name")

    def _assumed(self, what: str, where: Where | None = None) -> None:
        self.problem(Level.NOTE, where or self.sheet.where, f"assumed {what}")

    def _event_date(self, segments: list[_Segment]) -> Value | None:
        if self.options.date is not None:
            return Value(self.options.date.isoformat(), "--date")
        found = self.preamble.labelled.get("date") or self.preamble.date
        if found is not None:
            date = self.read(_Cell(found.value, found.where, "date"), read_date)
            return None if date is None else Value(date.isoformat(), found.where.ref, found.where)
        for segment in segments:
            value = segment.start_at.value if segment.start_at else None
            if isinstance(value, dt.datetime) and value.year > 1900:
                where = segment.start_at.where if segment.start_at else None
                self._assumed(f"the event's date {value.date()} from the first start's date")
                return Value(value.date().isoformat(), where.ref if where else None, where)
        self.problem(
            Level.ERROR,
            self.sheet.where,
            "nothing says on which date the event is",
            "give --date YYYY-MM-DD, or write the date above the table (날짜 | 2022-11-30)",
        )
        return None

    def _event_start(self, segments: list[_Segment], event: _Event) -> None:
        if self.options.start is not None:
            event.start = self.options.start
            event.fields["start"] = Value(agenda_time_text(event.start), "--start")
        elif "start" in self.preamble.labelled or self.preamble.times:
            times = self.preamble.times
            found = self.preamble.labelled.get("start") or (times[0] if times else None)
            assert found is not None
            event.start = self.read(_Cell(found.value, found.where, "start"), read_time)
            if event.start is not None:
                event.fields["start"] = Value(
                    agenda_time_text(event.start), found.where.ref, found.where
                )
        else:
            self._start_from_segments(segments, event)
        self._event_end_given(event)

    def _start_from_segments(self, segments: list[_Segment], event: _Event) -> None:
        if not segments:
            return  # "no segments" says it all
        first = segments[0]
        if first.span is not None and first.start_at is not None:
            event.start = first.span.start
            where = first.start_at.where
            start_text = agenda_time_text(event.start)
            event.fields["start"] = Value(start_text, f"the first start, {where.ref}")
            self._assumed(
                f"the event starts when its first segment does, at {time_text(event.start)}"
            )
            return
        has_column = "start" in self.columns.cols
        self.problem(
            Level.ERROR,
            self.where(first.row, "start") if has_column else self.sheet.where,
            "nothing says when the event starts",
            "give --start HH:MM, a start column (시간, start), or a start above the table",
        )

    def _event_end_given(self, event: _Event) -> None:
        if self.options.end is not None:
            event.end = self.options.end
            event.fields["end"] = Value(agenda_time_text(event.end, end=True), "--end")
            return
        found = self.preamble.labelled.get("end") or (
            self.preamble.times[1] if self.preamble.times else None
        )
        if found is not None:
            event.end = self.read(_Cell(found.value, found.where, "end"), read_time)
            if event.end is not None:
                text = agenda_time_text(event.end, end=True)
                comment = _said(found.where.ref, found.value)
                event.fields["end"] = Value(text, comment, found.where)

    def _event_end(self, segments: list[_Segment], event: _Event) -> None:
        if "end" in event.fields or event.start is None:
            return
        planned = self._planned_end(segments, event.start)
        if planned is None:
            return
        event.end = planned
        event.fields["end"] = Value(agenda_time_text(planned, end=True), "the last segment's end")
        self._assumed(f"the event ends when its last segment does, at {time_text(planned)}")

    def _planned_end(self, segments: list[_Segment], start: int) -> int | None:
        cursor = start
        for segment in segments:
            if segment.length is None:
                return None
            fixed = segment.fixed[0] if segment.fixed else None
            cursor = max(cursor, fixed or 0) + segment.length
        return cursor

    # -- fixed starts --
    def _fixed_starts(self, segments: list[_Segment], event: _Event) -> None:
        """Where a start in the sheet comes later than the rows above run, the segment waits
        for it: a fixed start. Earlier than they run is a contradiction the lengths win."""
        if event.start is None:
            return
        cursor = event.start
        for segment in segments:
            if segment.length is None:
                return
            cursor = self._place(segment, cursor) + segment.length

    def _place(self, segment: _Segment, cursor: int) -> int:
        if segment.fixed is not None:
            value, cell = segment.fixed
            comment = _said(cell.where.ref, cell.value)
            segment.fields["start"] = Value(agenda_time_text(value), comment, cell.where)
            return max(cursor, value)
        if segment.span is None or segment.start_at is None:
            return cursor
        start, where = segment.span.start, segment.start_at.where
        if start > cursor:
            comment = f"{where.ref}: waits {hms(start - cursor)} after the row above"
            segment.fields["start"] = Value(agenda_time_text(start), comment, where)
            self.problem(
                Level.NOTE,
                where,
                f"{time_text(start)} is {hms(start - cursor)} after the rows above end "
                f"({time_text(cursor)}): written as a fixed start",
            )
            return start
        if start < cursor:
            self.problem(
                Level.WARNING,
                where,
                f"{time_text(start)} is before the rows above end ({time_text(cursor)}); the "
                "lengths are kept and this start is left out",
                "correct the start, or the lengths above it",
            )
        return cursor

    # -- the programme --
    def _programme(self, items: list[_Segment | _GroupRow]) -> list[DraftSegment | DraftGroup]:
        """Segments into groups. A group row opens a group; a segment naming a group in the
        group column joins the open group of that name or opens one. A segment with an
        empty group cell joins the open group only while no segment has named it: once the
        column says who belongs (as an export writes it), an empty cell is outside it."""
        programme: list[DraftSegment | DraftGroup] = []
        current: _Open | None = None
        for item in items:
            if isinstance(item, _GroupRow):
                current = _Open(item, DraftGroup(item.fields))
                programme.append(current.draft)
                continue
            named = one_line(read_text(item.group.value) or "") if item.group else ""
            if named and (current is None or current.row.title != named):
                fields = {"group": self._text(item.group)} if item.group else {}
                current = _Open(_GroupRow(item.row, fields, named), DraftGroup(fields))
                programme.append(current.draft)
            elif not named and current is not None and current.named:
                current = None
            draft = DraftSegment(self._segment_fields(item))
            if current is None:
                programme.append(draft)
            else:
                current.draft.segments.append(draft)
                current.named = current.named or bool(named)
        return [item for item in programme if self._kept(item)]

    def _kept(self, item: DraftSegment | DraftGroup) -> bool:
        if not isinstance(item, DraftGroup) or item.segments:
            return True
        title = item.fields["group"]
        where = title.where or self.sheet.where
        self.problem(
            Level.WARNING,
            where,
            f"row {where.row} ({title.text!r}) has nothing but a title, so it would head a "
            "group, but no segment follows it: it is left out",
            "if it is a segment, give it a length; groups do not nest",
        )
        return False

    def _segment_fields(self, segment: _Segment) -> dict[str, Value]:
        fields = dict(segment.fields)
        ordered: dict[str, Value] = {}
        # The title first: the loader names a segment by its first line, which is then the
        # title's cell, and a problem with the id is on a line (and a cell) of its own.
        for name in ("title", "id", "subtitle", "speaker", "kind", "start"):
            if name in fields:
                ordered[name] = fields[name]
        if segment.length_value is not None:
            ordered["duration"] = segment.length_value
        if segment.limit is not None:
            ordered["limit"] = segment.limit
        ordered.update(self._thresholds(segment))
        for name in ("cue", "notes"):
            if name in fields:
                ordered[name] = fields[name]
        return ordered

    def _thresholds(self, segment: _Segment) -> dict[str, Value]:
        """A countdown shorter than the usual 1-minute wrap-up gets its own, proportionate."""
        countdown = segment.countdown_s or segment.length
        if countdown is None or countdown >= SHORT_SLOT_S:
            return {}
        wrapup = countdown // 3
        danger = wrapup // 2
        comment = f"the slot is shorter than the usual 1m wrap-up: a third of {hms(countdown)}"
        return {
            "wrapup": Value(duration_text(wrapup), comment),
            "danger": Value(duration_text(danger), "half the wrap-up"),
        }


def _said(ref: str, raw: Any) -> str:
    """A cell's reference, with what it said when it wrote a night's time past 24 hours
    (``24:30`` is written ``0:30`` in the agenda)."""
    try:
        seconds = read_time(raw)
    except CellError:
        return ref
    return f"{ref} ({time_text(seconds)})" if seconds >= DAY_S else ref
