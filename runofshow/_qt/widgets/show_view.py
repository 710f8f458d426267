"""The MC's view of the live show: countdown, segment, next, clock, drift, running order.

Layout, top to bottom: a status row (time of day, drift, projected end, badges); the current
segment (kind and position, title, English subtitle, speaker); the countdown, as large as the
rest leaves; the phase in words; the segment's progress; what comes next; and the control
area, which names an overrunning segment and how far over it is. The running order takes the
right-hand quarter. Rows are sized by layout stretch, so everything scales with the window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from runofshow._qt.commands.qactions import button, buttons_for
from runofshow._qt.fonts import ui_font
from runofshow._qt.show.display import Display
from runofshow._qt.widgets.countdown_widget import CountdownWidget
from runofshow._qt.widgets.fit_label import FitLabel
from runofshow._qt.widgets.phase_style import PhaseStyle, palette_for, steady_style, style_for
from runofshow._qt.widgets.progress_bar import SegmentProgressBar
from runofshow._qt.widgets.running_order import OrderRow, RunningOrderWidget
from runofshow.core.commands import MC

Right = Qt.AlignmentFlag.AlignRight
Centre = Qt.AlignmentFlag.AlignHCenter


class ShowView(QWidget):
    """Draws ``Display`` values; holds no show state of its own."""

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_: PhaseStyle | None = None
        self.setAutoFillBackground(True)  # in the steady phase colour (Qt fills it, in C++)
        self.notice = _notice_bar()
        self.clock = FitLabel(bold=True)
        self.drift = FitLabel(align=Centre)
        self.end_line = FitLabel(secondary=True, align=Centre)
        self.badges = FitLabel(bold=True, align=Right)
        self.position = FitLabel(secondary=True)
        self.title = FitLabel(bold=True)
        self.subtitle = FitLabel(secondary=True)
        self.speaker = FitLabel()
        self.countdown = CountdownWidget()
        self.phase_word = FitLabel(bold=True, align=Centre)
        self.progress = SegmentProgressBar()
        self.next_line = FitLabel()
        self.next_time = FitLabel(secondary=True, align=Right)
        self.over_limit = FitLabel(bold=True, align=Centre)
        self.order = RunningOrderWidget()
        self.buttons = [button(actions[name]) for name in buttons_for(MC)]
        self._lay_out()

    def _lay_out(self) -> None:
        status = _row((self.clock, 3), (self.drift, 3), (self.end_line, 4), (self.badges, 4))
        next_row = _row((self.next_line, 5), (self.next_time, 1))
        left = QVBoxLayout()
        left.setSpacing(0)
        # The countdown takes most of the height (the digits stand at 40 % of a 1366x768
        # window in every phase: tests/qt/test_rendering.py measures it); the lines about the
        # segment are read at a glance and need less.
        for widget, stretch in (
            (self.position, 3),
            (self.title, 7),
            (self.subtitle, 4),
            (self.speaker, 4),
            (self.countdown, 60),
            (self.phase_word, 7),
        ):
            left.addWidget(widget, stretch)
        left.addSpacing(6)
        left.addWidget(self.progress, 2)
        left.addSpacing(6)
        left.addLayout(next_row, 5)
        middle = QHBoxLayout()
        middle.setSpacing(24)
        middle.addLayout(left, 78)
        middle.addWidget(self.order, 22)  # the running order narrows: titles are elided
        buttons = QHBoxLayout()
        for button_ in self.buttons:
            buttons.addWidget(button_)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        outer.setSpacing(8)
        outer.addWidget(self.notice, 4)
        outer.addLayout(status, 5)
        outer.addLayout(middle, 80)
        outer.addWidget(self.over_limit, 6)
        outer.addLayout(buttons, 0)

    def resizeEvent(self, event) -> None:
        """Buttons' text follows the window size too (a 1080p MC laptop vs a 4K monitor)."""
        super().resizeEvent(event)
        font = ui_font(max(12, self.height() // 48))
        for button_ in self.buttons:
            button_.setFont(font)

    # -- drawing ------------------------------------------------------------------------------
    def show_display(self, display: Display) -> None:
        """Put every value of ``display`` on screen; each widget repaints only if it changed."""
        self._apply_style(style_for(display.visual, display.flash_on))
        self.countdown.set_countdown(display.countdown, display.template)
        self.clock.setText(display.clock)
        self.drift.setText(display.drift)
        self.end_line.setText(display.end_line)
        self.position.setText(
            " · ".join(p for p in (display.position, display.kind, display.limit) if p)
        )
        self.title.setText(display.title)
        self.subtitle.setText(display.subtitle)
        self.speaker.setText(display.speaker)
        self.phase_word.setText(display.phase_word)
        self.progress.set_progress(display.progress)
        self.next_line.setText(display.next_line)
        self.next_time.setText(display.next_time)
        self.over_limit.setText(display.over_limit)

    def _apply_style(self, style: PhaseStyle) -> None:
        """Recolour for ``style``. Overtime's flash changes only the background behind the
        digits; the rest of the view stays in the steady overtime colours. Re-setting the
        palette would send every child a palette change and repaint the whole window, four
        times a second (measured: 2.4 % of a core)."""
        if style == self.style_:
            return
        steady = steady_style(style)
        if self.style_ is None or steady_style(self.style_) != steady:
            self.setPalette(palette_for(steady, self.palette()))
            self.update()
        self.style_ = style
        self.countdown.set_background(None if style == steady else style.background)

    def background(self) -> str:
        """The colour the view is painted on now (``#rrggbb``)."""
        return self.palette().color(QPalette.ColorRole.Window).name()

    def countdown_background(self) -> str:
        """The colour behind the digits now: the flash's, or the view's."""
        return self.countdown.background() or self.background()

    def show_notice(self, text: str) -> None:
        """Something the operator must know (state not saved, clock changed); empty hides it."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_badges(self, badges: Iterable[str]) -> None:
        self.badges.setText("  ·  ".join(b for b in badges if b))

    def show_order(self, rows: Sequence[OrderRow]) -> None:
        self.order.set_rows(rows)


def _notice_bar() -> FitLabel:
    """Black on amber in every phase (contrast 12:1), so a notice never blends into a red
    overtime background."""
    bar = FitLabel(bold=True, align=Centre)
    palette = bar.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#ffc400"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    bar.setPalette(palette)
    bar.setAutoFillBackground(True)
    bar.hide()
    return bar


def _row(*items: tuple[QWidget, int]) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(16)
    for widget, stretch in items:
        row.addWidget(widget, stretch)
    return row
