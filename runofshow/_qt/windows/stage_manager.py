"""The stage manager's window: the whole running order, the cue in standby, the stage display.

Top to bottom: a status strip (time of day, the current segment and its countdown in the
phase's colours, drift and projected end); the cue banner ("STANDBY — VIDEO in 0:20", then
"GO" until acknowledged with A or the cued segment runs) with the last cue command's outcome;
where the stage display is and whether it is blacked out; the message composer; the running
order table; and the show buttons.

It drives the same engine through the same ``ShowController`` as the MC's window, and, given
the MC window's ``QAction``s, adds those very actions to itself: the same keys, the same undo,
and one checked state for blackout and mute. Without them (tests, screenshots) it builds the
show actions itself from the shared key table ``ACTION_SPECS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from runofshow._qt.commands.qactions import ACTION_SPECS, ActionSpec
from runofshow._qt.fonts import ui_font
from runofshow._qt.show.controller import ShowController
from runofshow._qt.show.cue_runner import CommandResult, CueRunner
from runofshow._qt.show.display import Display
from runofshow._qt.widgets.drawn_when_shown import DrawnWhenShown
from runofshow._qt.widgets.fit_label import FitLabel
from runofshow._qt.widgets.phase_style import NORMAL, palette_for, style_for
from runofshow._qt.widgets.running_order_model import Column, RunningOrderModel
from runofshow._qt.widgets.stage_messages import MessageComposer, StageMessages
from runofshow._qt.windows.confidence_display import ConfidenceDisplay, Placement, placement_text
from runofshow.core.cues import CueState, CueStatus
from runofshow.core.engine import Status
from runofshow.core.timefmt import countdown_text, hms

# MC actions this window shares as they are (the same QAction objects).
SHARED_ACTIONS = (
    "next",
    "previous",
    "toggle",
    "start",
    "undo",
    "add_minute",
    "remove_minute",
    "add_10s",
    "remove_10s",
    "blackout",
    "mute",
    "open",
    "reload",
    "quit",
)
# Engine actions built here when there is no MC window: (name, engine call).
ENGINE_CALLS: dict[str, Callable] = {
    "next": lambda e: e.next(),
    "previous": lambda e: e.previous(),
    "toggle": lambda e: e.toggle(),
    "start": lambda e: e.start(),
    "undo": lambda e: e.undo(),
    "add_minute": lambda e: e.add_time(60),
    "remove_minute": lambda e: e.add_time(-60),
    "add_10s": lambda e: e.add_time(10),
    "remove_10s": lambda e: e.add_time(-10),
}
# The stage side's own commands, in the MC's key-table format so menus show them alike.
STAGE_ACTION_SPECS = (
    ActionSpec("acknowledge", ("A",), "stage"),
    ActionSpec("clear_message", ("Delete",), "stage"),
    ActionSpec("message_box", ("T",), "stage"),
    ActionSpec("show_stage", ("Ctrl+D",), "stage", checkable=True),
)
BUTTONS = ("previous", "toggle", "next", "remove_minute", "add_minute", "undo", "blackout")

STANDBY_COLOURS = ("#ffd21f", "#000000")  # the wrap-up amber: 13:1
GO_COLOURS = ("#00c853", "#000000")  # green: 9.4:1
IDLE_COLOURS = ("#1c1c1c", "#bdbdbd")
RUNNING_COLOURS = ("#0d3b66", "#ffffff")
FAILED_COLOURS = ("#a00000", "#ffffff")


def spec_named(name: str) -> ActionSpec:
    return next(s for s in (*ACTION_SPECS, *STAGE_ACTION_SPECS) if s.name == name)


def make_action(owner: QWidget, spec: ActionSpec, handler: Callable[[], object]) -> QAction:
    """One action with ``spec``'s keys, active while ``owner``'s window is active."""
    action = QAction(owner)
    action.setShortcuts([QKeySequence(k) for k in spec.keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(spec.checkable)
    action.triggered.connect(lambda _checked=False: handler())
    owner.addAction(action)
    return action


class StageManagerWindow(DrawnWhenShown, QMainWindow):
    """The second operator window; draws from the controller, holds no show state."""

    def __init__(
        self,
        controller: ShowController,
        messages: StageMessages,
        stage: ConfidenceDisplay,
        cues: CueRunner,
        mc_actions: Mapping[str, QAction] | None = None,
    ) -> None:
        super().__init__()
        self.controller, self.messages, self.stage, self.cues = controller, messages, stage, cues
        self.tr_ = controller.tr_
        self._engine = controller.engine
        self._agenda = controller.engine.agenda
        self._current_row = -1
        self.playback = ""  # "▶ 1:23 played · 3:35 left" while a video file plays
        self._order_key: tuple[object, ...] | None = None  # what the table last showed
        self.actions_ = self._actions(mc_actions)
        self._build()
        self._menus()
        controller.display_changed.connect(self.show_display)
        cues.status_changed.connect(self.show_cue)
        cues.command_changed.connect(self.show_command)
        stage.placement_changed.connect(self._show_stage_state)
        stage.blackout_changed.connect(self._show_stage_state)
        self.model.set_show(controller.engine)
        self._span_groups()
        self.retranslate()
        if controller.display is not None:
            self.show_display(controller.display)
        self.show_cue(cues.status)

    # -- actions ------------------------------------------------------------------------------
    def _actions(self, mc_actions: Mapping[str, QAction] | None) -> dict[str, QAction]:
        actions: dict[str, QAction] = {}
        self._shared = set(SHARED_ACTIONS) if mc_actions is not None else set()
        if mc_actions is not None:
            for name in SHARED_ACTIONS:
                actions[name] = mc_actions[name]
                self.addAction(mc_actions[name])
        else:
            for name, call in ENGINE_CALLS.items():
                handler = self._engine_handler(call)
                actions[name] = make_action(self, spec_named(name), handler)
            actions["blackout"] = make_action(self, spec_named("blackout"), lambda: None)
            actions["blackout"].toggled.connect(self.stage.set_blackout)
            self.stage.blackout_changed.connect(actions["blackout"].setChecked)
            actions["mute"] = make_action(self, spec_named("mute"), lambda: None)
            actions["mute"].toggled.connect(self._set_muted)
        local: dict[str, Callable[[], object]] = {
            "fullscreen": self._toggle_fullscreen,
            "leave_fullscreen": self.showNormal,
            "acknowledge": self.cues.acknowledge,
            "clear_message": self.messages.clear,
            "message_box": lambda: self.composer.line.setFocus(),
            "show_stage": lambda: None,
        }
        for name, handler in local.items():
            actions[name] = make_action(self, spec_named(name), handler)
        actions["show_stage"].setChecked(True)
        actions["show_stage"].toggled.connect(self.stage.set_enabled_on_stage)
        return actions

    def _engine_handler(self, call: Callable) -> Callable[[], bool]:
        return lambda: self.controller.act(lambda: call(self.controller.engine))

    def _set_muted(self, muted: bool) -> None:
        self.controller.policy.muted = muted

    def _toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.clock = FitLabel(bold=True)
        self.segment = FitLabel(bold=True)
        self.countdown = FitLabel(bold=True, align=Qt.AlignmentFlag.AlignHCenter)
        self.drift = FitLabel(align=Qt.AlignmentFlag.AlignRight)
        self.strip = QWidget()
        self.strip.setAutoFillBackground(True)
        strip = QHBoxLayout(self.strip)
        strip.setContentsMargins(12, 4, 12, 4)
        for widget, stretch in ((self.clock, 14), (self.segment, 46), (self.countdown, 18)):
            strip.addWidget(widget, stretch)
        strip.addWidget(self.drift, 30)
        self.strip.setFixedHeight(64)
        self.banner = QWidget()
        self.banner.setAutoFillBackground(True)
        self.banner_main = FitLabel(bold=True)
        self.banner_cue = FitLabel(height_fill=0.7)
        banner = QVBoxLayout(self.banner)
        banner.setContentsMargins(16, 4, 16, 4)
        banner.setSpacing(0)
        banner.addWidget(self.banner_main, 3)
        banner.addWidget(self.banner_cue, 2)
        self.banner.setFixedHeight(110)
        self.ack_button = self._button(self.actions_["acknowledge"])
        self.command_line = QLabel()
        self.command_line.hide()  # until a cue command has run
        self.command_line.setAutoFillBackground(True)
        self.command_line.setTextFormat(Qt.TextFormat.PlainText)
        self.stage_line = QLabel()
        self.stage_line.setTextFormat(Qt.TextFormat.PlainText)
        self.composer = MessageComposer(self.messages, self.tr_, lambda: self.controller.engine)
        _colour(self.composer.line, *IDLE_COLOURS)
        line_palette = self.composer.line.palette()
        line_palette.setColor(QPalette.ColorRole.Base, QColor("#262626"))
        line_palette.setColor(QPalette.ColorRole.Text, QColor("#ffffff"))
        line_palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#a0a0a0"))
        self.composer.line.setPalette(line_palette)
        self.model = RunningOrderModel(self.tr_, self)
        self.table = self._table()
        self.buttons = [self._button(self.actions_[name]) for name in BUTTONS]
        self._lay_out()

    def _lay_out(self) -> None:
        cue_row = QHBoxLayout()
        cue_row.addWidget(self.banner, 1)
        cue_row.addWidget(self.ack_button)
        buttons = QHBoxLayout()
        for button in self.buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(6)
        outer.addWidget(self.strip)
        outer.addLayout(cue_row)
        outer.addWidget(self.command_line)
        outer.addWidget(self.stage_line)
        outer.addWidget(self.composer)
        outer.addWidget(self.table, 1)
        outer.addLayout(buttons)
        self.setCentralWidget(central)
        self.setPalette(palette_for(NORMAL, self.palette()))
        self.setFont(ui_font(16))

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and Enter stay show keys
        return button

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.verticalHeader().setDefaultSectionSize(30)
        table.setFont(ui_font(16))
        palette = table.palette()
        palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#121212"))
        table.setPalette(palette)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.CUE, QHeaderView.ResizeMode.Stretch)
        for column, template in (
            (Column.NUMBER, "888"),
            (Column.PLANNED, "88:88:88"),
            (Column.PROJECTED, "88:88:88"),
            (Column.START, "88:88:88"),
            (Column.END, "88:88:88"),
            (Column.LENGTH, "88:88 / 88:88"),
            (Column.OVER, "+88:88"),
            (Column.KIND, "Performance"),
            (Column.SPEAKER, "중소벤처기업부 차관"),
        ):
            header.resizeSection(column, table.fontMetrics().horizontalAdvance(template) + 24)
        return table

    def _menus(self) -> None:
        self.stage_menu = stage_menu(self.stage, self.tr_, self.actions_, self)
        self.menuBar().addMenu(self.stage_menu)

    def _span_groups(self) -> None:
        self.table.clearSpans()
        for row in self.model.group_rows():
            self.table.setSpan(row, 0, 1, len(Column))

    # -- drawing ------------------------------------------------------------------------------
    def _draw(self, display: Display) -> None:
        """One repaint: status strip from the MC's Display, table from the timeline (only
        while shown: ``DrawnWhenShown``)."""
        engine = self.controller.engine
        if engine is not self._engine or engine.agenda is not self._agenda:
            # another show, or the same show's agenda reloaded (rows may have come and gone)
            self._engine, self._agenda = engine, engine.agenda
            self._order_key = None
            self.model.set_show(engine)
            self._span_groups()
        self._show_strip(display)
        self.show_cue(self.cues.status)  # a cued segment coming on stage changes the banner
        # The table's cells change far less often than the strip (not on a countdown flip
        # within the slot, nor on a flash): recompute the timeline only when they can.
        key = self.controller.order_key(engine.now())
        if key != self._order_key:
            self._order_key = key
            self.model.update(engine.timeline())
        row = self.model.row_of_segment(display.index)
        if row != self._current_row:
            self._current_row = row
            index = self.model.index(row, 0)
            self.table.scrollTo(index, QTableView.ScrollHint.PositionAtCenter)

    def _show_strip(self, display: Display) -> None:
        style = style_for(display.visual, display.flash_on)
        self.strip.setPalette(palette_for(style, self.strip.palette()))
        self.clock.setText(display.clock)
        self.segment.setText(f"{display.position}  ·  {display.title}")
        word = f"  {display.phase_word}" if display.phase_word else ""
        self.countdown.setText(f"{display.countdown}{word}")
        self.drift.setText(f"{display.drift}  ·  {display.end_line}")

    def show_cue(self, status: CueStatus | None) -> None:
        """The banner: nothing, STANDBY with its countdown, or GO until acknowledged."""
        tr = self.tr_
        running = self._running_cue() if status is None else None
        if running is not None:
            colours, (main, cue) = RUNNING_COLOURS, running
        elif status is None:
            colours, main, cue = IDLE_COLOURS, tr("cue.none"), ""
        else:
            kind = tr(f"kind.{status.kind.value}").upper()
            if status.state is CueState.STANDBY:
                colours = STANDBY_COLOURS
                main = tr("cue.standby", kind=kind, t=countdown_text(status.until_go_s))
            else:
                colours = GO_COLOURS
                main = f"{tr('cue.go', kind=kind)}   ({tr('cue.ack_hint')})"
            cue = f"{status.index + 1}. {status.cue.text}"
        _colour(self.banner, *colours)
        self.banner_main.setText(main)
        self.banner_cue.setText(cue)
        self.ack_button.setEnabled(status is not None and status.state is CueState.GO)

    def _running_cue(self) -> tuple[str, str] | None:
        """Banner lines for a cued segment now on stage (the video playing), else None."""
        now = self.controller.engine.now()
        cue = now.segment.cue
        if cue is None or now.status not in (Status.RUNNING, Status.PAUSED):
            return None
        kind = self.tr_(f"kind.{now.segment.kind.value}").upper()
        detail = f"{now.index + 1}. {cue.text}"
        if self.playback:
            detail += f"   {self.playback}"
        return self.tr_("cue.on_stage", kind=kind), detail

    def show_playback(self, position_s: float, remaining_s: float) -> None:
        """Where the video file is: shown on the running cue's banner line."""
        self.playback = self.tr_("video.position", at=hms(position_s), left=hms(remaining_s))
        self.show_cue(self.cues.status)

    def clear_playback(self) -> None:
        self.playback = ""
        self.show_cue(self.cues.status)

    def show_command(self, result: CommandResult) -> None:
        """The last cue command's fate, red when it failed."""
        key = {"running": "cue.running", "ok": "cue.ok", "failed": "cue.failed"}.get(
            result.outcome, f"cue.{result.outcome}"
        )
        text = self.tr_(
            key,
            cmd=result.command_line,
            code=result.exit_code,
            t=f"{result.timeout_s:g}",
        )
        if result.failed and result.stderr:
            text += f"  —  {result.stderr.splitlines()[-1]}"
        self.command_line.setText(text)
        self.command_line.show()
        _colour(self.command_line, *(FAILED_COLOURS if result.failed else IDLE_COLOURS))

    def _show_stage_state(self, _value: object = None) -> None:
        parts = [placement_text(self.stage.placement, self.tr_)]
        if self.stage.is_blackout():
            parts.append(self.tr_("badge.blackout"))
        self.stage_line.setText("   ·   ".join(parts))

    def retranslate(self) -> None:
        """Every word again, in the translator's present language."""
        self.setWindowTitle(
            self.tr_("window.stage_manager", title=self.controller.engine.agenda.event.title)
        )
        for name, action in self.actions_.items():
            if name in self._shared:
                continue  # the MC window words its own actions
            key = f"action.{name}"
            text = self.tr_(key)
            first = QKeySequence(spec_named(name).keys[0]).toString(
                QKeySequence.SequenceFormat.NativeText
            )
            action.setText(text)
            action.setIconText(f"{text} [{first}]")
        self.model.retranslate()
        self.composer.retranslate()
        self.stage_menu.setTitle(self.tr_("menu.stage"))
        self._show_stage_state()
        self.show_cue(self.cues.status)


