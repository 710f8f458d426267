"""A one-line label whose text grows and shrinks with its box.

The MC's window is used on anything from a 13" laptop to a confidence monitor, so no text has
a fixed point size: each line takes the height its layout row gives it and shrinks only if it
would not fit the width (eliding when even the minimum size does not fit).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from runofshow._qt.fonts import ui_font
from runofshow._qt.phase_style import SECONDARY_ROLE

REFERENCE_PX = 100
MIN_PX = 9


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
        if not self._text:
            return MIN_PX
        ref = QFontMetricsF(ui_font(REFERENCE_PX, self._bold))
        by_height = self.height() * self._height_fill * REFERENCE_PX / ref.height()
        width = ref.horizontalAdvance(self._text)
        by_width = self.width() * 0.98 * REFERENCE_PX / width if width > 0 else by_height
        return max(MIN_PX, int(min(by_height, by_width)))

    def paintEvent(self, _event) -> None:
        if not self._text:
            return
        font = ui_font(self.pixel_size(), self._bold)
        metrics = QFontMetricsF(font)
        text = metrics.elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.setPen(self.palette().color(self._role))
        flags = self._align | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(self.rect()), int(flags), text)
        painter.end()
