"""A one-line label whose text grows and shrinks with its box.

The MC's window is used on anything from a 13" laptop to a confidence monitor, so no text has
a fixed point size: each line takes the height its layout row gives it and shrinks only if it
would not fit the width (eliding when even the minimum size does not fit).
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from runofshow._qt.fonts import ui_font
from runofshow._qt.widgets.phase_style import SECONDARY_ROLE

REFERENCE_PX = 100
MIN_PX = 9


@functools.cache
def _reference_metrics(bold: bool) -> QFontMetricsF:
    """Metrics of the UI font at the reference size (the bundled font never changes)."""
    return QFontMetricsF(ui_font(REFERENCE_PX, bold))


class FitLabel(QWidget):
    """Draws one line of text as large as its rectangle allows."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        bold: bool = False,
        secondary: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        height_fill: float = 0.78,
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._bold = bold
        self._role = SECONDARY_ROLE if secondary else QPalette.ColorRole.WindowText
        self._align = align
        self._height_fill = height_fill
        self._cache: tuple[tuple[str, int, int], tuple[int, QFont, str]] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 24)

    def minimumSizeHint(self) -> QSize:
        return QSize(20, 10)

    def pixel_size(self) -> int:
        """The size the text is drawn at in the current rectangle."""
        return self._layout()[0] if self._text else MIN_PX

    def _layout(self) -> tuple[int, QFont, str]:
        """Pixel size, font and (elided) text for the current text and rectangle.

        Measuring text is the costly part of a paint; a label repaints for a colour change
        (overtime flashes the whole window four times a second) far more often than its text
        or size change, so the result is kept until one of them does."""
        key = (self._text, self.width(), self.height())
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        ref = _reference_metrics(self._bold)
        by_height = self.height() * self._height_fill * REFERENCE_PX / ref.height()
        width = ref.horizontalAdvance(self._text)
        by_width = self.width() * 0.98 * REFERENCE_PX / width if width > 0 else by_height
        size = max(MIN_PX, int(min(by_height, by_width)))
        font = ui_font(size, self._bold)
        text = self._text
        if size > by_width:  # even the smallest size is too wide: only then is text cut
            text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, self.width())
        self._cache = (key, (size, font, text))
        return size, font, text

    def paintEvent(self, _event) -> None:
        if not self._text:
            return
        _size, font, text = self._layout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.setPen(self.palette().color(self._role))
        flags = self._align | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(self.rect()), int(flags), text)
        painter.end()
