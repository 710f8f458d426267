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
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from runofshow import __version__
from runofshow._qt.fonts import load_bundled_fonts
from runofshow._qt.i18n import LANGUAGES, Translator, choose_language, say
from runofshow._qt.mc_window import McWindow
from runofshow._qt.settings import APPLICATION, ORGANISATION, WindowSettings
from runofshow._qt.trace import exit_after_first_paint_requested, first_paint_probe
from runofshow.core.agenda import Agenda
from runofshow.core.agenda_cache import AgendaCache
from runofshow.core.clock import RehearsalClock
from runofshow.core.engine import ShowEngine
from runofshow.core.session import ShowSession, open_session
from runofshow.exit_codes import EXIT_USAGE  # noqa: F401  (the window's usage status)
from runofshow.resources import default_agenda


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
    p.add_argument("--lang", choices=LANGUAGES, help="interface language (default: the system's)")
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
    p.add_argument("--version", action="version", version=f"runofshow {__version__}")
    return p


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = parser()
    args = p.parse_args(list(argv))
    if args.speed != 1.0 and args.rehearse is None:
        p.error("--speed needs --rehearse (a live show runs in real time)")
    return args


def build_session(agenda: Agenda, args: argparse.Namespace, *, fresh: bool = False) -> ShowSession:
    """The show for ``agenda``: the day's live show (resumed after a restart unless ``fresh``),
    or a rehearsal on its own simulated clock, journaled in ``--state-dir``."""
    rehearse_at = None if args.rehearse in (None, -1) else args.rehearse
    return open_session(
        agenda,
        state_dir=args.state_dir,
        rehearse=args.rehearse is not None,
        rehearse_at=rehearse_at,
        speed=args.speed,
        fresh=fresh or args.new_show,
    )


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
    """Runs ``callback`` from the event loop once ``widget`` has painted for the first time,
    so slow work queued at start-up (the sound output, the stage side) never delays the
    first frame."""

    def __init__(self, widget: QObject, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


def attach_stage(window: McWindow, args: argparse.Namespace) -> None:
    """The stage side (stage manager, confidence display, video), imported only after the
    first frame: none of it is on the MC's first screen."""
    from runofshow._qt.stage_side import attach_when_ready

    attach_when_ready(window, args.stage_screen, args.stage_manager, args.video_screen)


def application(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "runofshow", *argv])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    load_bundled_fonts()
    return app


def create_window(args: argparse.Namespace) -> McWindow:
    """The window for ``args``, with its show loaded (or its agenda's problems listed)."""
    settings = WindowSettings()
    tr = Translator(choose_language(args.lang, settings.language()))

    def engine_for(agenda: Agenda, fresh: bool = False) -> ShowEngine:
        session = build_session(agenda, args, fresh=fresh)
        for notice in session.notices:
            window.post_notice("session", say(tr, notice))
        return session.engine

    cache_dir = agenda_cache_dir(args)
    window = McWindow(
        tr,
        settings,
        lambda path: load_agenda(path, cache_dir),
        engine_for,
        make_fresh=lambda a: engine_for(a, fresh=True),
    )
    if args.mute:
        window.set_muted(True)
    window.open_agenda(args.agenda or default_agenda())
    window.place_on_screen(args.screen)
    return window


def main(argv: Sequence[str]) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")
    app = application(argv)
    window = create_window(args)
    if args.fullscreen:
        window.showFullScreen()
    else:
        window.show()
    if exit_after_first_paint_requested():  # the start-up benchmark's probe
        countdown = window.view.countdown
        countdown.on_paint = first_paint_probe(countdown.on_paint)
    AfterFirstFrame(window, window.load_sound)
    AfterFirstFrame(window, lambda: attach_stage(window, args))
    if os.environ.get("RUNOFSHOW_CONTROL"):  # test-only stdin channel: runofshow/_qt/remote.py
        from runofshow._qt.remote import attach_control

        QTimer.singleShot(0, lambda: attach_control(window))
    return app.exec()
