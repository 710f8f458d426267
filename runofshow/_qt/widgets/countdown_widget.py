"""The countdown itself: as large as the window allows, every glyph in a fixed-width cell.

Proportional digits make a running clock shimmy (a ``1`` is narrower than an ``8``), which a
speaker reads as the numbers jumping about. Each digit is drawn centred in a cell as wide as
the widest digit, so only the changing glyph moves. The font size is fitted to a template
(``8:88`` for a five-minute pitch), not to the text, so the digits do not grow when ``10:00``
becomes ``9:59``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QSize
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from runofshow._qt.fonts import ui_font

REFERENCE_PX = 200
DIGITS = "0123456789"
WIDTH_FILL = 0.96
HEIGHT_FILL = 0.86


class GlyphCells:
    """Cell widths of one font at the reference size: a digit cell, and one per other sign."""

    def __init__(self, font: QFont) -> None:
        self.metrics = QFontMetricsF(font)
        self.digit = max(self.metrics.horizontalAdvance(d) for d in DIGITS)
        self.digit_height = self.metrics.tightBoundingRect(DIGITS).height()

    def cell(self, char: str) -> float:
        return self.digit if char.isdigit() else self.metrics.horizontalAdvance(char)

    def width(self, text: str) -> float:
        return sum(self.cell(c) for c in text)


class CountdownWidget(QWidget):
    """Draws the countdown text; calls ``on_paint(text)`` on every paint (the trace hook)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._template = "8:88"
        self._reference = GlyphCells(ui_font(REFERENCE_PX, bold=True))
        self._cells: tuple[int, QFont, GlyphCells] | None = None
        self._background: QColor | None = None  # overtime's flash; None: the parent's shows
        self.on_paint: Callable[[str], None] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def text(self) -> str:
        return self._text

    def set_countdown(self, text: str, template: str) -> bool:
        """Show ``text`` sized for ``template``; repaints (and returns True) only on a change."""
        if text == self._text and template == self._template:
            return False
        old = self._text
        same_layout = template == self._template and self._same_cells(old, text)
        self._text, self._template = text, template
        if same_layout:
            self.update(self._changed_rect(old, text))
        else:
            self.update()
        return True

    def _same_cells(self, old: str, new: str) -> bool:
        """Whether ``new`` puts its characters in exactly ``old``'s cells (4:59 -> 4:58)."""
        cells = self._reference
        return len(old) == len(new) and all(
            cells.cell(a) == cells.cell(b) for a, b in zip(old, new, strict=True)
        )

    def _changed_rect(self, old: str, new: str) -> QRect:
        """The cells whose character changed, with a margin for antialiasing: a second's flip
        repaints one or two digits, not the whole block (less to draw and to send to the
        display server, every second of the show)."""
        rect = QRect()
        for (x, width), a, b in zip(self._spans(new), old, new, strict=True):
            if a != b:
                rect = rect.united(QRect(math.floor(x) - 4, 0, math.ceil(width) + 8, self.height()))
        return rect

    def _spans(self, text: str) -> list[tuple[float, float]]:
        """Each character's cell as (left x, width) in the current size."""
        _font, cells = self._font_and_cells(self.pixel_size())
        x = (self.width() - cells.width(text)) / 2
        spans = []
        for char in text:
            width = cells.cell(char)
            spans.append((x, width))
            x += width
        return spans

    def set_background(self, colour: str | None) -> None:
        """Paint this colour behind the digits (the flash), or nothing (None)."""
        new = None if colour is None else QColor(colour)
        if new != self._background:
            self._background = new
            self.update()

    def background(self) -> str | None:
        return None if self._background is None else self._background.name()

    def sizeHint(self) -> QSize:
        return QSize(640, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, 40)

    def pixel_size(self) -> int:
        """The digits' pixel size: the template fills the width or the height, whichever binds."""
        ref = self._reference
        template = self._template or "8:88"
        by_width = self.width() * WIDTH_FILL * REFERENCE_PX / ref.width(template)
        by_height = self.height() * HEIGHT_FILL * REFERENCE_PX / ref.digit_height
        return max(8, int(min(by_width, by_height)))

    def _font_and_cells(self, size: int) -> tuple[QFont, GlyphCells]:
        """The digits' font and cell widths at ``size``, measured once per size: the size
        changes with the window, the digits every second."""
        if self._cells is None or self._cells[0] != size:
            font = ui_font(size, bold=True)
            self._cells = (size, font, GlyphCells(font))
        return self._cells[1], self._cells[2]

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        if self._background is not None:
            painter.fillRect(self.rect(), self._background)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font, cells = self._font_and_cells(self.pixel_size())
        painter.setFont(font)
        painter.setPen(self.palette().windowText().color())
        baseline = (self.height() + cells.digit_height) / 2
        dirty = event.rect()
        for char, (x, cell) in zip(self._text, self._spans(self._text), strict=True):
            if x + cell < dirty.left() - 4 or x > dirty.right() + 4:
                continue  # outside what needs repainting: a huge glyph is costly to draw
            advance = cells.metrics.horizontalAdvance(char)
            painter.drawText(QPointF(x + (cell - advance) / 2, baseline), char)
        painter.end()
        if self.on_paint is not None:
            self.on_paint(self._text)
