"""The stage manager's what-if: change a segment's length and see the new end and every later
start, without touching the show until applied.

Each change is a length for one segment (``6m``, ``5:30``, or its slot ``+1m``/``-30s``, as
``runofshow check --assume`` reads it). While there are changes, the running order shows the
show as ``ShowEngine.assuming`` projects it with them (a replay on a frozen copy: nothing is
journaled) and this panel says, in amber, that it is not applied. Apply runs the show command
``plan`` (one journaled, undoable action); Clear goes back to the show as it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from runofshow._qt.app.host import ShowHost
from runofshow._qt.fonts import ui_font
from runofshow._qt.show.display import drift_words
from runofshow._qt.widgets.landing_plan import badge, dark_line, slots_argument
from runofshow._qt.widgets.stage_messages import TypingKeysFilter
from runofshow.core.agenda import Agenda
from runofshow.core.engine import Projection, ShowEngine
from runofshow.core.planning import PlanningError, parse_assumptions
from runofshow.core.timefmt import hms

ACTIVE_COLOURS = ("#ffd21f", "#000000")  # amber: what is shown is not the show
IDLE_COLOURS = ("#1c1c1c", "#bdbdbd")
ERROR_COLOURS = ("#a00000", "#ffffff")


class WhatIfPanel(QWidget):
    """Lengths to try, and what the show would be with them."""

    changed = Signal()  # the lengths tried changed: the running order must be redrawn

    def __init__(self, host: ShowHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.tr_ = host.tr_
        self.tried: dict[int, str] = {}  # segment index: the length as typed
        self.generation = 0  # bumped on every change, for the window's redraw key
        self._agenda: Agenda | None = None
        self.heading = QLabel()
        self.segment = QComboBox()
        self.segment.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.segment.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.segment.setMinimumContentsLength(24)
        self._picked = False  # the stage manager chose a segment: stop following the show
        self.segment.activated.connect(self._pick)
        self.length = QLineEdit()
        dark_line(self.length)
        self.length.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.length.setMaximumWidth(self.fontMetrics().horizontalAdvance("+88:88:88") * 2)
        self._filter = TypingKeysFilter(self)
        self.length.installEventFilter(self._filter)
        self.length.returnPressed.connect(self.try_length)
        self.buttons = {name: QPushButton() for name in ("try", "apply", "clear")}
        for button in self.buttons.values():
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons["try"].clicked.connect(self.try_length)
        self.buttons["apply"].clicked.connect(self.apply)
        self.buttons["clear"].clicked.connect(self.clear)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.heading)
        row.addWidget(self.segment, 1)
        row.addWidget(self.length)
        for button in self.buttons.values():
            row.addWidget(button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(2)
        outer.addLayout(row)
        outer.addWidget(self.state)
        for widget in (self, self.heading, self.state):
            widget.setFont(ui_font(16))

    # -- the show --------------------------------------------------------------------------
    def set_show(self, engine: ShowEngine) -> None:
        """A (new) agenda: list its segments; lengths tried on another agenda are dropped."""
        if engine.agenda is self._agenda:
            return
        self._agenda = engine.agenda
        self._picked = False
        self.segment.clear()
        for seg in engine.agenda.segments:
            self.segment.addItem(f"{seg.index + 1}. {seg.title}", seg.index)
        if self.tried:
            self.tried = {}
            self._bump()

    def _pick(self, _row: int) -> None:
        self._picked = True

    def _follow(self, engine: ShowEngine) -> None:
        """Until the stage manager picks one, offer the next segment to come."""
        if self._picked:
            return
        now = engine.now()
        upcoming = now.next_index if now.next_index is not None else now.index
        if self.segment.currentIndex() != upcoming:
            self.segment.setCurrentIndex(upcoming)

    def try_length(self) -> None:
        """Try the typed length on the chosen segment (Enter, or the Try button)."""
        if not self.host.has_show or self.segment.currentIndex() < 0:
            return
        index = int(self.segment.currentData())
        text = self.length.text().strip()
        trial = {**self.tried, index: text}
        try:
            self._slots(self.host.engine, trial)
        except PlanningError as exc:
            self._colour(*ERROR_COLOURS)
            self.state.setText(str(exc))
            return
        self.tried = trial
        self.length.clear()
        self._bump()

    def clear(self) -> None:
        if self.tried:
            self.tried = {}
            self._bump()

    def apply(self) -> None:
        """Make the lengths tried the show's: the ``plan`` command, journaled."""
        if not self.tried or not self.host.has_show:
            return
        slots = self._slots(self.host.engine, self.tried)
        if self.host.execute("plan", {"slots": slots_argument(slots)}, source="menu").taken:
            self.clear()  # applied here, or sent to the primary (a refusal there is said)

    def _bump(self) -> None:
        self.generation += 1
        self.changed.emit()

    @staticmethod
    def _slots(engine: ShowEngine, tried: dict[int, str]) -> dict[int, float]:
        texts = [f"{index + 1}={text}" for index, text in tried.items()]
        return parse_assumptions(texts, engine.agenda, engine.slot)

    def projection(self, engine: ShowEngine) -> Projection | None:
        """The running order with the lengths tried (None: none are, show the show), and
        what it means in words."""
        self.buttons["apply"].setEnabled(bool(self.tried))
        self.buttons["clear"].setEnabled(bool(self.tried))
        self._follow(engine)
        if not self.tried:
            self._colour(*IDLE_COLOURS)
            self.state.setText(self.tr_("whatif.idle"))
            return None
        slots = self._slots(engine, self.tried)
        what_if = engine.assuming(slots)
        now = what_if.now()
        titles = engine.agenda.segments
        changes = ", ".join(
            self.tr_("whatif.item", n=i + 1, title=titles[i].title, length=hms(round(seconds)))
            for i, seconds in sorted(slots.items())
        )
        end = engine.local_time(now.projected_end).strftime("%H:%M:%S")
        drift = drift_words(now.drift_s, self.tr_)
        self._colour(*ACTIVE_COLOURS)
        self.state.setText(self.tr_("whatif.active", changes=changes, end=end, drift=drift))
        return what_if.projection()

    def _colour(self, background: str, text: str) -> None:
        """The heading and the line of words: amber while the table shows a what-if."""
        badge(self.heading, (background, text))
        self.state.setStyleSheet(f"background: {background}; color: {text}; padding: 2px 8px")

    def retranslate(self) -> None:
        tr = self.tr_
        self.heading.setText(tr("plan.what_if"))
        self.length.setPlaceholderText(tr("whatif.length_hint"))
        for name, button in self.buttons.items():
            button.setText(tr(f"whatif.{name}"))
        self.segment.setToolTip(tr("whatif.segment"))
        self.length.setToolTip(tr("whatif.length"))
        if self.host.has_show:
            self.projection(self.host.engine)
