"""A flat bar of how much of the segment has run; past its end it fills and turns hatched."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class SegmentProgressBar(QWidget):
    """Draws ``progress`` (elapsed / allowance, may exceed 1) in the palette's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._progress = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)

    def progress(self) -> float:
        return self._progress

    def set_progress(self, progress: float) -> None:
        # Whole thousandths: enough for any screen width, and no repaint for invisible change.
        rounded = round(max(0.0, progress), 3)
        if rounded != self._progress:
            self._progress = rounded
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, 16)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        border = max(1.0, self.height() / 10)
        frame = QRectF(self.rect()).adjusted(border / 2, border / 2, -border / 2, -border / 2)
        painter.setPen(QPen(palette.windowText().color(), border))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame)
        filled = QRectF(frame)
        filled.setWidth(frame.width() * min(1.0, self._progress))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.highlight())
        painter.drawRect(filled)
        if self._progress > 1.0:
            painter.setBrush(QBrush(palette.windowText().color(), Qt.BrushStyle.BDiagPattern))
            painter.drawRect(filled)
        painter.end()
