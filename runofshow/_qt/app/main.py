"""``runofshow [AGENDA] [options]``: start the MC's window.

Start-up is kept light: the window is built and shown first; the sound output (a PulseAudio
connection, or QtMultimedia elsewhere: slow to start, and possibly absent) and the stage side
are loaded by zero-delay timers queued once the window's first frame is painted. An agenda
opened before (same bytes, same path) comes from a cache of validated agendas, so an
unchanged file does not import PyYAML and pydantic at all (``runofshow.core.agenda_cache``);
a new or edited one is validated in a short-lived child process
(``runofshow.core.isolated_loader``), so they never enter the window's memory either.
``build_session`` is the one place a show is opened: resumed from its journal, or fresh, or a
rehearsal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from runofshow import __version__
from runofshow._qt.app.host import ShowHost
from runofshow._qt.app.settings import APPLICATION, ORGANISATION, WindowSettings
from runofshow._qt.fonts import load_bundled_fonts
from runofshow._qt.i18n import LANGUAGES, Translator, choose_language
from runofshow._qt.network.address import DISCOVER
from runofshow._qt.windows.mc_window import McWindow, PeerOptions
from runofshow.core.agenda import Agenda
from runofshow.core.agenda_cache import AgendaCache
from runofshow.core.clock import RehearsalClock
from runofshow.core.session import ShowSession, open_session
from runofshow.exit_codes import EXIT_IN_USE, EXIT_USAGE  # noqa: F401  (EXIT_USAGE: usage)
from runofshow.resources import default_agenda

if TYPE_CHECKING:
    from runofshow._qt.show.stage_side import StageSide

logger = logging.getLogger(__name__)


def time_of_day(text: str) -> int:
    """``15:01`` or ``15:01:30`` -> seconds since midnight (argparse type)."""
    try:
        parts = [int(p) for p in text.split(":")]
    except ValueError:
        parts = []
    if len(parts) not in (2, 3) or not (0 <= parts[0] < 24 and all(0 <= p < 60 for p in parts[1:])):
        raise argparse.ArgumentTypeError(f"expected HH:MM or HH:MM:SS, not {text!r}")
    h, m, s = (*parts, 0)[:3]
    return h * 3600 + m * 60 + s


def speed(text: str) -> float:
    """A rehearsal speed from 1 to 60 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not RehearsalClock.MIN_SPEED <= value <= RehearsalClock.MAX_SPEED:
        raise argparse.ArgumentTypeError(f"speed must be 1 to 60, not {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="runofshow",
        description="The MC's countdown window. Keys: F1 in the window.",
        epilog="Other commands: `runofshow check AGENDA` checks an agenda and prints its"
        " timeline; `runofshow report [AGENDA]` reports a show's planned against actual times.",
    )
    p.add_argument("agenda", nargs="?", type=Path, help="agenda YAML (default: the bundled one)")
    p.add_argument("--screen", type=int, metavar="N", help="open on screen N (0 is the first)")
    p.add_argument("--fullscreen", action="store_true", help="start in full screen")
    p.add_argument(
        "--rehearse",
        nargs="?",
        const=-1,
        type=time_of_day,
        metavar="HH:MM[:SS]",
        help="rehearse on a simulated clock from this time of day on the event's date (without"
        " a time: resume the interrupted rehearsal, else start a minute before the event)",
    )
    p.add_argument("--speed", type=speed, default=1.0, metavar="N", help="rehearsal speed, 1-60")
    p.add_argument("--state-dir", type=Path, metavar="DIR", help="where the show journal lives")
    p.add_argument(
        "--new-show",
        action="store_true",
        help="start a fresh show instead of resuming today's unfinished one",
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="interface language (default: the one last picked in View > Language, else the"
        " system's)",
    )
    p.add_argument("--mute", action="store_true", help="start with chimes off")
    p.add_argument(
        "--stage-screen",
        type=int,
        metavar="N",
        help="put the speaker's confidence display full screen on screen N (0 is the first)",
    )
    p.add_argument(
        "--stage-manager", action="store_true", help="also open the stage manager's window"
    )
    p.add_argument(
        "--video-screen",
        type=int,
        metavar="N",
        help="play video segments' files full screen on screen N (default: the last screen"
        " that is not the primary one)",
    )
    _network_arguments(p)
    p.add_argument("--version", action="version", version=f"runofshow {__version__}")
    return p


