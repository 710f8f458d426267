"""The MC's window: the show view, its menus and buttons, the notice bar and the key list.

It is a view of the ``ShowHost``: it draws each ``Display`` the host publishes, shows the
host's notices, and acts only through the host's shared actions (the command table). What is
its own is only what concerns the window itself: full screen, the key overlay (F1), the
language menu, and where it sits on the screen. Started on an agenda with errors, it lists
them and waits for the file to be fixed (the host watches it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QActionGroup, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from runofshow._qt.app.host import ShowHost, app_handlers
from runofshow._qt.commands.qactions import (
    SharedActions,
    fill_menus,
    retranslate,
    retranslate_menus,
    window_actions,
)
from runofshow._qt.i18n import LANGUAGES
from runofshow._qt.show.display import Display
from runofshow._qt.widgets.show_view import ShowView
from runofshow.core.commands import MC
from runofshow.core.engine import ShowEngine
from runofshow.core.problems import Problem

if TYPE_CHECKING:  # built on first use, not for the first frame (start-up time)
    from PySide6.QtWidgets import QWidget

    from runofshow._qt.app.main import StageSideSlot
    from runofshow._qt.network.address import NetworkOptions
    from runofshow._qt.network.control import NetworkControl
    from runofshow._qt.peers.role import PeerRole
    from runofshow._qt.widgets.help_overlay import HelpOverlay
    from runofshow._qt.widgets.problems_page import ProblemsPage

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


@dataclass(frozen=True)
class PeerOptions:
    """What the command line says of this laptop's part in a shared show."""

    folder: Path = field(default_factory=Path)  # the state folder (peer id, known peers)
    media_dir: Path | None = None  # the video desk's own copies of the video files
    video_desk: bool = False  # this laptop plays the videos (--video-screen on a follower)
    name: str | None = None  # --name: how the other laptops say this one (default: host name)


