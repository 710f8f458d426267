"""The compact running order beside the countdown: where in the programme the MC is.

One line per segment (projected start, number, title), the current one inverted, past ones
ticked, overruns marked with how far over their limit they went. When the agenda has more
rows than fit, the view scrolls so that two rows before the current one stay visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from runofshow._qt.fonts import ui_font
from runofshow._qt.widgets.phase_style import SECONDARY_ROLE

MIN_ROW_PX = 24
MAX_ROW_PX = 56
ROWS_BEFORE_CURRENT = 2


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One running-order line, already formatted."""

    start: str  # "15:12", projected (actual for past rows)
    title: str
    state: str  # "past" | "current" | "future"
    note: str = ""  # "+0:12" for a segment that ran over its limit


class RunningOrderWidget(QWidget):
    """Paints ``OrderRow``s; one ``set_rows`` call per change, no per-row widgets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[OrderRow, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def rows(self) -> tuple[OrderRow, ...]:
        return self._rows

    def set_rows(self, rows: Sequence[OrderRow]) -> None:
        rows = tuple(rows)
        if rows != self._rows:
            self._rows = rows
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 400)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 80)

    def row_height(self) -> float:
        count = max(1, len(self._rows))
        return max(MIN_ROW_PX, min(MAX_ROW_PX, self.height() / count))

    def first_visible(self) -> int:
        """The first row drawn: keeps the current row near the top when not all rows fit."""
        fits = max(1, int(self.height() / self.row_height() + 1e-6))
        if len(self._rows) <= fits:
            return 0
        current = next((i for i, r in enumerate(self._rows) if r.state == "current"), 0)
        return max(0, min(current - ROWS_BEFORE_CURRENT, len(self._rows) - fits))

    def paintEvent(self, _event) -> None:
        if not self._rows:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        row_h = self.row_height()
        y = 0.0
        for number, row in enumerate(self._rows[self.first_visible() :], self.first_visible() + 1):
            if y + row_h > self.height() + 0.5:
                break
            self._paint_row(painter, QRectF(0, y, self.width(), row_h), number, row)
            y += row_h
        painter.end()

    def _paint_row(self, painter: QPainter, rect: QRectF, number: int, row: OrderRow) -> None:
        palette = self.palette()
        current = row.state == "current"
        fg = palette.color(SECONDARY_ROLE)
        if current:
            painter.fillRect(rect.adjusted(0, 1, 0, -1), palette.windowText())
            fg = palette.window().color()
        font = ui_font(int(rect.height() * 0.5), bold=current)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        painter.setPen(fg)
        pad = rect.height() * 0.2
        mark = "✓" if row.state == "past" else "▶" if current else " "
        time_w = metrics.horizontalAdvance("88:88 ") + pad
        note_w = metrics.horizontalAdvance(row.note + " ") if row.note else 0.0
        left = rect.adjusted(pad, 0, 0, 0)
        centre = int(Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(left, centre | int(Qt.AlignmentFlag.AlignLeft), row.start)
        title_rect = rect.adjusted(pad + time_w, 0, -pad - note_w, 0)
        label = f"{mark} {number}. {row.title}"
        elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, centre | int(Qt.AlignmentFlag.AlignLeft), elided)
        if row.note:
            note_rect = rect.adjusted(0, 0, -pad, 0)
            painter.drawText(note_rect, centre | int(Qt.AlignmentFlag.AlignRight), row.note)
