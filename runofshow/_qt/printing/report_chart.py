"""The report's Gantt chart: planned against actual per segment, drawn with QPainter to a PNG.

Used only by ``runofshow report --chart``, which imports it lazily: the core never imports
Qt. It works without a display — a ``QGuiApplication`` on the ``offscreen`` platform is made
when no application exists — and registers the bundled NanumSquare so the Korean titles are
drawn with real glyphs on machines that have no Korean font.

Each segment gets one row: its title on the left, a thin grey bar for the planned slot and
below it a bar for when it actually ran (green on time, amber over its slot, red over its
limit, with the overrun written after the bar as ``+0:42``).
Only segments with a hard ``limit`` can be red; one without that runs long is amber.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QImage, QPainter, QPen

from runofshow._qt.fonts import FAMILY, load_bundled_fonts
from runofshow.core.report import SegmentReport, ShowReport, over_limit, over_slot
from runofshow.core.timefmt import drift_text, hms

__all__ = ["OVER_LIMIT", "chart_image", "render_chart"]

BACKGROUND = QColor("#ffffff")
INK = QColor("#1f2933")
MUTED = QColor("#66727f")
GRID = QColor("#e4e7eb")
PLANNED = QColor("#b8c2cc")
ON_TIME = QColor("#2e7d32")
OVER_SLOT = QColor("#f0a500")
OVER_LIMIT = QColor("#d32f2f")
OVER_SLOT_TEXT = QColor("#9a6700")  # the amber, darkened enough to read as text
BAND = QColor("#f5f7fa")

ROW_H = 40
HEADER_H = 118
AXIS_H = 28
FOOTER_H = 54
LABEL_W = 430
RIGHT_W = 96
PAD = 20

_app: QGuiApplication | None = None


def _ensure_app() -> None:
    """QPainter on a QImage needs a QGuiApplication for fonts; make an offscreen one if the
    process has none (the report runs from a terminal, maybe with no display at all)."""
    global _app
    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["runofshow-report", "-platform", "offscreen"])
    load_bundled_fonts()


def _font(pixel_size: int, bold: bool = False) -> QFont:
    font = QFont(FAMILY)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font


@dataclass(frozen=True, slots=True)
class _Axis:
    """Maps epoch seconds to x pixels over the show's span."""

    t0: float
    t1: float
    x0: float
    x1: float

    def x(self, t: float) -> float:
        return self.x0 + (t - self.t0) / (self.t1 - self.t0) * (self.x1 - self.x0)


def _span(report: ShowReport) -> tuple[float, float]:
    """First and last instant worth drawing, widened to whole tick steps."""
    times = [report.planned_start.timestamp(), report.planned_end.timestamp()]
    times.append(report.projected_end.timestamp())
    for s in report.segments:
        times += [t.timestamp() for t in (s.actual_start, s.actual_end) if t is not None]
    t0, t1 = min(times), max(times)
    step = _tick_step(t1 - t0)
    return math.floor(t0 / step) * step, math.ceil(t1 / step) * step + (step if t1 == t0 else 0)


def _tick_step(span_s: float) -> int:
    for step in (60, 300, 600, 900, 1800, 3600):
        if span_s / step <= 14:
            return step
    return 7200


def _over_limit(s: SegmentReport) -> bool:
    """Past a hard limit (a pitch's 5 minutes): the red mark. A segment without a limit that
    runs long is over its slot only (amber)."""
    return s.limit_s is not None and over_limit(s) >= 1


def _colour(s: SegmentReport) -> QColor:
    if _over_limit(s):
        return OVER_LIMIT
    if over_slot(s):
        return OVER_SLOT
    return ON_TIME


def _overrun_label(s: SegmentReport) -> tuple[str, QColor] | None:
    """What to write after the actual bar: the time past the limit, else past the slot,
    rounded as the report's table rounds it (``report.over_slot`` / ``over_limit``)."""
    if _over_limit(s):
        return f"+{hms(over_limit(s))}", OVER_LIMIT
    if over_slot(s):
        return f"+{hms(over_slot(s))}", OVER_SLOT_TEXT
    return None


def chart_height(report: ShowReport) -> int:
    """The chart's height in its own pixels: it follows the segment count."""
    return HEADER_H + AXIS_H + ROW_H * max(1, len(report.segments)) + FOOTER_H


def chart_image(report: ShowReport, width: int = 1600) -> QImage:
    """The chart as an image ``width`` pixels wide."""
    _ensure_app()
    height = chart_height(report)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        paint_chart(painter, report, width, height)
    finally:
        painter.end()
    return image


def paint_chart(painter: QPainter, report: ShowReport, width: int, height: int) -> None:
    """The chart on any painter (an image, a PDF page), in a ``width`` x ``height`` box."""
    painter.fillRect(0, 0, width, height, BACKGROUND)
    t0, t1 = _span(report)
    axis = _Axis(t0, t1, LABEL_W, width - RIGHT_W)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    _header(painter, report, width)
    _grid(painter, report, axis, height)
    for row, segment in enumerate(report.segments):
        _segment_row(painter, segment, axis, HEADER_H + AXIS_H + row * ROW_H, width)
    _end_markers(painter, report, axis, height)
    _footer(painter, report, height)


