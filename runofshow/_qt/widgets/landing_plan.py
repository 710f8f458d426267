"""The stage manager's plan to land on time: how far the show is off, which segments give
the time back, and where it ends if they do; one button applies it.

The proposal is ``core.planning.landing_plan`` read afresh whenever the running order could
have changed (the stage manager's window calls ``follow`` with the table's key), so it
follows the show second by second in overtime. Working a plan out walks every segment still
to come: a few milliseconds for a real programme, done at once with the table; on a
20,000-row agenda about 0.4 s, which must never sit between a key press and its repaint or
run every second, so a slow plan is worked out after the repaint, at most a tenth of the
time (``follow``). Applying runs the show command ``plan`` with
exactly the slots on screen: one journaled action, taken back by Ctrl+Z like any key, and
from then on the engine's projection (every view, the report) uses it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from runofshow._qt.app.host import ShowHost
from runofshow._qt.fonts import ui_font
from runofshow._qt.show.display import drift_words
from runofshow._qt.widgets.stage_messages import TypingKeysFilter
from runofshow.core.agenda import Agenda
from runofshow.core.engine import ShowEngine, Status
from runofshow.core.planning import (
    Change,
    LandingPlan,
    PlanningError,
    landing_plan,
    target_of,
)
from runofshow.core.timefmt import hms

SHOWN_CHANGES = 6  # a proposal lists this many changes, then how many more
TITLE_CHARS = 22  # of each title in the proposal line
HEADING_COLOURS = ("#ffd21f", "#000000")  # the wrap-up amber: a decision is due
CALM_COLOURS = ("#1c1c1c", "#bdbdbd")
IMMEDIATE_COST_S = 0.005  # a plan worked out this quickly follows the table at once
SPACING_PER_COST = 10  # a slower one: worked out after the repaint, a tenth of the time at most
AFTER_REPAINT_S = 0.1  # a zero-time timer could run before the windows' pending repaints


def dark_line(edit: QLineEdit) -> None:
    """A text box that reads on the window's black: as the stage message box."""
    palette = edit.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#262626"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#a0a0a0"))
    edit.setPalette(palette)


def badge(label: QLabel, colours: tuple[str, str]) -> None:
    """A heading in its colours (bold, padded)."""
    background, text = colours
    label.setStyleSheet(
        f"background: {background}; color: {text}; font-weight: bold; padding: 2px 8px"
    )


def slots_argument(slots: dict[int, float]) -> str:
    """The ``plan`` command's argument for ``slots``: ``5=210s, 9=567s`` (whole seconds)."""
    return ", ".join(f"{index + 1}={round(seconds)}s" for index, seconds in sorted(slots.items()))


def change_words(agenda: Agenda, changes: tuple[Change, ...]) -> str:
    """``8. 현장투표 -0:13, 10. [발표] 명예공무원… -1:07`` and how many more (an ASCII minus:
    the bundled fonts have no U+2212, and the stage laptop may have no font that does)."""
    parts = []
    for change in changes[:SHOWN_CHANGES]:
        title = agenda.segments[change.index].title
        if len(title) > TITLE_CHARS:
            title = title[: TITLE_CHARS - 1] + "…"
        whole = round(change.delta_s)
        parts.append(f"{change.index + 1}. {title} {'-' if whole < 0 else '+'}{hms(abs(whole))}")
    more = len(changes) - SHOWN_CHANGES
    return ", ".join(parts) + (f" … (+{more})" if more > 0 else "")


