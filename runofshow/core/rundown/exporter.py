"""An agenda written back as a rundown spreadsheet (.xlsx or .csv) a producer can keep editing.

The sheet opens with the event (title, then labelled lines: date, venue, start, end, time
zone), then a header row and one row per segment with its planned start and end (from
``core.timeline``), duration, limit, fixed start, group, title, subtitle, speaker, kind, cue
and notes. Each group gets a header row (its title in the group column, its target as the
duration) and its name on each of its rows, so the import can tell where a group ends. The
layout is exactly what ``runofshow import`` reads, so export then import gives the agenda back
in every field a spreadsheet carries (not the per-segment timer settings: wrap-up, danger,
end action, sounds, a cue's command, a video file).

In the .xlsx, times are time cells (h:mm), lengths duration cells ([h]:mm:ss) and the date a
date cell, so the spreadsheet can add them up; the CSV writes them as the agenda does (15:00,
4m30s), text that no spreadsheet turns into something else, in UTF-8 with a byte-order mark so
that Excel on a Korean Windows opens it without mangling Hangul.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runofshow.core.agenda import Agenda, Group, Segment
from runofshow.core.cells import cell_width
from runofshow.core.loader import _slug
from runofshow.core.rundown.values import KOREAN_KIND
from runofshow.core.rundown.yamlout import duration_text, time_text
from runofshow.core.timeline import planned_ends, planned_starts

COLUMNS = (
    "order", "start", "end", "fixed", "duration", "limit", "group", "title", "subtitle",
    "speaker", "kind", "cue", "notes", "id",
)  # fmt: skip
ALWAYS = {"order", "start", "end", "duration", "limit", "title", "speaker", "kind", "cue", "notes"}
HEADERS = {
    "en": {
        "order": "#", "start": "Start", "end": "End", "fixed": "Fixed start",
        "duration": "Duration", "limit": "Limit", "group": "Group", "title": "Title",
        "subtitle": "Subtitle", "speaker": "Speaker", "kind": "Kind", "cue": "Cue",
        "notes": "Notes", "id": "ID",
    },
    "ko": {
        "order": "순서", "start": "시작", "end": "종료", "fixed": "고정 시작",
        "duration": "분량", "limit": "제한", "group": "그룹", "title": "제목",
        "subtitle": "부제", "speaker": "발표자", "kind": "구분", "cue": "큐",
        "notes": "비고", "id": "ID",
    },
}  # fmt: skip
EVENT_LABELS = {
    "en": {
        "subtitle": "Subtitle", "date": "Date", "venue": "Venue", "start": "Start",
        "end": "End", "timezone": "Time zone",
    },
    "ko": {
        "subtitle": "부제", "date": "날짜", "venue": "장소", "start": "시작", "end": "종료",
        "timezone": "시간대",
    },
}  # fmt: skip
SHEET_TITLE = {"en": "Rundown", "ko": "진행표"}
TIME_COLUMNS = ("start", "end", "fixed")
LENGTH_COLUMNS = ("duration", "limit")
WRAPPED = ("title", "subtitle", "speaker", "cue", "notes", "group")
MAX_WIDTH = 48  # characters; longer text wraps in its cell


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: values by column name (times as seconds of day, lengths as seconds)."""

    values: dict[str, Any]
    is_group: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """The whole sheet before it is written in one format or the other."""

    title: str
    event: list[tuple[str, Any]]  # (label, value) lines under the title
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


def rundown_table(agenda: Agenda, lang: str = "en") -> Table:
    """The agenda as a table, its words in ``lang`` (en or ko)."""
    rows: list[Row] = []
    starts, ends = planned_starts(agenda), planned_ends(agenda)
    for seg, start, end in zip(agenda.segments, starts, ends, strict=True):
        group = agenda.group_of(seg)
        if group is not None and group.first == seg.index:
            rows.append(_group_row(group, agenda, starts, ends))
        rows.append(Row(_segment_values(seg, group, start, end, lang)))
    used = {name for row in rows for name, value in row.values.items() if value is not None}
    columns = tuple(c for c in COLUMNS if c in ALWAYS or c in used)
    return Table(
        title=agenda.event.title,
        event=_event_lines(agenda, lang),
        columns=columns,
        headers=tuple(HEADERS[lang][c] for c in columns),
        rows=tuple(rows),
    )


def _event_lines(agenda: Agenda, lang: str) -> list[tuple[str, Any]]:
    event, labels = agenda.event, EVENT_LABELS[lang]
    lines: list[tuple[str, Any]] = []
    if event.subtitle:
        lines.append((labels["subtitle"], event.subtitle))
    lines.append((labels["date"], event.date))
    if event.venue:
        lines.append((labels["venue"], event.venue))
    lines += [(labels["start"], _Time(event.start_s)), (labels["end"], _Time(event.end_s))]
    if event.timezone:
        lines.append((labels["timezone"], event.timezone))
    return lines


def _group_row(group: Group, agenda: Agenda, starts: list[int], ends: list[int]) -> Row:
    values = {
        "start": _Time(starts[group.first]),
        "end": _Time(ends[group.last]),
        "duration": _Length(group.target_s) if group.target_s else None,
        "group": group.title,
        "subtitle": group.subtitle,
    }
    return Row(values, is_group=True)