class McWindow(QMainWindow):
    """The MC's window over ``host``; the host's shared actions live on it."""

    def __init__(self, host: ShowHost, extra_app_handlers: dict | None = None) -> None:
        super().__init__()
        self.host = host
        self.tr_ = host.tr_
        self.settings = host.settings
        host.ask = self.ask
        own = {
            "open": self.choose_agenda,
            "print_run_sheet": self.print_run_sheet,
            "allow_commands": self.allow_commands,
            "network": self.open_network,
            "takeover": self.take_over,
        }
        handlers = app_handlers(host, {**own, **(extra_app_handlers or {})})
        self.shared = SharedActions(self, host.execute, handlers)
        self.own = window_actions(
            self,
            {
                "fullscreen": self.toggle_fullscreen,
                "leave_fullscreen": self.leave_fullscreen,
                "help": self.help_toggle,
            },
        )
        self.actions_ = {**self.shared.actions, **self.own}
        self.actions_["mute"].setChecked(host.muted)
        self.view = ShowView(self.actions_)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.setCentralWidget(self.stack)
        self._problems_page: ProblemsPage | None = None
        self._help: HelpOverlay | None = None
        self._display: Display | None = None
        self.menus = fill_menus(self.menuBar(), self.actions_, _mc_menu_items(self.actions_))
        self.language_menu, self.language_actions = self._language_menu()
        host.show_replaced.connect(self._show_replaced)
        host.display_changed.connect(self._draw)
        host.order_changed.connect(self.view.show_order)
        host.notices_changed.connect(self._show_notices)
        host.waiting.connect(self._show_problems)
        host.badges_changed.connect(self._update_badges)
        host.peer_changed.connect(self._update_badges)
        host.closing.connect(self._close_for_quit)
        host.consent_needed.connect(self._consent_needed)
        self.first_frame_shown = False  # main() sets it; consent waits for it
        self.stage_slot: StageSideSlot | None = None  # main() gives it; Ctrl+2 builds it
        self.network_options: NetworkOptions | None = None  # main() sets the command line's
        self.network: NetworkControl | None = None  # the show network, once it is wanted
        self.peers: PeerRole | None = None  # this laptop's part in a shared show, once served
        self.peer_options: PeerOptions = PeerOptions()  # main() sets the command line's
        self._network_window: QWidget | None = None
        self._quitting = False
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

    def _language_menu(self):
        menu = self.menus["view"].addMenu("")
        group = QActionGroup(self)
        actions = {}
        for lang in LANGUAGES:
            action = menu.addAction(LANGUAGE_NAMES[lang])
            action.setCheckable(True)
            action.setChecked(lang == self.tr_.lang)
            action.triggered.connect(lambda _checked=False, code=lang: self.set_language(code))
            group.addAction(action)
            actions[lang] = action
        return menu, actions

    # -- drawing the host's show ---------------------------------------------------------
    def _show_replaced(self, engine: ShowEngine) -> None:
        self.stack.setCurrentWidget(self.view)
        self.setWindowTitle(f"runofshow — {engine.agenda.event.title}")

    def _draw(self, display: Display) -> None:
        self._display = display
        self.view.show_display(display)
        self.shared.follow(self.host.engine.now())
        self._update_badges()

    def _show_notices(self, notices: dict[str, str]) -> None:
        self.view.show_notice("  ·  ".join(notices.values()))

    def _show_problems(self, path: Path, problems: tuple[Problem, ...]) -> None:
        self.problems_page.show_problems(list(problems), self.tr_)
        self.stack.setCurrentWidget(self.problems_page)

    def _update_badges(self) -> None:
        tr, display, host = self.tr_, self._display, self.host
        self.view.show_badges(
            (
                display.rehearsal if display else "",
                display.roll if display else "",
                tr("badge.no_sound") if host.no_sound() else "",
                tr("badge.muted") if host.muted else "",
                tr("badge.blackout") if display is not None and display.blackout else "",
                host.peer_badge(),
            )
        )
        self.actions_["takeover"].setVisible(self.host.following)
        self.actions_["mute"].setChecked(host.muted)

    # -- window commands -----------------------------------------------------------------
    def choose_agenda(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.host.agenda_path.parent) if self.host.agenda_path else ""
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr_("action.open"), start, self.tr_("open.filter")
        )
        if name:
            self.host.open_agenda(Path(name))

    def print_run_sheet(self) -> bool:
        """File → Print run sheet…: the running order on paper for the crew (Qt's print
        dialog; "Print to File" makes a PDF)."""
        if not self.host.has_show:
            return False
        from runofshow._qt.printing.dialog import print_run_sheet_dialog

        digest = self.peers.followed_agenda_digest() if self.peers is not None else None
        return print_run_sheet_dialog(self, self.host.engine.agenda, self.tr_.lang, digest)

    def allow_commands(self) -> bool:
        """Show ▸ Allow cue commands…: the list of every command the agenda would run, and
        the operator's yes or no (no by default). Remembered for exactly these commands."""
        if not self.host.has_show or self.host.consent is None:
            return False
        from runofshow._qt.windows.consent_dialog import ConsentDialog

        agenda = self.host.engine.agenda
        dialog = ConsentDialog(self.tr_, agenda, self)
        try:
            accepted = dialog.exec() == ConsentDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        return accepted and self.host.approve_commands(agenda)

    def start_network(self) -> None:
        """After the first frame: serve if ``--serve``/``--osc`` asked for it, or if the
        Network window left it on last time. Nothing of the network loads otherwise."""
        wanted = self.network_options is not None and any(
            getattr(self.network_options, name) for name in ("serve", "osc", "osc_out")
        )
        if wanted or self.settings.network_on():
            self.network_control().start_from_options()

    def network_control(self) -> NetworkControl:
        if self.network is None:
            from runofshow._qt.network.control import NetworkControl

            self.network = NetworkControl(self.host, self.network_options)
            self.host.closing.connect(self.network.close)
            self.peer_role()  # a laptop that serves may share its show with others
        return self.network

    def peer_role(self) -> PeerRole:
        """This laptop's part in a show shared by several (docs/two-machines.md): made with
        the network, or at start-up for a follower (``--join``)."""
        if self.peers is None:
            from runofshow._qt.peers.role import PeerRole

            network = self.network_control() if self.network is None else self.network
            options = self.peer_options
            self.peers = PeerRole(
                self.host,
                options.folder,
                lambda: network.pin,
                self.network_control,
                media_dir=options.media_dir,
                video_desk=options.video_desk,
                name=options.name,
            )
            network.changed.connect(self.peers.serving)
            self.host.closing.connect(self.peers.close)
        return self.peers

    def take_over(self) -> bool:
        """Show ▸ Take over the show…: asked first (No by default), then the ``takeover``
        command (a follower whose primary is silent becomes the primary)."""
        if not self.host.following:
            return False
        if not self.ask(self.tr_("takeover.title"), self.tr_("takeover.text")):
            return False
        outcome = self.host.execute("takeover", source="menu")
        if not outcome.applied and outcome.reason:
            self.host.brief_notice("peer.takeover", outcome.reason)
        return outcome.applied

    def open_network(self) -> None:
        """View ▸ Show network…: the address, a QR code, the PINs, the clients, on/off."""
        if self._network_window is None:
            from runofshow._qt.windows.network_window import NetworkWindow

            self._network_window = NetworkWindow(self.network_control(), self.tr_, self)
        self._network_window.show()
        self._network_window.activateWindow()  # to the front too, under a window manager

    def _consent_needed(self, _agenda: object) -> None:
        """A show whose commands wait for consent: ask once the window is on screen (a
        dialog must not hold up the first frame), from the event loop."""
        if self.first_frame_shown:
            QTimer.singleShot(0, self, self.allow_commands)

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
            self.actions_["fullscreen"].setChecked(full)
            self.menuBar().setVisible(not full)  # the keys still work: actions live on the window
        super().changeEvent(event)

    def set_language(self, lang: str) -> None:
        self.language_actions[lang].setChecked(True)
        self.host.set_language(lang)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.tr_
        retranslate(self.actions_, tr)
        retranslate_menus(self.menus, tr)
        self.language_menu.setTitle(tr("menu.language"))
        for built in (self._help, self._problems_page):
            if built is not None:
                built.retranslate(tr)
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

    # -- questions and quitting ----------------------------------------------------------
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

    def _close_for_quit(self) -> None:
        self._quitting = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the MC's window quits the app (asking first during a live show)."""
        if not self._quitting and not self.host.quit():
            event.ignore()
            return
        screen = self.screen()
        name = screen.name() if screen else ""
        self.settings.save_window(geometry=self.saveGeometry(), screen=name)
        event.accept()


def _mc_menu_items(actions: dict) -> list[str]:
    """Every shared and own command but those only the stage manager's window shows in a
    menu of its own (the message box)."""
    return [name for name in actions if name != "message_box"]


__all__ = ["MC", "McWindow"]