def _network_arguments(p: argparse.ArgumentParser) -> None:
    """The show network's options (docs/remote-control.md)."""
    from runofshow._qt.network.address import (
        address_argument,
        join_argument,
        networks_argument,
        pin_argument,
        target_argument,
    )

    g = p.add_argument_group("show network (docs/remote-control.md)")
    g.add_argument(
        "--serve",
        type=address_argument,
        metavar="[HOST:]PORT",
        help="serve the HTTP API, the WebSocket feed and the browser views on PORT (HOST"
        " 127.0.0.1, this laptop only, unless given: 0.0.0.0 for the LAN; PORT 0 picks a free"
        " one; the address is printed)",
    )
    g.add_argument(
        "--pin",
        type=pin_argument,
        metavar="PIN",
        help="the control PIN (default: the remembered one, else a generated one)",
    )
    g.add_argument(
        "--view-pin",
        type=pin_argument,
        metavar="PIN",
        help="a PIN the read-only views need too (default: none)",
    )
    g.add_argument(
        "--osc",
        type=address_argument,
        metavar="[HOST:]PORT",
        help="take OSC commands over UDP on PORT (no authentication: see --osc-allow)",
    )
    g.add_argument(
        "--osc-allow",
        type=networks_argument,
        default=(),
        metavar="ADDR[,NET...]",
        help="hear OSC only from these addresses or networks (e.g. 10.0.0.5,10.1.0.0/24)",
    )
    g.add_argument(
        "--osc-out",
        type=target_argument,
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="send phase, segment and countdown by OSC (repeatable)",
    )
    j = p.add_argument_group("two machines, one show (docs/two-machines.md)")
    j.add_argument(
        "--join",
        nargs="?",
        const=DISCOVER,
        type=join_argument,
        metavar="HOST:PORT",
        help="follow the show of the runofshow serving at HOST:PORT, with its control PIN"
        " (--pin); without an address, look for shows on the LAN",
    )
    j.add_argument(
        "--name",
        type=_peer_name,
        metavar="NAME",
        help="this laptop's name as the show's other laptops say it (default: its host name)",
    )
    j.add_argument(
        "--media-dir",
        type=Path,
        metavar="DIR",
        help="the video desk: look for the video files by name in DIR (they are on the"
        " primary's disk at other paths)",
    )


def _peer_name(text: str) -> str:
    """argparse type of ``--name``: one short line."""
    name = " ".join(text.split())
    if not name or len(name) > 40:
        raise argparse.ArgumentTypeError("a laptop's name is 1 to 40 characters")
    return name


