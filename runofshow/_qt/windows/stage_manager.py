"""The stage manager's window: the whole running order, the cue in standby, the stage display.

Top to bottom: a status strip (time of day, the current segment and its countdown in the
phase's colours, drift and projected end); the cue banner ("STANDBY — VIDEO in 0:20", then
"GO" until acknowledged with A or the cued segment runs) with the last cue command's outcome;
where the stage display is and whether it is blacked out; the message composer; the running
order table; and the show buttons.

It is a view of the ``ShowHost``, like the MC's window, and uses the same shared actions (the
command table's): the same keys, the same undo, one checked state for blackout and mute.
Only full screen, Esc and the message box (T) are its own.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from runofshow._qt.app.host import ShowHost
from runofshow._qt.commands.qactions import (
    SharedActions,
    button,
    buttons_for,
    fill_menus,
    retranslate,
    retranslate_menus,
    window_actions,
)
from runofshow._qt.fonts import ui_font
from runofshow._qt.show.cue_runner import CommandResult, CueRunner
from runofshow._qt.show.display import Display
from runofshow._qt.widgets.drawn_when_shown import DrawnWhenShown
from runofshow._qt.widgets.fit_label import FitLabel
from runofshow._qt.widgets.landing_plan import LandingPanel
from runofshow._qt.widgets.phase_style import NORMAL, palette_for, style_for
from runofshow._qt.widgets.running_order_model import Column, RunningOrderModel
from runofshow._qt.widgets.stage_messages import MessageComposer
from runofshow._qt.widgets.what_if import WhatIfPanel
from runofshow._qt.windows.confidence_display import (
    ConfidenceDisplay,
    Placement,
    placement_text,
)
from runofshow.core.commands import STAGE_MANAGER
from runofshow.core.cues import CueState, CueStatus
from runofshow.core.engine import ShowEngine, Status
from runofshow.core.timefmt import countdown_text, hms

STANDBY_COLOURS = ("#ffd21f", "#000000")  # the wrap-up amber: 13:1
GO_COLOURS = ("#00c853", "#000000")  # green: 9.4:1
IDLE_COLOURS = ("#1c1c1c", "#bdbdbd")
RUNNING_COLOURS = ("#0d3b66", "#ffffff")
FAILED_COLOURS = ("#a00000", "#ffffff")
MENU_ITEMS = (  # the shared commands this window lists in its menus
    *("previous", "toggle", "next", "start", "pause", "resume", "undo", "reset", "end", "roll"),
    *("remove_minute", "add_minute", "add_10s", "remove_10s", "land"),
    *("blackout", "clear_message", "go", "acknowledge", "show_stage", "mute"),
    *("open", "reload", "takeover", "quit"),
)


class StageManagerWindow(DrawnWhenShown, QMainWindow):
    """The second operator window; draws from the host, holds no show state."""

    def __init__(
        self,
        host: ShowHost,
        stage: ConfidenceDisplay,
        cues: CueRunner,
        shared: SharedActions,
    ) -> None:
        super().__init__()
        self.host, self.stage, self.cues = host, stage, cues
        self.tr_ = host.tr_
        self._engine: ShowEngine = host.engine
        self._agenda = self._engine.agenda
        self._current_row = -1
        self.playback = ""  # "▶ 1:23 played · 3:35 left" while a video file plays
        self._order_key: tuple[object, ...] | None = None  # what the table last showed
        self.own = window_actions(
            self,
            {
                "fullscreen": self._toggle_fullscreen,
                "leave_fullscreen": self.showNormal,
                "message_box": lambda: self.composer.line.setFocus(),
            },
        )
        self.actions_: dict[str, QAction] = {**shared.actions, **self.own}
        self._build()
        self._menus()
        host.display_changed.connect(self.show_display)
        host.show_replaced.connect(self._show_replaced)
        host.notices_changed.connect(self._show_peer_notices)
        host.peer_changed.connect(self._show_stage_state)
        cues.status_changed.connect(self.show_cue)
        cues.command_changed.connect(self.show_command)
        stage.placement_changed.connect(self._show_stage_state)
        stage.blackout_changed.connect(self._show_stage_state)
        self.model.set_show(self._engine)
        self.what_if.set_show(self._engine)
        self._span_groups()
        self.retranslate()
        self.resize(default_size(self))
        display = host.controller.display if host.controller is not None else None
        if display is not None:
            self.show_display(display)
        self.show_cue(cues.status)
        self._show_peer_notices(host.notices)

    def _show_peer_notices(self, notices: dict[str, str]) -> None:
        """What the stage manager must know of a shared show (not connected to the MC's
        laptop, a takeover), on amber at the top; the MC's notice bar has the rest."""
        peer = [text for kind, text in notices.items() if kind.startswith("peer")]
        self.peer_line.setText("  ·  ".join(peer))
        self.peer_line.setVisible(bool(peer))
        self.actions_["takeover"].setVisible(self.host.following)

    def _toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.peer_line = FitLabel(bold=True, align=Qt.AlignmentFlag.AlignHCenter)
        _colour(self.peer_line, "#ffc400", "#000000")  # the notice bar's amber: 12:1
        self.peer_line.setFixedHeight(40)
        # A FitLabel ignores size hints (it takes the row it is given); here it is a row of
        # its own, which a layout would otherwise give no height at all.
        self.peer_line.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.peer_line.hide()
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
        self.go_button = button(self.actions_["go"])
        self.ack_button = button(self.actions_["acknowledge"])
        self.command_line = QLabel()
        self.command_line.hide()  # until a cue command has run
        self.command_line.setAutoFillBackground(True)
        self.command_line.setTextFormat(Qt.TextFormat.PlainText)
        self.stage_line = QLabel()
        self.stage_line.setTextFormat(Qt.TextFormat.PlainText)
        self.composer = MessageComposer(self.host)
        _colour(self.composer.line, *IDLE_COLOURS)
        line_palette = self.composer.line.palette()
        line_palette.setColor(QPalette.ColorRole.Base, QColor("#262626"))
        line_palette.setColor(QPalette.ColorRole.Text, QColor("#ffffff"))
        line_palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#a0a0a0"))
        self.composer.line.setPalette(line_palette)
        self.model = RunningOrderModel(self.tr_, self)
        self.table = self._table()
        self.landing = LandingPanel(self.host)  # planning the show as it runs
        self.what_if = WhatIfPanel(self.host)
        self.what_if.changed.connect(self._what_if_changed)
        beside_banner = ("go", "acknowledge")
        names = [n for n in buttons_for(STAGE_MANAGER) if n not in beside_banner]
        self.buttons = [button(self.actions_[name]) for name in names]
        self._lay_out()

    def _lay_out(self) -> None:
        cue_row = QHBoxLayout()
        cue_row.addWidget(self.banner, 1)
        cue_row.addWidget(self.go_button)
        cue_row.addWidget(self.ack_button)
        buttons = QHBoxLayout()
        for widget in self.buttons:
            buttons.addWidget(widget)
        buttons.addStretch(1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(6)
        outer.addWidget(self.peer_line)
        outer.addWidget(self.strip)
        outer.addLayout(cue_row)
        outer.addWidget(self.command_line)
        outer.addWidget(self.stage_line)
        outer.addWidget(self.composer)
        outer.addWidget(self.table, 1)
        outer.addWidget(self.landing)
        outer.addWidget(self.what_if)
        outer.addLayout(buttons)
        self.setCentralWidget(central)
        self.setPalette(palette_for(NORMAL, self.palette()))
        self.setFont(ui_font(16))

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
        self._size_columns(table)
        table.viewport().installEventFilter(self)
        return table

    def _size_columns(self, table: QTableView) -> None:
        """Times and lengths as wide as their widest value (or their header), the speaker a
        name's width; the title and the cue get the rest, the title the larger share, so
        both read whole at the default size (at 150 px each, a Korean title showed five
        characters and the cue column needed scrolling). The kind is in the title's words
        and the end of a past row is the next row's start: those two columns are hidden."""
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setColumnHidden(Column.KIND, True)
        table.setColumnHidden(Column.END, True)
        metrics = table.fontMetrics()
        for column, template in (
            (Column.NUMBER, "888"),
            (Column.PLANNED, "88:88:88"),
            (Column.PROJECTED, "88:88:88"),
            (Column.START, "88:88:88"),
            (Column.LENGTH, "88:88 / 88:88"),
            (Column.OVER, "+88:88"),
            (Column.SPEAKER, "중소벤처기업부 차관"),
        ):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal, 0) or "")
            width = max(metrics.horizontalAdvance(template), metrics.horizontalAdvance(title))
            header.resizeSection(column, width + 16)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._share_text_columns()
        return super().eventFilter(watched, event)

    def _share_text_columns(self) -> None:
        """The cue column takes 40 % of what the fixed columns leave; the title the rest."""
        header = self.table.horizontalHeader()
        fixed = sum(
            header.sectionSize(c)
            for c in Column
            if c not in (Column.TITLE, Column.CUE) and not self.table.isColumnHidden(c)
        )
        free = self.table.viewport().width() - fixed
        header.resizeSection(Column.CUE, max(120, int(free * 0.4)))

    def _menus(self) -> None:
        names = [*MENU_ITEMS, "fullscreen", "leave_fullscreen", "message_box"]
        self.menus = fill_menus(self.menuBar(), self.actions_, names)
        self.screens_menu = screens_menu(self.menus["stage"], self.stage, self.tr_)

    def _span_groups(self) -> None:
        self.table.clearSpans()
        for row in self.model.group_rows():
            self.table.setSpan(row, 0, 1, len(Column))

    # -- drawing ------------------------------------------------------------------------------
    def show_display(self, display: Display) -> None:
        """Draw ``display`` (when shown); the status line follows roll mode at once, shown
        or not, as it follows the blackout."""
        roll_changed = self._latest is None or self._latest.roll != display.roll
        super().show_display(display)
        if roll_changed:
            self._show_stage_state()

    def _draw(self, display: Display) -> None:
        """One repaint: status strip from the MC's Display, table from the projection (only
        while shown: ``DrawnWhenShown``)."""
        engine = self.host.engine
        if engine is not self._engine or engine.agenda is not self._agenda:
            # another show, or the same show's agenda reloaded (rows may have come and gone)
            self._engine, self._agenda = engine, engine.agenda
            self._order_key = None
            self.model.set_show(engine)
            self.what_if.set_show(engine)
            self._span_groups()
        self._show_strip(display)
        self.show_cue(self.cues.status)  # a cued segment coming on stage changes the banner
        self._draw_order(engine)
        row = self.model.row_of_segment(display.index)
        if row != self._current_row:
            self._current_row = row
            index = self.model.index(row, 0)
            self.table.scrollTo(index, QTableView.ScrollHint.PositionAtCenter)

    def _draw_order(self, engine: ShowEngine) -> None:
        """The running order and the plans. The table's cells change far less often than
        the strip (not on a countdown flip within the slot, nor on a flash): the timeline
        is recomputed only when they can, or when the lengths tried in what-if changed. In
        what-if, the table shows the show with those lengths (nothing applied)."""
        controller = self.host.controller
        assert controller is not None  # this window exists only once a show is open
        key = (controller.order_key(engine.now()), self.what_if.generation)
        if key == self._order_key:
            return
        self._order_key = key
        self.model.update(self.what_if.projection(engine) or engine.projection())
        self.landing.follow(engine)

    def _what_if_changed(self) -> None:
        if self.host.has_show and self.isVisible():
            self._draw_order(self.host.engine)

    def _show_strip(self, display: Display) -> None:
        style = style_for(display.visual, display.flash_on)
        self.strip.setPalette(palette_for(style, self.strip.palette()))
        self.clock.setText(display.clock)
        self.segment.setText(f"{display.position}  ·  {display.title}")
        if display.visual == "overtime":  # the phase word carries the overrun: say it once
            self.countdown.setText(display.phase_word)
        else:
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
            if status.state is CueState.STANDBY and status.until_go_s > 0:
                colours = STANDBY_COLOURS
                main = tr("cue.standby", kind=kind, t=countdown_text(status.until_go_s))
            elif status.state is CueState.STANDBY:  # due, the segment before still on
                colours = STANDBY_COLOURS
                main = tr("cue.standby_due", kind=kind)
            else:
                colours = GO_COLOURS
                main = f"{tr('cue.go', kind=kind)}   ({tr('cue.ack_hint')})"
            cue = f"{status.index + 1}. {status.cue.text}"
        _colour(self.banner, *colours)
        self.banner_main.setText(main)
        self.banner_cue.setText(cue)
        self.ack_button.setEnabled(status is not None and status.state is CueState.GO)
        self.go_button.setEnabled(status is not None and status.state is CueState.STANDBY)

    def _running_cue(self) -> tuple[str, str] | None:
        """Banner lines for a cued segment now on stage (the video playing), else None."""
        now = self.host.engine.now()
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
        """Where the stage display is, whether it is dark, who moves a roll show on (the
        clock or the keys), and this laptop's part in a show shared by several (FOLLOWING
        the MC's laptop)."""
        parts = [placement_text(self.stage.placement, self.tr_)]
        if self.stage.is_blackout():
            parts.append(self.tr_("badge.blackout"))
        if self._latest is not None:
            parts.append(self._latest.roll)
        parts.append(self.host.peer_badge())
        self.stage_line.setText("   ·   ".join(p for p in parts if p))
        self.actions_["takeover"].setVisible(self.host.following)

    def _show_replaced(self, _engine: ShowEngine) -> None:
        """Another show (or the same show's agenda reloaded): the next draw relays out."""
        self._order_key = None
        self.retranslate()

    def retranslate(self) -> None:
        """Every word again, in the translator's present language."""
        self.setWindowTitle(
            self.tr_("window.stage_manager", title=self.host.engine.agenda.event.title)
        )
        retranslate(self.own, self.tr_)
        retranslate_menus(self.menus, self.tr_)
        self.screens_menu.setTitle(self.tr_("menu.stage_screen"))
        self.model.retranslate()
        self.composer.retranslate()
        self.landing.retranslate()
        self.what_if.retranslate()
        self._show_stage_state()
        self.show_cue(self.cues.status)


def default_size(window: QWidget) -> QSize:
    """The window's first size: a stage manager's laptop screen, less a margin (1366x860 at
    most, so the running order shows its titles and cues whole without scrolling)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1366, 860)
    area = screen.availableGeometry()
    return QSize(min(1366, int(area.width() * 0.96)), min(860, int(area.height() * 0.92)))


def _colour(widget: QWidget, background: str, text: str) -> None:
    palette = QPalette(widget.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(background))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    widget.setAutoFillBackground(True)
    widget.setPalette(palette)


def screens_menu(menu: QMenu, stage: ConfidenceDisplay, tr) -> QMenu:
    """A submenu of ``menu`` picking the stage display's screen, listed afresh each time it
    opens (a monitor plugged in mid-show is there). Titled by the caller's retranslate."""
    screens = menu.addMenu(tr("menu.stage_screen"))
    screens.aboutToShow.connect(lambda: _fill_screens(screens, stage, tr))
    return screens


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
