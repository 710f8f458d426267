"""A printed table that runs over pages the way a crew needs it to.

A row never splits across pages (a segment's times, title and cue stay together); the
column header repeats at the top of every page; a group's header row is kept with the
first row under it, so a page never ends on a heading. Text wraps inside its column instead
of being cut. Each page is framed by a heading (a larger one on the first page) and a footer
that knows the page count, which is why the table is paginated before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice, QPainter, QPen

from runofshow._qt.printing.canvas import INK, RULE, Canvas

PAD_PT = 3.0  # inside a cell, top and bottom
GAP_PT = 7.0  # between columns: a right-aligned time never touches the title after it
MARKER_PT = 3.0  # the bar at the left edge of a marked row (a cue)


@dataclass(frozen=True, slots=True)
class Para:
    """A run of text in a cell, in one font and colour (a title, then its subtitle)."""

    text: str
    font: QFont
    color: QColor = field(default_factory=lambda: QColor(INK))


@dataclass(frozen=True, slots=True)
class Cell:
    paras: tuple[Para, ...] = ()
    right: bool = False  # right-aligned (times, lengths)


@dataclass(frozen=True, slots=True)
class Column:
    """A column: a share of the width, or exactly as wide as ``fit`` (a time: 15:14:30)."""

    title: str
    weight: float  # its share of the width the fitted columns leave
    right: bool = False
    fit: str = ""  # the widest text it holds, measured in ``fit_font``
    fit_font: QFont | None = None


@dataclass(slots=True)
class Row:
    """One table row; a ``span`` row is one cell across the table (a group's header)."""

    cells: Sequence[Cell]
    band: QColor | None = None
    marker: QColor | None = None
    span: bool = False
    aside: Cell | None = None  # a span row's right-aligned text
    keep_with_next: bool = False
    _lines: list[list[tuple[str, Para]]] = field(default_factory=list)
    height: float = 0.0


@dataclass(slots=True)
class Block:
    """Something drawn above or below the table on a page: its height and how to paint it."""

    height: float
    paint: Callable[[QPainter, float], None]  # (painter, top)


@dataclass(slots=True)
class Layout:
    """How a document is framed: its headings, footer, and pages drawn after the table."""

    first_heading: Block
    heading: Block
    footer: Callable[[QPainter, int, int], float]  # (painter, page, pages) -> its height
    footer_height: float
    after: list[Callable[[QPainter], None]] = field(default_factory=list)


class Table:
    """Columns sized from their weights over the page's width, rows measured and drawn."""

    def __init__(self, canvas: Canvas, columns: Sequence[Column], header_font: QFont) -> None:
        self.canvas = canvas
        self.columns = list(columns)
        self.header_font = header_font
        self.gap = canvas.pt(GAP_PT)
        self.pad = canvas.pt(PAD_PT)
        fitted = [self._fitted(c) for c in columns]
        total = sum(c.weight for c, w in zip(columns, fitted, strict=True) if w is None)
        usable = canvas.width - self.gap * (len(columns) + 1) - sum(w or 0 for w in fitted)
        self.widths = [
            w if w is not None else usable * c.weight / total
            for c, w in zip(columns, fitted, strict=True)
        ]
        self.lefts = []
        x = self.gap
        for width in self.widths:
            self.lefts.append(x)
            x += width + self.gap
        self.header_height = canvas.line_height(header_font) * self._header_lines() + 2 * self.pad

    def _fitted(self, column: Column) -> float | None:
        if not column.fit:
            return None
        text = self.canvas.advance(column.fit, column.fit_font or self.header_font)
        return max(text, self.canvas.advance(column.title, self.header_font))

    def _header_lines(self) -> int:
        return max(
            len(self.canvas.wrap(c.title, self.header_font, w))
            for c, w in zip(self.columns, self.widths, strict=True)
        )

    # -- measuring --
    def measure(self, row: Row, max_height: float) -> float:
        """Wrap the row's text into its columns; its height, at most ``max_height``."""
        row._lines = []
        boxes = self._boxes(row)
        for cell, width in boxes:
            lines = [
                (line, para)
                for para in cell.paras
                for line in self.canvas.wrap(para.text, para.font, width)
            ]
            row._lines.append(lines)
        if row.span:  # the aside shares the line with the span's first line
            row._lines[0] = row._lines[0] or [("", Para("", self.header_font))]
        height = max((self._lines_height(lines) for lines in row._lines), default=0.0)
        row.height = min(height + 2 * self.pad, max_height)
        if height + 2 * self.pad > max_height:  # taller than a page: cut, never split
            self._cut(row, max_height - 2 * self.pad)
        return row.height

    def _boxes(self, row: Row) -> list[tuple[Cell, float]]:
        if row.span:
            aside = self.canvas.advance(self._aside_text(row), self._aside_font(row))
            width = self.canvas.width - 2 * self.gap - aside - (self.gap * 2 if aside else 0)
            return [(row.cells[0], width)]
        return list(zip(row.cells, self.widths, strict=True))

    def _aside_text(self, row: Row) -> str:
        return " ".join(p.text for p in row.aside.paras) if row.aside else ""

    def _aside_font(self, row: Row) -> QFont:
        return row.aside.paras[0].font if row.aside and row.aside.paras else self.header_font

    def _lines_height(self, lines: list[tuple[str, Para]]) -> float:
        return sum(self.canvas.line_height(para.font) for _line, para in lines)

    def _cut(self, row: Row, room: float) -> None:
        """A cell taller than a page loses its last lines, and says so with an ellipsis."""
        for lines in row._lines:
            cut = False
            while lines and self._lines_height(lines) > room:
                lines.pop()
                cut = True
            if cut and lines:
                text, para = lines[-1]
                lines[-1] = (text[: max(0, len(text) - 1)] + "…", para)

    # -- drawing --
    def paint_header(self, painter: QPainter, top: float) -> float:
        painter.fillRect(QRectF(0, top, self.canvas.width, self.header_height), QColor("#e4e7eb"))
        font = self.header_font
        metrics = self.canvas.metrics(font)
        for column, left, width in zip(self.columns, self.lefts, self.widths, strict=True):
            y = top + self.pad + metrics.ascent()
            for line in self.canvas.wrap(column.title, font, width):
                if column.right:
                    self.canvas.text_right(painter, left + width, y, line, font, INK)
                else:
                    self.canvas.text(painter, left, y, line, font, INK)
                y += metrics.lineSpacing()
        bottom = top + self.header_height
        painter.setPen(QPen(INK, self.canvas.pt(1.0)))
        painter.drawLine(0, round(bottom), round(self.canvas.width), round(bottom))
        return self.header_height

    def paint_row(self, painter: QPainter, row: Row, top: float) -> None:
        canvas = self.canvas
        if row.band is not None:
            painter.fillRect(QRectF(0, top, canvas.width, row.height), row.band)
        if row.marker is not None:
            painter.fillRect(QRectF(0, top, canvas.pt(MARKER_PT), row.height), row.marker)
        if row.span:
            self._paint_lines(painter, row._lines[0], self.gap, None, top)
            if row.aside is not None and row.aside.paras:
                para = row.aside.paras[0]
                baseline = top + self.pad + canvas.metrics(row._lines[0][0][1].font).ascent()
                right = canvas.width - self.gap
                canvas.text_right(painter, right, baseline, self._aside_text(row), para.font,
                                  para.color)  # fmt: skip
        else:
            for cell, lines, left, width in zip(
                row.cells, row._lines, self.lefts, self.widths, strict=True
            ):
                self._paint_lines(painter, lines, left, left + width if cell.right else None, top)
        painter.setPen(QPen(RULE, canvas.pt(0.5)))
        bottom = round(top + row.height)
        painter.drawLine(0, bottom, round(canvas.width), bottom)

    def _paint_lines(
        self,
        painter: QPainter,
        lines: list[tuple[str, Para]],
        left: float,
        right: float | None,
        top: float,
    ) -> None:
        y = top + self.pad
        for text, para in lines:
            metrics = self.canvas.metrics(para.font)
            baseline = y + metrics.ascent()
            if right is None:
                self.canvas.text(painter, left, baseline, text, para.font, para.color)
            else:
                self.canvas.text_right(painter, right, baseline, text, para.font, para.color)
            y += metrics.lineSpacing()


def paginate(rows: Sequence[Row], first_room: float, room: float) -> list[list[Row]]:
    """Rows per page: a row goes to the next page when it does not fit, and a row that must
    stay with the next one (a group's header) moves with it."""
    pages: list[list[Row]] = [[]]
    left = first_room
    for i, row in enumerate(rows):
        need = row.height
        if row.keep_with_next and i + 1 < len(rows):
            need += rows[i + 1].height
        if need > left and pages[-1]:
            pages.append([])
            left = room
        pages[-1].append(row)
        left -= row.height
    return pages


def render(device: QPagedPaintDevice, table: Table, rows: Sequence[Row], layout: Layout) -> int:
    """Measure, paginate and paint; returns the number of pages."""
    canvas = table.canvas
    body = canvas.height - layout.footer_height - table.header_height
    first_room = body - layout.first_heading.height
    room = body - layout.heading.height
    for row in rows:
        table.measure(row, min(first_room, room))
    pages = paginate(rows, first_room, room)
    total = len(pages) + len(layout.after)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("could not start drawing on the page (is the file writable?)")
    try:
        for number, page_rows in enumerate(pages, start=1):
            if number > 1:
                device.newPage()
            heading = layout.first_heading if number == 1 else layout.heading
            heading.paint(painter, 0.0)
            top = heading.height + table.paint_header(painter, heading.height)
            for row in page_rows:
                table.paint_row(painter, row, top)
                top += row.height
            layout.footer(painter, number, total)
        for offset, paint_page in enumerate(layout.after, start=len(pages) + 1):
            device.newPage()
            paint_page(painter)
            layout.footer(painter, offset, total)
    finally:
        painter.end()
    return total