def network_options(args: argparse.Namespace):
    """The network part of the command line, for ``NetworkControl``."""
    from runofshow._qt.network.address import NetworkOptions

    return NetworkOptions(
        serve=args.serve,
        pin=args.pin,
        view_pin=args.view_pin,
        osc=args.osc,
        osc_allow=tuple(args.osc_allow),
        osc_out=tuple(args.osc_out),
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = parser()
    args = p.parse_args(list(argv))
    if args.speed != 1.0 and args.rehearse is None:
        p.error("--speed needs --rehearse (a live show runs in real time)")
    if args.osc_allow and args.osc is None:
        p.error("--osc-allow needs --osc (it says whose OSC commands are heard)")
    if args.media_dir is not None and args.join is None:
        p.error("--media-dir is for a follower (--join) that plays the videos")
    if args.join is not None:
        _check_join(p, args)
    return args


def _check_join(p: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """A follower's show, agenda and clock are the primary's: what would contradict them is
    refused before anything starts."""
    if args.pin is None:
        p.error("--join needs the primary's control PIN: --pin PIN (its Network window shows it)")
    if args.agenda is not None:
        p.error("a follower runs the primary's agenda (it is sent over): leave out AGENDA")
    for given, option in ((args.rehearse, "--rehearse"), (args.new_show or None, "--new-show")):
        if given is not None:
            p.error(f"{option} is the primary's to choose: a follower runs the primary's show")
    if args.media_dir is not None and not args.media_dir.is_dir():
        p.error(f"--media-dir {args.media_dir}: no such folder")


def build_session(
    agenda: Agenda,
    args: argparse.Namespace,
    *,
    fresh: bool = False,
    ask: Callable[[str, str], bool] | None = None,
) -> ShowSession:
    """The show for ``agenda``: the day's live show (resumed after a restart unless ``fresh``),
    or a rehearsal on its own simulated clock, journaled in ``--state-dir``. Relaunched with
    the same ``--rehearse HH:MM`` after a crash, the unfinished rehearsal is offered back
    (``ask``) instead of starting rehearsal number two."""
    rehearse_at = None if args.rehearse in (None, -1) else args.rehearse
    offer_back = rehearse_at is not None and ask is not None and not (fresh or args.new_show)
    if offer_back and _resume_rehearsal(agenda, args, rehearse_at, ask):  # type: ignore[arg-type]
        rehearse_at = None  # resume the latest unfinished rehearsal: that one
    return open_session(
        agenda,
        state_dir=args.state_dir,
        rehearse=args.rehearse is not None,
        rehearse_at=rehearse_at,
        speed=args.speed,
        fresh=fresh or args.new_show,
    )


def _resume_rehearsal(
    agenda: Agenda, args: argparse.Namespace, rehearse_at: int, ask: Callable[[str, str], bool]
) -> bool:
    """Whether the operator takes back the unfinished rehearsal started from the same time."""
    from runofshow.core.session import rehearsal_to_offer
    from runofshow.core.timefmt import clock_of_day

    offer = rehearsal_to_offer(agenda, args.state_dir, rehearse_at)
    if offer is None:
        return False
    tr = Translator(choose_language(args.lang, WindowSettings().language()))
    from runofshow.core.zones import show_zone

    when = dt.datetime.fromtimestamp(offer.last_action_wall, show_zone(agenda.event.timezone))
    text = tr(
        "rehearsal.resume",
        start=clock_of_day(rehearse_at),
        last=clock_of_day(when.hour * 3600 + when.minute * 60 + when.second),
        count=offer.actions,
    )
    return ask(tr("rehearsal.resume_title"), text)


def load_agenda(path: Path, cache_dir: Path | None = None) -> Agenda:
    """Load ``path``; through the cache of validated agendas in ``cache_dir`` if given, a
    miss validated in a child process (``core.isolated_loader``: pydantic stays out of the
    window's memory)."""
    if cache_dir is not None:
        return AgendaCache(cache_dir, isolated=True).load(path)
    from runofshow.core.loader import load_agenda as load

    return load(path)


def agenda_cache_dir(args: argparse.Namespace) -> Path:
    """The cache of validated agendas lives beside the journal (``--state-dir``)."""
    from runofshow.core.journal import state_dir

    return state_dir(args.state_dir) / "agenda-cache"


class AfterFirstFrame(QObject):
    """Runs ``callback`` from the event loop once ``widget``'s window has been put on screen
    for the first time, so slow work queued at start-up (the sound output, the stage side)
    never delays the first frame.

    It watches the window's first *expose*, not a paint of ``widget`` itself: a window that
    starts full screen is covered edge to edge by its opaque central widget, so Qt never
    paints the window widget, and waiting for that paint left the stage display black, the
    stage manager unopened and the chimes unloaded until full screen was left. Qt paints an
    exposed widget window synchronously while handling the expose, so a zero-delay timer
    started there runs after the first frame. ``FALLBACK_MS`` later the callback runs
    anyway, exposed or not (a window started on a hidden workspace)."""

    FALLBACK_MS = 3000

    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self.callback = callback
        self._done = False
        widget.winId()  # the native window exists from now on, shown or not
        self._window = widget.windowHandle()
        self._window.installEventFilter(self)
        QTimer.singleShot(self.FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and self._window.isExposed():
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if not self._done:
            self._done = True
            self.callback()


class StageSideSlot:
    """The stage side (confidence display, cues, stage manager, video), built after the first
    frame (none of it is on the MC's first screen) or when first asked for (Ctrl+2); never
    before a show is open."""

    def __init__(self, host: ShowHost, args: argparse.Namespace) -> None:
        self.host, self.args = host, args
        self.window: McWindow | None = None
        self.side: StageSide | None = None
        self._pending = False
        host.show_replaced.connect(self._show_opened)

    def _show_opened(self, _engine: object) -> None:
        if self._pending:
            self.build()

    def build(self) -> StageSide | None:
        """The stage side, made now if a show is open (else once one is)."""
        if self.side is not None:
            return self.side
        if not self.host.has_show or self.window is None:
            self._pending = True
            return None
        from runofshow._qt.show.stage_side import StageSide

        self._pending = False
        window, args = self.window, self.args
        shown = window.shared["show_stage"]
        shown.setChecked(True)

        def operators() -> list:
            """The screens an operator's window is on now (the MC's, once it is shown)."""
            return [window.screen()] if window.isVisible() else []

        self.side = StageSide(self.host, window.shared, operators, args.video_screen)
        self.side.place_stage(args.stage_screen)
        if args.stage_manager:
            self.side.open_manager(activate=False)
        return self.side

    def open_manager(self) -> None:
        side = self.build()
        if side is not None:
            side.open_manager()

    def toggle_stage(self) -> None:
        side = self.build()
        if side is not None and self.window is not None:
            side.show_stage(self.window.shared["show_stage"].isChecked())


def application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else None
    app = app or QApplication([sys.argv[0] if sys.argv else "runofshow", *argv])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    load_bundled_fonts()
    return app


def create_host(args: argparse.Namespace) -> ShowHost:
    """The show's owner for ``args``: settings, language, agenda loading, sessions."""
    settings = WindowSettings()
    tr = Translator(choose_language(args.lang, settings.language()))
    cache_dir = agenda_cache_dir(args)
    host = ShowHost(
        tr,
        settings,
        lambda path: load_agenda(path, cache_dir),
        lambda agenda, fresh: build_session(agenda, args, fresh=fresh, ask=host.ask),
    )
    from runofshow.core.consent import CommandConsent
    from runofshow.core.journal import state_dir

    host.consent = CommandConsent(state_dir(args.state_dir))
    return host


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the desktop's file manager (Help > Open log folder)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def create_window(args: argparse.Namespace) -> McWindow:
    """The MC's window for ``args``, with its show loaded (or its agenda's problems listed)."""
    from runofshow.core.journal import state_dir
    from runofshow.core.show_log import log_folder

    host = create_host(args)
    stage = StageSideSlot(host, args)
    handlers = {
        "stage_manager": stage.open_manager,
        "show_stage": stage.toggle_stage,
        "open_logs": lambda: open_folder(log_folder(state_dir(args.state_dir))),
    }
    window = McWindow(host, handlers)
    window.stage_slot = stage
    stage.window = window
    window.network_options = network_options(args)
    window.peer_options = PeerOptions(
        folder=state_dir(args.state_dir),
        media_dir=getattr(args, "media_dir", None),
        video_desk=getattr(args, "join", None) is not None and args.video_screen is not None,
        name=getattr(args, "name", None),
    )
    if args.mute:
        host.set_muted(True)
    if getattr(args, "join", None) is not None:
        join_show(window, args.join, state_dir(args.state_dir))
    else:
        host.open_first(args.agenda or default_agenda())
    window.place_on_screen(args.screen)
    return window


def join_show(window: McWindow, url: str, folder: Path) -> None:
    """``--join``: this laptop follows the show at ``url``, keeping its copy in ``folder``.
    A folder that cannot hold the copy is said on the notice bar: the laptop then follows
    nothing (a copy that cannot be kept could not take over)."""
    from runofshow.core.journal import JournalUnavailable, ShowStore

    try:
        store = ShowStore(folder)
    except JournalUnavailable as error:
        window.host.post_notice("peer", f"{error}")
        print(f"runofshow: cannot keep a copy of the show: {error}", file=sys.stderr)
        return
    window.peer_role().follow(url, store)


def log_qt_messages() -> None:
    """Qt's own warnings go to the app's log too (a missing plugin, a failed OpenGL context),
    so a show's troubles are in one place."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_logger = logging.getLogger("runofshow.qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind, context, message: str) -> None:
        qt_logger.log(levels.get(kind, logging.WARNING), "%s (%s)", message, context.category)

    qInstallMessageHandler(handler)


NO_LOCK = object()  # the folder cannot hold a lock file (read-only): the show runs anyway


def one_instance(folder: Path) -> object | None:
    """This process's hold on the show in ``folder``; None (after saying which process has
    it, and bringing its window forward) when another runofshow runs it already."""
    from runofshow.core.instance_lock import ShowInUse, hold_show

    try:
        return hold_show(folder)
    except ShowInUse as busy:
        from runofshow._qt.app.instance import bring_forward

        raised = bring_forward(folder)
        then = "its window was brought to the front" if raised else "switch to its window"
        print(f"runofshow: {busy}; {then}. One app per show: the journal has one writer.",
              file=sys.stderr)  # fmt: skip
        return None
    except OSError as error:  # unwritable folder: the journal will say NOT SAVED
        logger.warning("no instance lock in %s: %s", folder, error)
        return NO_LOCK


def stage_slot(window: McWindow) -> StageSideSlot:
    """The slot ``create_window`` gave the window."""
    assert window.stage_slot is not None
    return window.stage_slot


def first_frame_shown(window: McWindow) -> None:
    """From now on dialogs may open over the window: the agenda's cue commands, if they wait
    for consent, are put to the operator now."""
    window.first_frame_shown = True
    host = window.host
    if host.has_show and not host.commands_allowed(host.engine.agenda):
        from runofshow.core.consent import agenda_commands

        if agenda_commands(host.engine.agenda):
            window.allow_commands()


def main(argv: Sequence[str]) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.join == DISCOVER:
        from runofshow._qt.peers.discovery import choose_show

        found = choose_show()
        if isinstance(found, int):
            return found
        args.join = found
    from runofshow.core.journal import refuse_a_file, state_dir

    folder = state_dir(args.state_dir)
    refuse_a_file(folder)  # before any window: a typo must not run a show
    from runofshow.core.show_log import start_logging

    start_logging(folder)
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")
    app = application(argv)
    log_qt_messages()
    lock = one_instance(folder)
    if lock is None:
        return EXIT_IN_USE
    window = create_window(args)
    if lock is not NO_LOCK:
        from runofshow._qt.app.instance import InstanceServer

        InstanceServer(folder, window)
    if args.fullscreen:
        window.showFullScreen()
    else:
        window.show()
    from runofshow._qt.app.signals import QuitOnSignal
    from runofshow._qt.testing import probes_from_env

    QuitOnSignal(lambda: window.host.quit(ask=False), window)

    probes_from_env(window)  # the test seam: nothing unless its environment asks
    AfterFirstFrame(window, window.host.load_sound)
    AfterFirstFrame(window, stage_slot(window).build)
    AfterFirstFrame(window, lambda: first_frame_shown(window))
    AfterFirstFrame(window, window.start_network)
    return app.exec()