def _colour(widget: QWidget, background: str, text: str) -> None:
    palette = QPalette(widget.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(background))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    widget.setAutoFillBackground(True)
    widget.setPalette(palette)


def stage_menu(
    stage: ConfidenceDisplay, tr, actions: Mapping[str, QAction], parent: QWidget
) -> QMenu:
    """The Stage menu: show the stage display, pick its screen (listed afresh each time the
    menu opens, so a monitor plugged in mid-show is there), blackout, acknowledge, clear."""
    menu = QMenu(tr("menu.stage"), parent)
    menu.addAction(actions["show_stage"])
    screens = menu.addMenu(tr("menu.stage_screen"))
    screens.aboutToShow.connect(lambda: _fill_screens(screens, stage, tr))
    for name in ("blackout", "acknowledge", "clear_message", "message_box"):
        menu.addAction(actions[name])
    return menu


def _fill_screens(menu: QMenu, stage: ConfidenceDisplay, tr) -> None:
    menu.clear()
    group = QActionGroup(menu)
    current: Placement = stage.placement
    for number, screen in enumerate(QGuiApplication.screens()):
        size = screen.geometry()
        action = menu.addAction(
            tr(
                "stage.screen_item",
                n=number,
                name=screen.name(),
                w=size.width(),
                h=size.height(),
            )
        )
        action.setCheckable(True)
        action.setChecked(current.number == number)
        action.setActionGroup(group)
        action.triggered.connect(lambda _c=False, n=number: stage.use_screen(n))


def create_stage_side(
    controller: ShowController, settings=None, mc_actions: Mapping[str, QAction] | None = None
) -> tuple[StageMessages, ConfidenceDisplay, CueRunner, StageManagerWindow]:
    """Everything the stage side needs, wired to one controller: the shared message, the
    confidence display (fed by the controller), the cue runner and the stage manager's window.
    """
    messages = StageMessages(controller)
    stage = ConfidenceDisplay(controller.tr_, messages, settings)
    controller.display_changed.connect(stage.show_display)
    if controller.display is not None:
        stage.show_display(controller.display)
    cues = CueRunner(controller, controller)
    window = StageManagerWindow(controller, messages, stage, cues, mc_actions)
    return messages, stage, cues, window
