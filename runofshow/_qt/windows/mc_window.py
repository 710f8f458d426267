"""The MC's window: the show view, its menus and keys, agenda loading, and quitting safely.

The window owns what belongs to it rather than to the show: the language, mute, the stage
blackout flag (``blackout_changed``; the stage display window listens to it), full screen and
the sound sink. The show itself is the engine's; the window reaches it only through its
``ShowController``. An agenda with errors never replaces a running show: opened or reloaded,
its problems appear in a dialog; at start-up, with no show to keep, they fill the window and
the file is watched until it is saved fixed.

The running show's agenda file is watched too (hot reload): a valid save takes over at once
through ``engine.replace_agenda`` (position and elapsed time kept) with a brief "agenda
reloaded" notice; an invalid one puts its first error in the notice bar and the show keeps the
agenda it had. No dialog pops up mid-show on a save: only Ctrl+R, asked for, shows one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.commands.qactions import (
    ACTION_SPECS,
    MENU_ORDER,
    build_actions,
    retranslate_actions,
)
from runofshow._qt.i18n import LANGUAGES, Translator
from runofshow._qt.show.controller import ShowController
from runofshow._qt.sound.chimes import SoundSink
from runofshow._qt.testing.trace import RepaintTrace, trace_from_env
from runofshow._qt.widgets.show_view import ShowView
from runofshow.core.agenda import Agenda
from runofshow.core.engine import ShowEngine, Status
from runofshow.core.problems import AgendaError, Problem, Severity

if TYPE_CHECKING:  # built on first use, not for the first frame (start-up time)
    from PySide6.QtWidgets import QMessageBox

    from runofshow._qt.app.agenda_watch import AgendaWatcher
    from runofshow._qt.widgets.help_overlay import HelpOverlay
    from runofshow._qt.widgets.problems_page import ProblemsPage

LoadAgenda = Callable[[Path], Agenda]
MakeEngine = Callable[[Agenda], ShowEngine]
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}
BRIEF_NOTICE_MS = 8000  # "agenda reloaded" is news, not a state: it leaves the bar by itself


class McWindow(QMainWindow):
    """The MC's window; construct, then ``open_agenda`` (or ``start_show``) and show."""

    blackout_changed = Signal(bool)
    show_opened = Signal()  # the first show is on screen: its controller exists from now on
    engine_started = Signal(object)  # every show's engine, the first and each one after it
    language_changed = Signal(str)
    stage_manager_requested = Signal()  # Ctrl+2: the stage side (attached later) answers
    notice_posted = Signal(str, str)  # (kind, text), as shown on the notice bar
    _reload_checked = Signal(int, object)  # (save number, Agenda or AgendaError): from a thread

    def __init__(
        self,
        tr: Translator,
        settings: WindowSettings,
        load_agenda: LoadAgenda,
        make_engine: MakeEngine,
        *,
        make_fresh: MakeEngine | None = None,
    ) -> None:
        super().__init__()
        self.make_fresh = make_fresh or make_engine
        self.notices: dict[str, str] = {}  # kind -> text, shown in the notice bar
        self.tr_ = tr
        self.settings = settings
        self.load_agenda = load_agenda
        self.make_engine = make_engine
        self.controller: ShowController | None = None
        self.agenda_path: Path | None = None
        self.watcher: AgendaWatcher | None = None
        self.sink: SoundSink | None = None
        self.problem_dialog: QMessageBox | None = None
        self.trace: RepaintTrace | None = None
        self.blackout = False
        self.muted = settings.muted()
        self.actions = build_actions(self, self._handlers())
        self.actions["mute"].setChecked(self.muted)
        self.view = ShowView(self.actions)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.setCentralWidget(self.stack)
        self._problems_page: ProblemsPage | None = None
        self._help: HelpOverlay | None = None
        self._saves = 0  # the running agenda's saves seen; only the last one's check counts
        self._reload_checked.connect(self._take_saved_agenda)
        self.language_actions = self._build_menus()
        self.retranslate()

    # The key overlay and the problems page are built when first needed: neither is on the
    # first frame of a show, and their modules and widgets cost start-up time.
    @property
    def help(self) -> HelpOverlay:
        """The key overlay (F1)."""
        if self._help is None:
            from runofshow._qt.widgets.help_overlay import HelpOverlay

            self._help = HelpOverlay(self.stack)
            self._help.retranslate(self.tr_)
        return self._help

    @property
    def problems_page(self) -> ProblemsPage:
        """What fills the window while the agenda at start-up has errors."""
        if self._problems_page is None:
            from runofshow._qt.widgets.problems_page import ProblemsPage

            self._problems_page = ProblemsPage()
            self._problems_page.retranslate(self.tr_)
            self.stack.addWidget(self._problems_page)
        return self._problems_page

    def _handlers(self) -> dict[str, Callable[[], object]]:
        return {
            "next": lambda: self.engine_action(lambda e: e.next()),
            "previous": lambda: self.engine_action(lambda e: e.previous()),
            "toggle": lambda: self.engine_action(lambda e: e.toggle()),
            "start": lambda: self.engine_action(lambda e: e.start()),
            "undo": lambda: self.engine_action(lambda e: e.undo()),
            "add_minute": lambda: self.engine_action(lambda e: e.add_time(60)),
            "remove_minute": lambda: self.engine_action(lambda e: e.add_time(-60)),
            "add_10s": lambda: self.engine_action(lambda e: e.add_time(10)),
            "remove_10s": lambda: self.engine_action(lambda e: e.add_time(-10)),
            "blackout": lambda: self.set_blackout(not self.blackout),
            "mute": lambda: self.set_muted(not self.muted),
            "stage_manager": self.stage_manager_requested.emit,
            "fullscreen": self.toggle_fullscreen,
            "leave_fullscreen": self.leave_fullscreen,
            "help": self.help_toggle,
            "open": self.choose_agenda,
            "new_show": self.new_show,
            "reload": self.reload_agenda,
            "quit": self.close,
        }

    def _build_menus(self) -> dict[str, object]:
        self.menus = {name: self.menuBar().addMenu("") for name in MENU_ORDER}
        for spec in ACTION_SPECS:
            self.menus[spec.menu].addAction(self.actions[spec.name])
        self.language_menu = self.menus["view"].addMenu("")
        group = QActionGroup(self)
        language_actions = {}
        for lang in LANGUAGES:
            action = self.language_menu.addAction(LANGUAGE_NAMES[lang])
            action.setCheckable(True)
            action.setChecked(lang == self.tr_.lang)
            action.triggered.connect(lambda _checked=False, code=lang: self.set_language(code))
            group.addAction(action)
            language_actions[lang] = action
        return language_actions

    # -- the show --------------------------------------------------------------------------
    def engine_action(self, action: Callable[[ShowEngine], bool]) -> bool:
        """Apply a show action, if there is a show (not while waiting for a fixed agenda)."""
        if self.controller is None:
            return False
        engine = self.controller.engine
        return self.controller.act(lambda: action(engine))

    def start_show(self, engine: ShowEngine) -> None:
        """Show ``engine``'s show, replacing any previous one."""
        self.agenda_path = engine.agenda.path
        self._stop_watching()
        if self.controller is None:
            self.controller = ShowController(engine, self.tr_, self)
            self.controller.display_changed.connect(self.view.show_display)
            self.controller.display_changed.connect(lambda _d: self._update_badges())
            self.controller.order_changed.connect(self.view.show_order)
            self.controller.notice.connect(self.post_notice)
            self.controller.policy.muted = self.muted
            self.controller.sink = self.sink
            self.trace = trace_from_env(self._show_clock, self.controller.countdown_zero)
            self.view.countdown.on_paint = self.trace
            self.controller.refresh()
            self.show_opened.emit()
        else:
            self.controller.replace_engine(engine)
        self.stack.setCurrentWidget(self.view)
        self.setWindowTitle(f"runofshow — {engine.agenda.event.title}")
        self.engine_started.emit(engine)
        self._watch_running_agenda(engine.agenda.path)

    def _show_clock(self) -> float:
        return self.controller.engine.clock.monotonic() if self.controller else 0.0

    def show_is_live(self) -> bool:
        """A live (not rehearsal) show that has started and not ended."""
        if self.controller is None:
            return False
        engine = self.controller.engine
        return engine.mode == "live" and engine.status in (Status.RUNNING, Status.PAUSED)

    # -- agendas ---------------------------------------------------------------------------
    def open_agenda(self, path: Path) -> bool:
        """Load ``path`` and start its show; on errors keep the current show (or, with none,
        list the errors and wait for the file to be fixed)."""
        try:
            agenda = self.load_agenda(path)
        except AgendaError as error:
            self._agenda_failed(path, error.problems)
            return False
        replacing_live = self.controller is not None and self.show_is_live()
        if replacing_live and not self.ask(self.tr_("quit.title"), self.tr_("open.replace")):
            return False
        self.start_show(self.make_engine(agenda))
        return True

    def new_show(self) -> bool:
        """Start over from the first segment as a new show (the old one stays journaled)."""
        if self.controller is None:
            return False
        if not self.ask(self.tr_("quit.title"), self.tr_("new_show.text")):
            return False
        self.notices.pop("journal", None)
        self.start_show(self.make_fresh(self.controller.engine.agenda))
        self._show_notices()
        return True

    def post_notice(self, kind: str, text: str) -> None:
        """Tell the operator something they must know; a newer notice of the same kind
        replaces the older one (one clock-jump line, not a pile of them)."""
        self.notices[kind] = text
        self._show_notices()
        self.notice_posted.emit(kind, text)

    def clear_notice(self, kind: str) -> None:
        self.notices.pop(kind, None)
        self._show_notices()

    def _show_notices(self) -> None:
        self.view.show_notice("  ·  ".join(self.notices.values()))

    def _agenda_failed(self, path: Path, problems: list[Problem]) -> None:
        if self.controller is not None:
            self.problem_dialog = self._problems_dialog(problems)
            return
        self.agenda_path = path
        self.problems_page.show_problems(problems, self.tr_)
        self.stack.setCurrentWidget(self.problems_page)
        if self.watcher is None or self.watcher.path != path.resolve():
            self._stop_watching()
            self.watcher = _watcher(path, self)
            self.watcher.changed.connect(lambda: self.open_agenda(path))

    def _watch_running_agenda(self, path: Path) -> None:
        """Hot reload: follow the running show's agenda file (not a made-up path)."""
        if not path.is_file():
            return
        self.watcher = _watcher(path, self)
        self.watcher.changed.connect(self._running_agenda_changed)

    def _running_agenda_changed(self) -> None:
        """The running agenda was saved: check it on a worker thread, then take it.

        An edited file is validated in a child process (~0.2 s to start it), and the
        countdown must keep flipping on time meanwhile, so the check runs off the GUI thread
        and its result comes back queued. Saves in quick succession (editors often write
        twice) each start a check; only the latest save's result is taken."""
        if self.controller is None or self.agenda_path is None:
            return
        self._saves += 1
        save, path, load = self._saves, self.agenda_path, self.load_agenda

        def check() -> None:
            try:
                result: object = load(path)
            except AgendaError as error:
                result = error
            except Exception as error:  # never lose the show to a surprise in a check
                result = AgendaError([Problem(path, 0, 0, Severity.ERROR, str(error))])
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self._reload_checked.emit(save, result)

        threading.Thread(target=check, name="agenda-reload", daemon=True).start()

    def _take_saved_agenda(self, save: int, result: object) -> None:
        """Take a valid edit in place, report an invalid one in the notice bar (no dialog
        mid-show) and keep running the agenda we have."""
        if save != self._saves or self.controller is None or self.agenda_path is None:
            return  # a later save is being checked, or the show is gone
        if isinstance(result, AgendaError):
            self.post_notice("agenda", self._invalid_text(result.problems))
            return
        agenda = result
        assert isinstance(agenda, Agenda)
        if agenda == self.controller.engine.agenda:
            self.clear_notice("agenda")  # saved unchanged (or fixed back): nothing to take
            return
        self._replace_agenda(agenda)
        self._brief_notice("agenda", self.tr_("notice.agenda_reloaded", file=self.agenda_path.name))

    def _replace_agenda(self, agenda: Agenda) -> bool:
        """The edited agenda takes over the running show (position and elapsed time kept)."""
        applied = self.engine_action(lambda e: e.replace_agenda(agenda))
        if applied and self.controller is not None:
            # Redraw everything: rows may have been added or removed while the countdown text
            # stayed the same, and the controller republishes the order only on a new display.
            self.controller.retranslate()
        return applied

    def _invalid_text(self, problems: list[Problem]) -> str:
        first = problems[0] if problems else None
        return self.tr_(
            "notice.agenda_invalid",
            count=len(problems),
            first=first.format().splitlines()[0] if first else "",
        )

    def _brief_notice(self, kind: str, text: str) -> None:
        """A notice that clears itself unless something newer of its kind replaced it."""
        self.post_notice(kind, text)

        def expire() -> None:
            if self.notices.get(kind) == text:
                self.clear_notice(kind)

        QTimer.singleShot(BRIEF_NOTICE_MS, self, expire)

    def _stop_watching(self) -> None:
        self._saves += 1  # a check still running is for a file no longer followed
        if self.watcher is not None:
            self.watcher.deleteLater()
            self.watcher = None

    def reload_agenda(self) -> bool:
        """Ctrl+R: re-read the agenda; the show keeps its place (``replace_agenda``)."""
        if self.agenda_path is None:
            return False
        if self.controller is None:
            return self.open_agenda(self.agenda_path)
        try:
            agenda = self.load_agenda(self.agenda_path)
        except AgendaError as error:
            self.problem_dialog = self._problems_dialog(error.problems)
            return False
        self.clear_notice("agenda")
        return self._replace_agenda(agenda)

    def _problems_dialog(self, problems: list[Problem]) -> QMessageBox:
        from runofshow._qt.widgets.problems_page import problems_dialog

        return problems_dialog(self, problems, self.tr_)

    def choose_agenda(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.agenda_path.parent) if self.agenda_path else ""
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr_("action.open"), start, self.tr_("open.filter")
        )
        return self.open_agenda(Path(name)) if name else False

    # -- window state ----------------------------------------------------------------------
    def set_blackout(self, blackout: bool) -> None:
        """The stage display goes dark (or comes back); the MC's window only shows the flag."""
        self.actions["blackout"].setChecked(blackout)
        if blackout != self.blackout:
            self.blackout = blackout
            self.blackout_changed.emit(blackout)
            self._update_badges()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        self.actions["mute"].setChecked(muted)
        if self.controller is not None:
            self.controller.policy.muted = muted
        self._update_badges()

    def set_sink(self, sink: SoundSink) -> None:
        """Chimes go to ``sink`` from now on; the badge says if nothing would be heard."""
        self.sink = sink
        if self.controller is not None:
            self.controller.sink = sink
        changed = getattr(sink, "availability_changed", None)
        if changed is not None:  # a method, not a lambda: queued when a sink's thread emits
            changed.connect(self._sound_availability_changed)
        self._update_badges()

    def _sound_availability_changed(self, _available: bool) -> None:
        self._update_badges()

    def load_sound(self) -> None:
        """Connect the sound output (``sound.load_sound_sink``) once the first frame is on
        screen."""
        from runofshow._qt.sound.sinks import load_sound_sink

        self.set_sink(load_sound_sink(self))

    def _update_badges(self) -> None:
        tr = self.tr_
        display = self.controller.display if self.controller else None
        self.view.show_badges(
            (
                display.rehearsal if display else "",
                tr("badge.no_sound") if self.sink is not None and not self.sink.available else "",
                tr("badge.muted") if self.muted else "",
                tr("badge.blackout") if self.blackout else "",
            )
        )

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def leave_fullscreen(self) -> None:
        """Esc: close the key list, or leave full screen. Never touches the show."""
        if self._help is not None and self._help.isVisible():
            self._help.hide()
        elif self.isFullScreen():
            self.showNormal()

    def help_toggle(self) -> None:
        self.help.toggle()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange:
            full = self.isFullScreen()
            self.actions["fullscreen"].setChecked(full)
            self.menuBar().setVisible(not full)  # the keys still work: actions live on the window
        super().changeEvent(event)

    def set_language(self, lang: str) -> None:
        self.tr_.lang = lang
        self.language_actions[lang].setChecked(True)
        self.retranslate()
        self.language_changed.emit(lang)

    def retranslate(self) -> None:
        tr = self.tr_
        retranslate_actions(self.actions, tr)
        for name, menu in self.menus.items():
            menu.setTitle(tr(f"menu.{name}"))
        self.language_menu.setTitle(tr("menu.language"))
        for built in (self._help, self._problems_page):
            if built is not None:
                built.retranslate(tr)
        if self.controller is not None:
            self.controller.retranslate()
        self._update_badges()

    def place_on_screen(self, index: int | None) -> None:
        """``--screen N`` wins; else the remembered geometry; else centred on the first screen."""
        screens = QGuiApplication.screens()
        geometry = self.settings.geometry()
        if index is None and geometry is not None and self.restoreGeometry(geometry):
            return
        if index is None:
            remembered = self.settings.screen()
            index = next((i for i, s in enumerate(screens) if s.name() == remembered), 0)
        screen = screens[index] if 0 <= index < len(screens) else screens[0]
        area = screen.availableGeometry()
        self.setGeometry(
            area.adjusted(
                area.width() // 10, area.height() // 10, -area.width() // 10, -area.height() // 10
            )
        )

    # -- quitting --------------------------------------------------------------------------
    def ask(self, title: str, text: str) -> bool:
        """A yes/no question, No by default (a stray Enter must not end a show)."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask before quitting a live show (it would survive in the journal anyway)."""
        if self.show_is_live() and not self.ask(self.tr_("quit.title"), self.tr_("quit.text")):
            event.ignore()
            return
        screen = self.screen()
        self.settings.save(
            geometry=self.saveGeometry(),
            screen=screen.name() if screen else "",
            muted=self.muted,
            language=self.tr_.lang,
        )
        if self.controller is not None:
            self.controller.stop()
        side = getattr(self, "stage_side", None)
        if side is not None:  # quitting quits: no stage manager's window left running alone
            side.close()
        if self.trace is not None:
            self.view.countdown.on_paint = None
            self.trace.close()
            self.trace = None
        event.accept()


def _watcher(path: Path, parent: McWindow) -> AgendaWatcher:
    from runofshow._qt.app.agenda_watch import AgendaWatcher

    return AgendaWatcher(path, parent)
