"""Drawing text on paper: sizes in points, wrapping, and text a PDF reader can copy.

Everything printed is drawn as text (never as a picture of text), in the bundled NanumSquare,
so Korean prints on any machine and can be selected and searched in the PDF. One quirk
shapes ``Canvas.text``: Qt's PDF writer takes each glyph's Unicode value from the font's own
character map, and NanumSquare maps its space glyph from U+0001 as well as U+0020, so a
drawn space comes out of the PDF as a control character and "개회 및 국민의례" is read back as
"개회및국민의례". Drawing a line word by word, each at its measured place, leaves real gaps
that every PDF reader reads as spaces, and looks exactly the same.

Sizes are given in points and turned into the device's pixels (a PDF writer at 1200 dpi, a
printer at its own resolution), so a page looks the same on paper whatever draws it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPainter,
    QTextLayout,
    QTextOption,
)

from runofshow._qt.fonts import FAMILY, load_bundled_fonts

INK = QColor("#1f2933")
MUTED = QColor("#52606d")
RULE = QColor("#c3cad2")

_app: QGuiApplication | None = None


def ensure_app() -> None:
    """Fonts need a QGuiApplication: make an offscreen one when a terminal command prints."""
    global _app
    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["runofshow-print", "-platform", "offscreen"])
    load_bundled_fonts()


class Canvas:
    """A paged device measured in points, with the bundled font at any size."""

    def __init__(self, device: QPagedPaintDevice) -> None:
        self.device = device
        self.px_per_pt = device.logicalDpiY() / 72.0
        self.width = float(device.width())  # the printable area, inside the margins
        self.height = float(device.height())
        self._metrics: dict[tuple[int, bool], QFontMetricsF] = {}

    def pt(self, points: float) -> float:
        """Points (1/72 inch) in device pixels."""
        return points * self.px_per_pt

    def font(self, size_pt: float, *, bold: bool = False) -> QFont:
        font = QFont(FAMILY)
        font.setPixelSize(max(1, round(self.pt(size_pt))))
        font.setBold(bold)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        key = (font.pixelSize(), font.bold())
        if key not in self._metrics:
            self._metrics[key] = QFontMetricsF(font, self.device)
        return self._metrics[key]

    def line_height(self, font: QFont) -> float:
        return self.metrics(font).lineSpacing()

    def advance(self, text: str, font: QFont) -> float:
        return self.metrics(font).horizontalAdvance(text)

    def wrap(self, text: str, font: QFont, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width``: at spaces where possible, else
        anywhere (a long Korean title with few spaces), keeping its own line breaks."""
        lines: list[str] = []
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        for paragraph in text.splitlines() or [""]:
            layout = QTextLayout(paragraph, font, self.device)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                lines.append(paragraph[line.textStart() : line.textStart() + line.textLength()])
            layout.endLayout()
        return [line.rstrip() for line in lines] or [""]

    def text(
        self, painter: QPainter, x: float, baseline: float, text: str, font: QFont, color: QColor
    ) -> None:
        """Draw one line word by word (see the module's note on spaces in a PDF)."""
        painter.setFont(font)
        painter.setPen(color)
        metrics = self.metrics(font)
        start = 0
        for word in text.split(" "):
            if word:
                painter.drawText(
                    QPointF(x + metrics.horizontalAdvance(text[:start]), baseline), word
                )
            start += len(word) + 1

    def text_right(
        self, painter: QPainter, right: float, baseline: float, text: str, font: QFont,
        color: QColor,
    ) -> None:  # fmt: skip
        self.text(painter, right - self.advance(text, font), baseline, text, font, color)