def _segment_values(
    seg: Segment, group: Group | None, start: int, end: int, lang: str
) -> dict[str, Any]:
    return {
        "order": seg.index + 1,
        "start": _Time(start),
        "end": _Time(end),
        "fixed": _Time(seg.fixed_start_s) if seg.fixed_start_s is not None else None,
        "duration": _Length(seg.duration_s),
        "limit": _Length(seg.limit_s) if seg.limit_s is not None else None,
        "group": group.title if group else None,
        "title": seg.title,
        "subtitle": seg.subtitle,
        "speaker": seg.speaker,
        "kind": KOREAN_KIND[seg.kind] if lang == "ko" else seg.kind.value,
        "cue": seg.cue.text if seg.cue else None,
        "notes": seg.notes,
        "id": None if _derived_id(seg) else seg.id,
    }


def _derived_id(seg: Segment) -> bool:
    """An id the loader made up from the title: the import leaves it out and gets it again."""
    base = f"{_slug(seg.title)}-{seg.index + 1}"
    return seg.id == base or seg.id.startswith(f"{base}-")


@dataclass(frozen=True, slots=True)
class _Time:
    seconds: int  # of the day

    def __str__(self) -> str:
        return time_text(self.seconds)


@dataclass(frozen=True, slots=True)
class _Length:
    seconds: int

    def __str__(self) -> str:
        return duration_text(self.seconds)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# -- CSV ------------------------------------------------------------------------------------


def render_csv(table: Table) -> str:
    """The table as CSV text: the event lines, an empty line, the header, the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([table.title])
    for label, value in table.event:
        writer.writerow([label, _text(value)])
    writer.writerow([])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_text(row.values.get(c)) for c in table.columns])
    return out.getvalue()


def write_csv(table: Table, path: Path) -> None:
    """UTF-8 with a byte-order mark: Excel then reads Hangul right on any Windows."""
    path.write_text(render_csv(table), encoding="utf-8-sig", newline="")


# -- xlsx -----------------------------------------------------------------------------------


def write_xlsx(table: Table, path: Path, lang: str = "en") -> None:
    """A workbook of one sheet: bold header, time-formatted cells, widths that fit."""
    from openpyxl import Workbook  # lazily: only an .xlsx export pays for it

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE.get(lang, SHEET_TITLE["en"])
    _xlsx_event(sheet, table)
    header_row = len(table.event) + 3
    _xlsx_header(sheet, table, header_row)
    for offset, row in enumerate(table.rows, start=1):
        _xlsx_row(sheet, table, row, header_row + offset)
    _xlsx_layout(sheet, table, header_row)
    workbook.save(path)


def _xlsx_event(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Font

    sheet.cell(1, 1, table.title).font = Font(bold=True, size=14)
    for i, (label, value) in enumerate(table.event, start=2):
        sheet.cell(i, 1, label).font = Font(bold=True)
        cell = sheet.cell(i, 2, _xlsx_value(value))
        cell.number_format = _xlsx_format(value)


def _xlsx_header(sheet: Any, table: Table, row: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    fill = PatternFill("solid", fgColor="D9E2EC")
    for col, text in enumerate(table.headers, start=1):
        cell = sheet.cell(row, col, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = Border(bottom=Side(style="thin"))
        cell.alignment = Alignment(vertical="center")


def _xlsx_row(sheet: Any, table: Table, row: Row, number: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="EEF2F6") if row.is_group else None
    for col, name in enumerate(table.columns, start=1):
        value = row.values.get(name)
        cell = sheet.cell(number, col, _xlsx_value(value))
        cell.number_format = _xlsx_format(value, seconds=_any_seconds(table, name))
        cell.alignment = Alignment(vertical="top", wrap_text=name in WRAPPED)
        if row.is_group:
            cell.font = Font(bold=True)
            cell.fill = fill
        elif name == "cue" and value:
            cell.font = Font(bold=True)


def _any_seconds(table: Table, name: str) -> bool:
    """Whether a time column needs seconds (15:14:30) or minutes do (15:14)."""
    values = (row.values.get(name) for row in table.rows)
    return any(isinstance(v, _Time) and v.seconds % 60 for v in values)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, _Time) and value.seconds >= 86400:
        return dt.timedelta(seconds=value.seconds)  # a night's time after midnight: 24:15
    if isinstance(value, _Time):
        return dt.time(value.seconds // 3600, value.seconds % 3600 // 60, value.seconds % 60)
    if isinstance(value, _Length):
        return dt.timedelta(seconds=value.seconds)
    return value


def _xlsx_format(value: Any, *, seconds: bool = False) -> str:
    if isinstance(value, _Time):
        hours = "[h]" if value.seconds >= 86400 else "h"  # [h] counts on past 24 hours
        return f"{hours}:mm:ss" if seconds or value.seconds % 60 else f"{hours}:mm"
    if isinstance(value, _Length):
        return "[h]:mm:ss"
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    return "General"


def _xlsx_layout(sheet: Any, table: Table, header_row: int) -> None:
    """Widths from the longest text (Hangul counts double), the header frozen, landscape."""
    from openpyxl.utils import get_column_letter

    for col, name in enumerate(table.columns, start=1):
        texts = [table.headers[col - 1], *(_text(r.values.get(name)) for r in table.rows)]
        widest = max(cell_width(line) for text in texts for line in text.splitlines() or [""])
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(6, widest + 2))
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def export_rundown(agenda: Agenda, path: Path, lang: str = "en") -> Table:
    """Write ``agenda`` to ``path`` as .xlsx or .csv (by its suffix); returns the table."""
    table = rundown_table(agenda, lang)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        write_xlsx(table, path, lang)
    else:
        write_csv(table, path)
    return table
