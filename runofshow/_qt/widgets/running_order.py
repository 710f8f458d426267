"""The compact running order beside the countdown: where in the programme the MC is.

One line per segment (projected start, number, title), the current one inverted, past ones
ticked, overruns marked with how far over their limit they went. When the agenda has more
rows than fit, the view scrolls so that two rows before the current one stay visible.

The rows come as ``OrderRows``, each formatted when first painted: the widget shows a
screenful of a 20,000-row agenda, and a change costs that screenful, not the agenda.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import overload

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
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


class OrderRows(Sequence[OrderRow]):
    """The running order at one instant, each row made (``row(i)``) when first asked for and
    kept; ``current`` is the current row's index (None once the show has ended)."""

    def __init__(self, count: int, current: int | None, row: Callable[[int], OrderRow]) -> None:
        self._count = count
        self.current = current
        self._row = row
        self._made: dict[int, OrderRow] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> OrderRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[OrderRow, ...]: ...

    def __getitem__(self, index: int | slice) -> OrderRow | tuple[OrderRow, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._count)))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._row(index)
        return row


class RunningOrderWidget(QWidget):
    """Paints ``OrderRow``s; one ``set_rows`` call per change, no per-row widgets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[OrderRow] = ()
        self._fonts: dict[tuple[int, bool], tuple[QFont, QFontMetricsF, float]] = {}
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def rows(self) -> Sequence[OrderRow]:
        return self._rows

    def set_rows(self, rows: Sequence[OrderRow]) -> None:
        """New rows; repainted only if what the widget shows of them differs."""
        if rows is self._rows:
            return
        shown = self._shown()
        self._rows = rows
        if self._shown() != shown:
            self.update()

    def _shown(self) -> tuple[object, ...]:
        """What a paint draws: how many rows (their height) and the visible ones."""
        first = self.first_visible()
        last = min(len(self._rows), first + self._fits() + 1)
        return len(self._rows), first, tuple(self._rows[i] for i in range(first, last))

    def sizeHint(self) -> QSize:
        return QSize(360, 400)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 80)

    def row_height(self) -> float:
        count = max(1, len(self._rows))
        return max(MIN_ROW_PX, min(MAX_ROW_PX, self.height() / count))

    def _fits(self) -> int:
        return max(1, int(self.height() / self.row_height() + 1e-6))

    def _current(self) -> int:
        if isinstance(self._rows, OrderRows):
            return self._rows.current or 0
        return next((i for i, r in enumerate(self._rows) if r.state == "current"), 0)

    def first_visible(self) -> int:
        """The first row drawn: keeps the current row near the top when not all rows fit."""
        fits = self._fits()
        if len(self._rows) <= fits:
            return 0
        return max(0, min(self._current() - ROWS_BEFORE_CURRENT, len(self._rows) - fits))

    def paintEvent(self, _event) -> None:
        if not self._rows:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        row_h = self.row_height()
        y = 0.0
        first = self.first_visible()
        for i in range(first, len(self._rows)):
            if y + row_h > self.height() + 0.5:
                break
            self._paint_row(painter, QRectF(0, y, self.width(), row_h), i + 1, self._rows[i])
            y += row_h
        painter.end()

    def _font(self, pixel_size: int, bold: bool) -> tuple[QFont, QFontMetricsF, float]:
        """The rows' font at a size, its metrics and the width of a time: made once per size
        rather than for each of the ~25 rows of every repaint."""
        key = (pixel_size, bold)
        cached = self._fonts.get(key)
        if cached is None:
            font = ui_font(pixel_size, bold=bold)
            metrics = QFontMetricsF(font)
            cached = self._fonts[key] = (font, metrics, metrics.horizontalAdvance("88:88 "))
        return cached

    def _paint_row(self, painter: QPainter, rect: QRectF, number: int, row: OrderRow) -> None:
        palette = self.palette()
        current = row.state == "current"
        fg = palette.color(SECONDARY_ROLE)
        if current:
            painter.fillRect(rect.adjusted(0, 1, 0, -1), palette.windowText())
            fg = palette.window().color()
        font, metrics, time_w = self._font(int(rect.height() * 0.5), current)
        painter.setFont(font)
        painter.setPen(fg)
        pad = rect.height() * 0.2
        mark = "✓" if row.state == "past" else "▶" if current else " "
        time_w += pad
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