def render_chart(report: ShowReport, path: str | Path, width: int = 1600) -> Path:
    """Draw the chart and save it as a PNG at ``path``; ``OSError`` if it cannot be written."""
    target = Path(path)
    # PySide6 takes the format as str at run time (its stubs say bytes, which it refuses).
    if not chart_image(report, width).save(str(target), "PNG"):  # type: ignore[call-overload]
        raise OSError(f"Qt could not write a PNG to {target}")
    return target


def _header(p: QPainter, report: ShowReport, width: int) -> None:
    p.setPen(INK)
    p.setFont(_font(26, bold=True))
    p.drawText(QPointF(PAD, 40), report.title)
    kind = "Rehearsal" if report.mode == "rehearsal" else "Live show"
    state = "" if report.ended else f" — not ended, as of {report.as_of:%H:%M}"
    p.setFont(_font(16))
    p.setPen(MUTED)
    p.drawText(QPointF(PAD, 68), f"{kind} #{report.show_id}, {report.show_date}{state}")
    _legend(p, width)


def _legend(p: QPainter, width: int) -> None:
    entries = [
        (PLANNED, "planned"),
        (ON_TIME, "actual"),
        (OVER_SLOT, "over slot"),
        (OVER_LIMIT, "over limit"),
    ]
    p.setFont(_font(15))
    metrics = QFontMetrics(p.font())
    x, y = float(PAD), 96.0
    for colour, label in entries:
        p.fillRect(QRectF(x, y - 11, 26, 12), colour)
        p.setPen(INK)
        p.drawText(QPointF(x + 32, y), label)
        x += 32 + metrics.horizontalAdvance(label) + 28


def _grid(p: QPainter, report: ShowReport, axis: _Axis, height: int) -> None:
    """Alternate row bands, then the time axis: a labelled line per tick."""
    top = HEADER_H + AXIS_H
    for row in range(0, len(report.segments), 2):
        p.fillRect(QRectF(0, top + row * ROW_H, axis.x1 + RIGHT_W, ROW_H), BAND)
    step = _tick_step(axis.t1 - axis.t0)
    tz = report.planned_start.tzinfo
    p.setFont(_font(14))
    metrics = QFontMetrics(p.font())
    tick = axis.t0
    while tick <= axis.t1 + 0.5:
        x = axis.x(tick)
        p.setPen(QPen(GRID, 1))
        p.drawLine(QPointF(x, top), QPointF(x, height - FOOTER_H))
        label = dt.datetime.fromtimestamp(tick, tz).strftime("%H:%M")
        p.setPen(MUTED)
        p.drawText(QPointF(x - metrics.horizontalAdvance(label) / 2, top - 9), label)
        tick += step


def _segment_row(p: QPainter, s: SegmentReport, axis: _Axis, top: float, width: int) -> None:
    p.setFont(_font(16))
    metrics = QFontMetrics(p.font())
    label = metrics.elidedText(f"{s.index + 1}  {s.title}", Qt.TextElideMode.ElideRight,
                               LABEL_W - PAD * 2)  # fmt: skip
    p.setPen(INK if s.actual_start is not None else MUTED)
    p.drawText(QPointF(PAD, top + ROW_H / 2 + metrics.ascent() / 2 - 2), label)
    planned = QRectF(
        axis.x(s.planned_start.timestamp()), top + 7,
        axis.x(s.planned_end.timestamp()) - axis.x(s.planned_start.timestamp()), 9,
    )  # fmt: skip
    p.fillRect(planned, PLANNED)
    if s.actual_start is None:
        return
    end = s.actual_end or s.actual_start + dt.timedelta(seconds=s.actual_duration_s)
    x0, x1 = axis.x(s.actual_start.timestamp()), axis.x(end.timestamp())
    p.fillRect(QRectF(x0, top + 19, max(2.0, x1 - x0), 14), _colour(s))
    overrun = _overrun_label(s)
    if overrun is not None:
        p.setPen(overrun[1])
        p.setFont(_font(15, bold=True))
        p.drawText(QPointF(x1 + 6, top + 32), overrun[0])


def _end_markers(p: QPainter, report: ShowReport, axis: _Axis, height: int) -> None:
    """Dashed lines at the planned end and at the actual (or projected) end."""
    top, bottom = HEADER_H + AXIS_H - 4, height - FOOTER_H + 4
    for when, colour in ((report.planned_end, MUTED), (report.projected_end, INK)):
        pen = QPen(colour, 2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        x = axis.x(when.timestamp())
        p.drawLine(QPointF(x, top), QPointF(x, bottom))


def _footer(p: QPainter, report: ShowReport, height: int) -> None:
    planned = f"Planned {report.planned_start:%H:%M:%S} – {report.planned_end:%H:%M:%S}"
    if report.ended and report.actual_end is not None:
        start = report.actual_start or report.planned_start
        actual = f"actual {start:%H:%M:%S} – {report.actual_end:%H:%M:%S}"
    else:
        actual = f"projected end {report.projected_end:%H:%M:%S}"
    p.setFont(_font(17, bold=True))
    p.setPen(OVER_LIMIT if report.drift_s >= 1 else INK)
    text = f"{planned}   ·   {actual}   ({drift_text(report.drift_s)})"
    p.drawText(QPointF(PAD, height - 20), text)
