"""The ``ShowHost``: the one owner of the show in the shell.

It holds the engine and its journal session, the repaint loop (``ShowController``), the
agenda's lifecycle (open, reload, watch the file, check every agenda off the GUI thread),
the command table's shared actions, the notices an operator must see, and the sound. The
MC's window, the stage manager's window, the confidence display and the video output are
views: they subscribe to its signals and act through ``execute``; none of them owns the show.

Every show command, from any source (a key, a clicker, a menu, a button, the network, OSC),
goes through ``execute`` and so through ``runofshow.core.commands.execute``: journaled before
it takes effect, then drawn at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from runofshow._qt.app.agenda_checks import AgendaChecks, Checked, LoadAgenda, check_now
from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.i18n import Translator, say
from runofshow._qt.show.controller import ShowController
from runofshow._qt.show.display import describe
from runofshow._qt.sound.chimes import SoundSink
from runofshow.core import commands
from runofshow.core.actions import MemoryJournal
from runofshow.core.agenda import Agenda
from runofshow.core.commands import CommandError, Outcome
from runofshow.core.consent import CommandConsent, agenda_commands
from runofshow.core.engine import ShowEngine, Status
from runofshow.core.journal import StateDirIsAFile
from runofshow.core.problems import Problem
from runofshow.core.session import ShowSession

if TYPE_CHECKING:
    from runofshow._qt.app.agenda_watch import AgendaWatcher

logger = logging.getLogger(__name__)

OpenSession = Callable[[Agenda, bool], ShowSession]  # (agenda, fresh) -> the show to run
Ask = Callable[[str, str], bool]  # (title, question) -> yes?
Run = Callable[[str, Mapping[str, object], str], Outcome]  # (command, args, source)
BRIEF_NOTICE_MS = 8000  # "agenda reloaded" is news, not a state: it leaves the bar by itself
NO_SHOW = "no show is open (the agenda has errors)"


class ShowHost(QObject):
    """Owns the show; windows are views of it. Construct, then ``open_first`` an agenda."""

    show_replaced = Signal(object)  # ShowEngine: the first show and each one after it
    display_changed = Signal(object)  # Display, whenever anything shown changes
    order_changed = Signal(object)  # Sequence[OrderRow]
    notices_changed = Signal(object)  # dict[kind, text]: what the notice bars show
    notice_posted = Signal(str, str)  # (kind, text): one notice as it is posted
    waiting = Signal(object, object)  # (path, problems): no show; the file is broken
    badges_changed = Signal()  # mute, sound availability
    executed = Signal(object)  # Outcome of every show command run
    closing = Signal()  # the app is quitting: every window closes
    consent_needed = Signal(object)  # Agenda: its cue commands wait for the operator's yes
    video_desks_changed = Signal(object)  # list[str]: followers that play the videos (names)
    peer_changed = Signal()  # this laptop's part in a shared show changed (badges redraw)

    def __init__(
        self,
        tr: Translator,
        settings: WindowSettings,
        load_agenda: LoadAgenda,
        open_session: OpenSession,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.settings = settings
        self.load_agenda = load_agenda
        self.open_session = open_session
        self.ask: Ask = lambda _title, _text: False  # the MC's window answers (no by default)
        self.session: ShowSession | None = None
        self.controller: ShowController | None = None
        self.agenda_path: Path | None = None
        self.notices: dict[str, str] = {}
        self.muted = settings.muted()
        self.sink: SoundSink | None = None
        self.watcher: AgendaWatcher | None = None
        self.checks = AgendaChecks(load_agenda, self)
        self.checks.checked.connect(self._checked)
        self.problems: tuple[Problem, ...] = ()  # of the last agenda refused
        self.consent: CommandConsent | None = None  # remembered approvals; None: allow none
        # A show run on several laptops (runofshow._qt.peers, docs/two-machines.md) sets
        # these: a follower's ``relay`` sends show commands to the primary instead of running
        # them here; ``peer_command`` runs "take over the show"; ``confirmation`` says what a
        # command's answer to the network waits for; ``peer_status`` and ``peer_urls`` tell
        # the network where this laptop stands and where the show's other laptops are.
        self.following = False
        self.video_desks: list[str] = []  # followers that play the videos (names)
        self.relay: Run | None = None
        self.peer_command: Run | None = None
        self.confirmation: Callable[..., object] | None = None
        self.peer_status: Callable[[], dict] | None = None
        self.peer_urls: Callable[[], list[str]] | None = None
        self.peer_badge: Callable[[], str] = lambda: ""  # "FOLLOWING mc-laptop", "PRIMARY · 2"

    # -- the show ------------------------------------------------------------------------
    @property
    def engine(self) -> ShowEngine:
        """The show's engine (there is one from the first ``show_replaced`` on)."""
        if self.controller is None:
            raise RuntimeError(NO_SHOW)
        return self.controller.engine

    @property
    def has_show(self) -> bool:
        return self.controller is not None

    def show_is_live(self) -> bool:
        """A live (not rehearsal) show that has started and not ended."""
        if self.controller is None:
            return False
        engine = self.controller.engine
        started = (Status.RUNNING, Status.PAUSED, Status.WAITING)
        return engine.mode == "live" and engine.status in started

    def start_show(
        self, engine: ShowEngine, session: ShowSession | None = None, *, watch: bool = True
    ) -> None:
        """Run ``engine``'s show from now on, replacing any previous one. ``watch`` False: a
        follower's show, whose agenda changes only when the primary's does."""
        self.session = session
        self.agenda_path = engine.agenda.path
        self.clear_notice("agenda")
        if self.controller is None:
            self.controller = ShowController(engine, self.tr_, self)
            self.controller.display_changed.connect(self._display_changed)
            self.controller.order_changed.connect(self.order_changed)
            self.controller.notice.connect(self.post_notice)
            self.controller.journal_recovered.connect(self.journal_recovered)
            self.controller.policy.muted = self.muted
            self.controller.sink = self.sink
        else:
            self.controller.replace_engine(engine)
        self.show_replaced.emit(engine)
        self.controller.refresh()
        if watch:
            self._watch(engine.agenda.path, self._saved)
        elif self.watcher is not None:
            self.watcher.deleteLater()
            self.watcher = None
        self.check_consent(engine.agenda)

    def _display_changed(self, display: object) -> None:
        self.display_changed.emit(display)

    def execute(
        self, name: str, args: Mapping[str, object] | None = None, *, source: str = "key"
    ) -> Outcome:
        """Run show command ``name`` (journaled first, with its ``source``: "key", "menu",
        "http", "ws", "osc"), then redraw at once: the key press is the flip. Refused
        commands say why; ``CommandError`` for a malformed call."""
        command = commands.BY_NAME.get(name)
        if command is not None and command.scope is commands.Scope.PEER:
            return self._settled(self._peer(name, args or {}, source), source)
        if self.relay is not None:  # a follower: the primary journals it, or nobody does
            return self._settled(self.relay(name, args or {}, source), source)
        if self.controller is None:
            return Outcome(name, False, NO_SHOW)
        engine = self.controller.engine
        undoing = engine.undo_target() if name == "undo" else None
        try:
            outcome = commands.execute(engine, name, args, source)
        finally:
            self.controller.refresh()
        if outcome.applied and undoing is not None:
            self.brief_notice("undo", self.tr_("notice.undid", what=self._action_words(undoing)))
        logger.debug("%s from %s: %s", name, source, outcome)
        self.executed.emit(outcome)
        return outcome

    def _peer(self, name: str, args: Mapping[str, object], source: str) -> Outcome:
        if self.peer_command is None:
            why = self.tr_("peer.not_shared")
            return Outcome(name, False, why)
        return self.peer_command(name, args, source)

    def _settled(self, outcome: Outcome, source: str) -> Outcome:
        logger.debug("%s from %s: %s", outcome.command, source, outcome)
        if self.controller is not None:
            self.controller.refresh()
        self.executed.emit(outcome)
        return outcome

    def refuse_on_follower(self) -> bool:
        """A follower opens, reloads and starts no show of its own: its show is the
        primary's. True (and a word on the notice bar) if this laptop follows."""
        if self.following:
            self.brief_notice("peer.follows", self.tr_("peer.follows_only"))
        return self.following

    def _action_words(self, action) -> str:
        """What an undo took back, in the operator's words."""
        key = f"undid.{action.name}"
        values = {k: v for k, v in action.args.items() if isinstance(v, int | float | str)}
        if "index" in values:
            values["n"] = int(values["index"]) + 1  # as people count segments
        try:
            return self.tr_(key, **values)
        except KeyError:  # an action with no words of its own (none today)
            logger.warning("no words for undoing %s", action.name)
            return action.name

    # -- agendas -------------------------------------------------------------------------
    def open_first(self, path: Path) -> bool:
        """The agenda the app starts with, loaded at once (nothing is on screen to freeze
        yet). A broken one leaves the app waiting for the file to be fixed."""
        answer = check_now(self.load_agenda, path)
        if answer.agenda is None:
            self._wait_for_fix(path, answer.problems)
            return False
        return self._run_new_show(answer.agenda, fresh=False)

    def open_agenda(self, path: Path) -> None:
        """Open another agenda (Ctrl+O): checked off the GUI thread, then run."""
        if not self.refuse_on_follower():
            self.checks.check(path, "open")

    def reload_agenda(self) -> None:
        """Re-read the running agenda (Ctrl+R); the show keeps its place."""
        if self.agenda_path is not None and not self.refuse_on_follower():
            self.checks.check(self.agenda_path, "reload" if self.has_show else "waiting")

    def new_show(self) -> bool:
        """Start over from the first segment as a new show (the old one stays journaled)."""
        if self.controller is None or self.refuse_on_follower():
            return False
        if not self.ask(self.tr_("quit.title"), self.tr_("new_show.text")):
            return False
        self.clear_notice("journal")
        return self._run_new_show(self.controller.engine.agenda, fresh=True)

    def _checked(self, answer: Checked) -> None:
        if answer.agenda is None:
            self._refused(answer)
        elif answer.purpose in ("open", "waiting"):
            self._open_checked(answer.agenda)
        else:
            self._hot_reload(answer.agenda, announce=answer.purpose == "saved")
            self.check_consent(self.engine.agenda)

    def _open_checked(self, agenda: Agenda) -> None:
        if self.show_is_live() and not self.ask(self.tr_("quit.title"), self.tr_("open.replace")):
            return
        self._run_new_show(agenda, fresh=False)

    def _run_new_show(self, agenda: Agenda, *, fresh: bool) -> bool:
        """Open (or resume) ``agenda``'s show and run it; anything that fails here leaves
        the previous show running and says so."""
        try:
            session = self.open_session(agenda, fresh)
            self._dry_run(session.engine)
        except StateDirIsAFile:
            raise  # not a show problem: the app must not start (main refuses it first)
        except Exception as error:
            logger.exception("the show of %s could not be opened", agenda.path)
            self.post_notice("agenda", self.tr_("notice.open_failed", error=str(error)))
            return False
        self.start_show(session.engine, session)
        for kind in [k for k in self.notices if k.startswith("session")]:
            self.clear_notice(kind)  # what was said of the previous show
        for notice in session.notices:
            self.post_notice(f"session.{getattr(notice, 'key', '')}", say(self.tr_, notice))
        return True

    def journal_recovered(self) -> None:
        """The journal takes writes again and has the backlog: NOT SAVED comes off."""
        for kind in ("journal", "session.not_saved", "session.read_only"):
            self.clear_notice(kind)

    def _hot_reload(self, agenda: Agenda, *, announce: bool) -> None:
        """An edited agenda takes over the running show, position and elapsed time kept; if
        anything about it fails (engine, display), the show keeps the agenda it had."""
        if self.controller is None:
            return
        engine = self.controller.engine
        if agenda == engine.agenda:
            self.clear_notice("agenda")  # saved unchanged (or fixed back): nothing to take
            return
        try:
            trial = ShowEngine(engine.agenda, engine.clock, MemoryJournal(engine.actions),
                               mode=engine.mode, show_date=engine.show_date,
                               opened_wall=engine.opened_wall,
                               roll_offset=engine.roll_offset)  # fmt: skip
            trial.replace_agenda(agenda)
            self._dry_run(trial)
            applied = engine.replace_agenda(agenda)
        except Exception as error:
            logger.exception("the edited agenda %s could not take over the show", agenda.path)
            self.post_notice("agenda", self.tr_("notice.reload_failed", error=str(error)))
            return
        finally:
            self.controller.retranslate()  # redraw all: rows may have come and gone
        self.clear_notice("agenda")
        if applied and announce:
            self.brief_notice("agenda", self.tr_("notice.agenda_reloaded", file=agenda.path.name))

    def _dry_run(self, engine: ShowEngine) -> None:
        """Everything the windows will ask of a show, asked once before it takes over."""
        now = engine.now()
        describe(now, engine.agenda, engine.local_time, self.tr_)
        engine.timeline()

    def _refused(self, answer: Checked) -> None:
        """A broken agenda never replaces a running show: its problems go to the notice bar
        (no dialog over the countdown); with no show, the window lists them and waits."""
        problems = answer.problems
        self.problems = problems
        if self.controller is None:
            self._wait_for_fix(answer.path, problems)
            return
        first = problems[0].format().splitlines()[0] if problems else ""
        key = "notice.agenda_invalid" if answer.purpose == "saved" else "notice.agenda_refused"
        self.post_notice("agenda", self.tr_(key, count=answer.found, first=first))

    def _wait_for_fix(self, path: Path, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        self.agenda_path = path
        self.waiting.emit(path, problems)
        if self.watcher is None or self.watcher.path != path.resolve():
            self._watch(path, lambda: self.checks.check(path, "waiting"))

    def _saved(self) -> None:
        if self.agenda_path is not None:
            self.checks.check(self.agenda_path, "saved")

    def _watch(self, path: Path, changed: Callable[[], object]) -> None:
        """Follow ``path`` (hot reload, or a broken file being fixed)."""
        from runofshow._qt.app.agenda_watch import AgendaWatcher

        if self.watcher is not None:
            self.watcher.deleteLater()
            self.watcher = None
        self.checks.forget("saved")
        if path.is_file():
            self.watcher = AgendaWatcher(path, self)
            self.watcher.changed.connect(changed)

    # -- cue commands: run only with the operator's consent ----------------------------
    def commands_allowed(self, agenda: Agenda) -> bool:
        """Whether ``agenda``'s cue commands may run (the cue runner asks before each)."""
        return self.consent is not None and self.consent.approved(agenda)

    def check_consent(self, agenda: Agenda) -> None:
        """An agenda whose commands are not allowed yet says so on the notice bar and asks
        (the window shows the list); one with none, or allowed before, says nothing. A
        follower runs none (the laptop that runs the show does): it is asked if it takes
        over (docs/two-machines.md)."""
        if not agenda_commands(agenda) or self.commands_allowed(agenda) or self.following:
            self.clear_notice("commands")
            return
        count = len(agenda_commands(agenda))
        self.post_notice("commands", self.tr_("notice.commands_waiting", count=count))
        self.consent_needed.emit(agenda)

    def approve_commands(self, agenda: Agenda) -> bool:
        """The operator allowed ``agenda``'s commands (remembered for these commands)."""
        if self.consent is None or not self.consent.approve(agenda):
            return False
        self.clear_notice("commands")
        return True

    # -- notices -------------------------------------------------------------------------
    def post_notice(self, kind: str, text: str) -> None:
        """Tell the operator something they must know; a newer notice of the same kind
        replaces the older one (one clock-jump line, not a pile of them)."""
        self.notices[kind] = text
        self.notice_posted.emit(kind, text)
        self.notices_changed.emit(dict(self.notices))

    def clear_notice(self, kind: str) -> None:
        if self.notices.pop(kind, None) is not None:
            self.notices_changed.emit(dict(self.notices))

    def brief_notice(self, kind: str, text: str) -> None:
        """A notice that clears itself unless something newer of its kind replaced it."""
        self.post_notice(kind, text)

        def expire() -> None:
            if self.notices.get(kind) == text:
                self.clear_notice(kind)

        QTimer.singleShot(BRIEF_NOTICE_MS, self, expire)

    # -- sound ---------------------------------------------------------------------------
    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if self.controller is not None:
            self.controller.policy.muted = muted
        self.badges_changed.emit()

    def set_sink(self, sink: SoundSink) -> None:
        """Chimes go to ``sink`` from now on; the badge says if nothing would be heard."""
        self.sink = sink
        if self.controller is not None:
            self.controller.sink = sink
        changed = getattr(sink, "availability_changed", None)
        if changed is not None:  # a method, not a lambda: queued when a sink's thread emits
            changed.connect(self._sound_availability_changed)
        self.badges_changed.emit()

    def _sound_availability_changed(self, _available: bool) -> None:
        self.badges_changed.emit()

    def load_sound(self) -> None:
        """Connect the sound output once the first frame is on screen."""
        from runofshow._qt.sound.sinks import load_sound_sink

        self.set_sink(load_sound_sink(self))

    def no_sound(self) -> bool:
        return self.sink is not None and not self.sink.available

    # -- language and quitting -----------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """The language picked in the menu: used from now on and remembered."""
        self.tr_.lang = lang
        self.settings.save_language(lang)
        if self.controller is not None:
            self.controller.retranslate()

    def quit(self, *, ask: bool = True) -> bool:
        """Quit the app from any window: a live show asks first (it would survive in the
        journal anyway), a rehearsal quits at once. Every window closes. ``ask=False`` when
        the system asked (SIGTERM at a logout)."""
        live = ask and self.show_is_live()
        if live and not self.ask(self.tr_("quit.title"), self.tr_("quit.text")):
            return False
        self.settings.save_muted(self.muted)
        if self.controller is not None:
            self.controller.stop()
        if self.watcher is not None:
            self.watcher.deleteLater()
            self.watcher = None
        self.closing.emit()
        return True


def app_handlers(host: ShowHost, extra: Mapping[str, Callable[[], object]]) -> dict:
    """The app commands' handlers that belong to the host, plus the windows' ``extra``."""
    handlers: dict[str, Callable[[], object]] = {
        "mute": lambda: host.set_muted(not host.muted),
        "new_show": host.new_show,
        "reload": host.reload_agenda,
        "quit": host.quit,
    }
    handlers.update(extra)
    missing = [c.name for c in commands.commands_in(commands.Scope.APP) if c.name not in handlers]
    if missing:
        raise CommandError(f"no handler for app commands {missing}")
    return handlers