class LandingPanel(QWidget):
    """The landing plan for the show as it stands, and the button that applies it."""

    def __init__(self, host: ShowHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.tr_ = host.tr_
        self.plan: LandingPlan | None = None
        self.heading = QLabel()
        self.state = QLabel()
        self.proposal = QLabel()
        for label in (self.heading, self.state, self.proposal):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.proposal.setWordWrap(True)
        self.target_label = QLabel()
        self.target = QLineEdit()
        dark_line(self.target)
        self.target.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.target.setMaximumWidth(self.fontMetrics().horizontalAdvance("88:88:88") * 2)
        self._filter = TypingKeysFilter(self)
        self.target.installEventFilter(self._filter)
        self.target.returnPressed.connect(self._target_changed)
        self.target.editingFinished.connect(self._target_changed)
        self.apply_button = QPushButton()
        self.apply_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.apply_button.clicked.connect(self.apply)
        self._cost_s: float | None = None  # how long the last plan took (None: none yet)
        self._done_at = 0.0  # when it was done (time.monotonic)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._work_out_later)
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.state, 1)
        top.addWidget(self.target_label)
        top.addWidget(self.target)
        top.addWidget(self.apply_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(2)
        outer.addLayout(top)
        outer.addWidget(self.proposal)
        for widget in (self, self.heading, self.state, self.proposal, self.target_label):
            widget.setFont(ui_font(16))

    # -- the plan ---------------------------------------------------------------------------
    def follow(self, engine: ShowEngine) -> None:
        """The running order may have changed: work the plan out again, at once when plans
        are quick, else after the repaint and at most a tenth of the time (the first one,
        whose cost is not known yet, after the window's first paint)."""
        cost = self._cost_s
        if cost is not None and cost <= IMMEDIATE_COST_S:
            self.show_plan(engine)
            return
        if not self._later.isActive():
            spacing = SPACING_PER_COST * (cost or 0.0)
            wait = max(AFTER_REPAINT_S, self._done_at + spacing - time.monotonic())
            self._later.start(round(wait * 1000))

    @property
    def pending(self) -> bool:
        """Whether a plan is waiting to be worked out (the words on screen are older)."""
        return self._later.isActive()

    def _work_out_later(self) -> None:
        if self.host.has_show:
            self.show_plan(self.host.engine)

    def show_plan(self, engine: ShowEngine) -> None:
        """Work the plan out for the show as it is now and say it (and time it)."""
        began = time.perf_counter()
        self._show_plan(engine)
        self._cost_s = time.perf_counter() - began
        self._done_at = time.monotonic()

    def _show_plan(self, engine: ShowEngine) -> None:
        tr = self.tr_
        try:
            target = target_of(engine, self.target.text()) if self.target.text().strip() else None
        except PlanningError:
            self.plan = None
            self._say(tr("plan.bad_target", text=self.target.text()), "", calm=True)
            return
        self.plan = plan = landing_plan(engine, target)
        clock = _clock(engine)
        if engine.now().status is Status.ENDED:
            self._say(tr("plan.ended"), "", calm=True)
        elif not plan.needed:
            planned = clock(engine.now().planned_end)
            self._say(tr("plan.on_time", end=clock(plan.projected_end), planned=planned), "")
        else:
            drift = drift_words(plan.projected_end - plan.target, tr)
            ends, target = clock(plan.projected_end), clock(plan.target)
            state = tr("plan.off", drift=drift, end=ends, target=target)
            self._say(state, self._proposal_words(engine, plan), calm=False)
        self.apply_button.setEnabled(plan.needed and bool(plan.changes))

    def _proposal_words(self, engine: ShowEngine, plan: LandingPlan) -> str:
        tr = self.tr_
        if not plan.changes:
            return tr("plan.no_room")
        changes = change_words(engine.agenda, plan.changes)
        end = _clock(engine)(plan.ends_at)
        if abs(plan.miss_s) >= 1:
            return tr("plan.short", changes=changes, end=end, drift=drift_words(plan.miss_s, tr))
        return tr("plan.proposal", changes=changes, end=end)

    def _say(self, state: str, proposal: str, *, calm: bool = True) -> None:
        self.state.setText(state)
        self.proposal.setText(proposal)
        self.proposal.setVisible(bool(proposal))
        badge(self.heading, CALM_COLOURS if calm else HEADING_COLOURS)
        if not proposal:
            self.apply_button.setEnabled(False)

    def apply(self) -> None:
        """Apply the plan on screen: the ``plan`` show command, journaled."""
        if self.plan is not None and self.plan.changes:
            self.host.execute("plan", {"slots": slots_argument(self.plan.slots)}, source="menu")

    def _target_changed(self) -> None:
        if self.host.has_show:
            self.show_plan(self.host.engine)

    def retranslate(self) -> None:
        tr = self.tr_
        self.heading.setText(tr("plan.land"))
        self.target_label.setText(tr("plan.target"))
        self.target.setPlaceholderText(tr("plan.target_hint"))
        self.apply_button.setText(tr("plan.apply"))
        if self.host.has_show:
            self.follow(self.host.engine)


def _clock(engine: ShowEngine):
    """Times of day to the nearest second: a plan ending at 15:59:59.6 lands at 16:00:00."""
    return lambda wall: engine.local_time(round(wall)).strftime("%H:%M:%S")
