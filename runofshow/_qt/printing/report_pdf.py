"""The post-show report as a PDF: the table of planned against actual, then the Gantt chart.

The table has the columns ``runofshow report`` prints, with each group's header row, the
overrun past a hard limit in bold red and past the slot in amber, and the show's planned and
actual end at the top. The chart is the one ``runofshow report --chart`` draws
(``runofshow._qt.printing.report_chart``), painted by the same code straight onto the PDF
page, scaled to fit it, so its text and bars stay sharp vector drawing rather than an
embedded picture.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtGui import QColor, QPainter

from runofshow._qt.printing import report_chart as chart
from runofshow._qt.printing.canvas import INK, MUTED, Canvas, ensure_app
from runofshow._qt.printing.run_sheet import GROUP_BAND, paint_footer, pdf_writer
from runofshow._qt.printing.table import Block, Cell, Column, Layout, Para, Row, Table, render
from runofshow.core.report import (
    SegmentReport,
    ShowReport,
    clock_text,
    over_limit,
    over_slot,
    title_shown,
)
from runofshow.core.timefmt import drift_text, hms

LATE = QColor("#c62828")
AMBER_TEXT = QColor("#8a5a00")
CHART_WIDTH = 1600  # the chart's own pixel space, scaled onto the page

COLUMNS = (  # title, share, right-aligned, fitted to
    ("#", 0, True, "00"), ("Segment", 1, False, ""), ("Planned", 0, True, "00:00:00"),
    ("Slot", 0, True, "→00:00"), ("Limit", 0, True, "00:00"), ("Start", 0, True, "00:00:00"),
    ("End", 0, True, "00:00:00"), ("Ran", 0, True, "00:00"), ("Over slot", 0, True, "+0:00"),
    ("Over limit", 0, True, "+0:00"), ("Pauses", 0, True, "0"), ("Added", 0, True, "+0:00"),
    ("Status", 0, False, "not reached"),
)  # fmt: skip


def write_report_pdf(
    report: ShowReport,
    path: str | Path,
    *,
    paper: str = "a4",
    printed_at: dt.datetime | None = None,
) -> int:
    """Write ``report`` as a PDF at ``path``: the table, then the chart; returns the pages."""
    ensure_app()
    writer = pdf_writer(Path(path), paper, f"{report.title} — post-show report")
    canvas = Canvas(writer)
    fonts = _Fonts(canvas)
    columns = [Column(t, w, r, fit, fonts.bold if fit else None) for t, w, r, fit in COLUMNS]
    table = Table(canvas, columns, fonts.header)
    printed = printed_at or dt.datetime.now().astimezone()
    footer = (
        f"{Path(report.agenda_path).name}  ·  report of show #{report.show_id}  ·  "
        f"printed {printed:%Y-%m-%d %H:%M}"
    )
    layout = Layout(
        first_heading=_heading(canvas, report, fonts),
        heading=_short_heading(canvas, report, fonts),
        footer=lambda p, page, pages: paint_footer(
            canvas, p, footer, f"page {page} of {pages}", fonts.small, fonts.page
        ),
        footer_height=canvas.line_height(fonts.small) + canvas.pt(6),
        after=[lambda p: _chart_page(canvas, p, report, fonts)],
    )
    return render(writer, table, _rows(report, fonts), layout)


class _Fonts:
    def __init__(self, canvas: Canvas) -> None:
        self.title = canvas.font(17, bold=True)
        self.info = canvas.font(10.5)
        self.summary = canvas.font(11.5, bold=True)
        self.header = canvas.font(9, bold=True)
        self.body = canvas.font(10)
        self.bold = canvas.font(10, bold=True)
        self.group = canvas.font(11, bold=True)
        self.small = canvas.font(9)
        self.page = canvas.font(10, bold=True)


def _clock(value: dt.datetime | None, day: dt.date) -> str:
    return clock_text(value, day)


def _over(seconds: int) -> str:
    """Whole seconds as ``report.over_slot`` / ``over_limit`` round them (the text table and
    the chart say the same)."""
    return f"+{hms(seconds)}" if seconds > 0 else ""


def _added(seconds: float) -> str:
    whole = round(seconds)
    return "" if whole == 0 else f"{'+' if whole > 0 else '-'}{hms(abs(whole))}"


def _rows(report: ShowReport, fonts: _Fonts) -> list[Row]:
    rows: list[Row] = []
    group: str | None = None
    for segment in report.segments:
        if segment.group is not None and segment.group != group:
            rows.append(Row([Cell((Para(segment.group, fonts.group),))], band=GROUP_BAND,
                            span=True, keep_with_next=True))  # fmt: skip
        group = segment.group
        rows.append(Row(_cells(segment, fonts, report.show_date)))
    return rows


def _cells(s: SegmentReport, fonts: _Fonts, day: dt.date) -> list[Cell]:
    ran = s.actual_start is not None
    ink = INK if ran else MUTED

    def cell(text: str, *, font=None, colour: QColor = ink, right: bool = True) -> Cell:
        return Cell((Para(text, font or fonts.body, colour),), right=right)

    past_limit = s.limit_s is not None and over_limit(s) > 0
    return [
        cell(str(s.index + 1), colour=MUTED),
        cell(title_shown(s), font=fonts.bold, right=False),
        cell(_clock(s.planned_start, day)),
        _slot_cell(s, fonts, ink),
        cell("-" if s.limit_s is None else hms(s.limit_s)),
        cell(_clock(s.actual_start, day)),
        cell(_clock(s.actual_end, day)),
        cell(hms(round(s.actual_duration_s)) if ran else "-"),
        cell(_over(over_slot(s)), font=fonts.bold, colour=AMBER_TEXT),
        cell(_over(over_limit(s)), font=fonts.bold, colour=LATE if past_limit else ink),
        cell(str(s.pauses) if s.pauses else ""),
        cell(_added(s.added_s)),
        cell(s.status, colour=MUTED, right=False),
    ]


def _slot_cell(s: SegmentReport, fonts: _Fonts, ink: QColor) -> Cell:
    """The planned slot, and under it the one an applied plan gave it (``→3:30``)."""
    paras = [Para(hms(s.planned_duration_s), fonts.body, ink)]
    if s.planned_slot_s is not None:
        paras.append(Para(f"→{hms(round(s.planned_slot_s))}", fonts.small, AMBER_TEXT))
    return Cell(tuple(paras), right=True)


def _summary(report: ShowReport) -> str:
    day = report.show_date
    planned = f"Planned {_clock(report.planned_start, day)} - {_clock(report.planned_end, day)}"
    if report.ended and report.actual_end is not None:
        start = report.actual_start or report.planned_start
        actual = f"actual {_clock(start, day)} - {_clock(report.actual_end, day)}"
    else:
        actual = f"projected end {_clock(report.projected_end, day)}"
    return f"{planned}  ·  {actual}  ({drift_text(report.drift_s)})"


def _heading(canvas: Canvas, report: ShowReport, fonts: _Fonts) -> Block:
    kind = "rehearsal" if report.mode == "rehearsal" else "live show"
    as_of = _clock(report.as_of, report.show_date)
    state = "ended" if report.ended else f"not ended, as of {as_of}"
    lines = [
        *((t, fonts.title, INK) for t in canvas.wrap(report.title, fonts.title, canvas.width)),
        (f"Post-show report  ·  {kind} #{report.show_id}  ·  {report.show_date}  ·  {state}",
         fonts.info, INK),
        (f"agenda: {report.agenda_path}", fonts.small, MUTED),
        (_summary(report), fonts.summary, LATE if report.drift_s >= 1 else INK),
    ]  # fmt: skip
    height = sum(canvas.line_height(f) for _t, f, _c in lines) + canvas.pt(8)

    def paint(painter: QPainter, top: float) -> None:
        y = top
        for text, font, colour in lines:
            canvas.text(painter, 0, y + canvas.metrics(font).ascent(), text, font, colour)
            y += canvas.line_height(font)

    return Block(height, paint)


def _short_heading(canvas: Canvas, report: ShowReport, fonts: _Fonts) -> Block:
    text = f"{report.title}  ·  post-show report #{report.show_id} (continued)"
    line = canvas.wrap(text, fonts.bold, canvas.width)[0]
    height = canvas.line_height(fonts.bold) + canvas.pt(6)

    def paint(painter: QPainter, top: float) -> None:
        canvas.text(painter, 0, top + canvas.metrics(fonts.bold).ascent(), line, fonts.bold, INK)

    return Block(height, paint)


def _chart_page(canvas: Canvas, painter: QPainter, report: ShowReport, fonts: _Fonts) -> None:
    """The Gantt chart, drawn by report_chart's own painting code, scaled to the page."""
    heading = "Planned against actual"
    top = canvas.line_height(fonts.title) + canvas.pt(6)
    canvas.text(painter, 0, canvas.metrics(fonts.title).ascent(), heading, fonts.title, INK)
    height = chart.chart_height(report)
    room = canvas.height - top - canvas.pt(24)
    scale = min(canvas.width / CHART_WIDTH, room / height)
    painter.save()
    try:
        painter.translate(0, top)
        painter.scale(scale, scale)
        chart.paint_chart(painter, report, CHART_WIDTH, height)
    finally:
        painter.restore()
