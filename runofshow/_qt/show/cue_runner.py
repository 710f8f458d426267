"""Cues in the running show: the standby chime, GO, and each cue's command when its segment
starts, if the operator has allowed it.

``CueRunner`` follows the MC window's ``ShowController`` (the one repaint loop: it never polls
the engine itself, so the MC's chimes are never stolen) and asks ``runofshow.core.cues`` what
is in standby. A cue's command runs only if the runner's consent predicate allows the agenda's
commands (``runofshow.core.consent``); otherwise it is reported ``not_allowed`` and nothing is
started. An allowed command runs in a ``QProcess`` with its timeout, so a hung video player can
never block the countdown; whatever happens to it (exit code, not found, stopped after its
timeout) is reported as a ``CommandResult`` for the stage manager's window to show.

Process groups: on Unix each command starts in a session of its own (``setsid`` through
``QProcess.UnixProcessFlag.CreateNewSession``), so the command and everything it starts are one
process group. At its timeout, and when the runner is closed (the app quits), the whole group
is sent SIGTERM, then SIGKILL after a short grace: a command that forked (``sh -c 'a & b'``, a
player that spawns helpers) leaves no orphans. When the command itself ends, whatever it left
running in its group is stopped the same way. A ``detach: true`` cue is the exception: it is
started detached in its own session, reported ``started``, and never stopped, not even when
the app quits (a long-running player the operator closes by hand).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QTimer, Signal

from runofshow._qt.show.controller import ShowController
from runofshow.core.agenda import Agenda
from runofshow.core.consent import allow_nothing
from runofshow.core.cues import CueFire, CueState, CueStatus, CueWatch
from runofshow.core.engine import ShowEngine

STANDBY_CHIME = "standby"
STDERR_KEEP = 400  # characters of a failing command's stderr worth showing
TERM_GRACE_MS = 2000  # after SIGTERM, what is left of a command's group gets SIGKILL
CLOSE_GRACE_S = 0.5  # at app close, the wait between SIGTERM and SIGKILL (blocks the close)

Outcome = Literal[
    "running",
    "started",
    "ok",
    "failed",
    "not_found",
    "timeout",
    "crashed",
    "not_allowed",
    "elsewhere",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What became of one cue command."""

    index: int  # the cued segment
    argv: tuple[str, ...]
    outcome: Outcome
    exit_code: int | None = None
    timeout_s: float = 0.0
    stderr: str = ""

    @property
    def command_line(self) -> str:
        return " ".join(self.argv)

    @property
    def failed(self) -> bool:
        return self.outcome not in ("running", "started", "ok", "elsewhere")


def signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to every process of group ``pgid``; False if none is left (or it is not
    ours to signal, which is logged)."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError as exc:
        logger.warning("cannot signal the cue command's process group %d: %s", pgid, exc)
        return False
    return True


def end_group(pgid: int) -> None:
    """SIGTERM to the group now and, from the event loop, SIGKILL to whatever is left of it
    after ``TERM_GRACE_MS`` (a player may take a moment to close its window)."""
    if signal_group(pgid, signal.SIGTERM):
        QTimer.singleShot(TERM_GRACE_MS, partial(signal_group, pgid, signal.SIGKILL))


def _in_own_session(process: QProcess) -> bool:
    """Start ``process`` in a session (and process group) of its own where the platform can;
    False elsewhere (then only the command itself can be stopped)."""
    flags = getattr(QProcess, "UnixProcessFlag", None)
    if os.name != "posix" or flags is None or not hasattr(process, "setUnixProcessParameters"):
        return False
    process.setUnixProcessParameters(flags.CreateNewSession)
    return True


class CueCommand(QObject):
    """One command run in the background; ``finished`` carries its ``CommandResult``."""

    finished = Signal(object)

    def __init__(
        self,
        index: int,
        argv: tuple[str, ...],
        timeout_s: float,
        parent: QObject | None = None,
        *,
        detach: bool = False,
    ) -> None:
        super().__init__(parent)
        self.index, self.argv, self.timeout_s, self.detach = index, argv, timeout_s, detach
        self.pgid: int | None = None  # the command's process group, once started
        self._timed_out = False
        self._stderr = b""
        self._done = False
        self.process = QProcess(self)
        self.process.setStandardOutputFile(QProcess.nullDevice())
        self._own_group = _in_own_session(self.process)
        self.process.started.connect(self._started)
        self.process.readyReadStandardError.connect(self._read_stderr)
        self.process.errorOccurred.connect(self._error)
        self.process.finished.connect(self._finished)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._time_out)

    def start(self) -> None:
        """Start the command and its timeout; returns at once."""
        if self.detach:
            self._start_detached()
            return
        self.process.start(self.argv[0], list(self.argv[1:]))
        self.timer.start(max(1, round(self.timeout_s * 1000)))

    def _start_detached(self) -> None:
        """A long-running player: started in its own session, reported started, let go."""
        self.process.setProgram(self.argv[0])
        self.process.setArguments(list(self.argv[1:]))
        self.process.setStandardErrorFile(QProcess.nullDevice())
        started = self.process.startDetached()
        ok = started[0] if isinstance(started, tuple) else bool(started)
        self._report("started" if ok else "not_found", None)

    def _started(self) -> None:
        if self._own_group:
            self.pgid = int(self.process.processId()) or None

    def _read_stderr(self) -> None:
        more = self.process.readAllStandardError().data()
        self._stderr = (self._stderr + more)[-STDERR_KEEP:]

    def _time_out(self) -> None:
        """Past its timeout: stop it and everything it started (``finished`` follows,
        reported as a timeout)."""
        self._timed_out = True
        if self.pgid is not None:
            end_group(self.pgid)
        else:
            self.process.kill()

    def _error(self, error: QProcess.ProcessError) -> None:
        """Only a failure to start is final here; other errors are followed by ``finished``."""
        if error is QProcess.ProcessError.FailedToStart:
            self._report("not_found", None)

    def _finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        if self.pgid is not None:
            end_group(self.pgid)  # what it left running in the background goes with it
        if self._timed_out:
            self._report("timeout", None)
        elif status is QProcess.ExitStatus.CrashExit:
            self._report("crashed", None)
        else:
            self._report("ok" if exit_code == 0 else "failed", exit_code)

    def stop(self, grace_s: float = CLOSE_GRACE_S) -> None:
        """The app is closing: stop the command and its whole group now (SIGTERM, at most
        ``grace_s`` for them to go, then SIGKILL). A detached command is left running."""
        self.timer.stop()
        if self.detach or self.process.state() is QProcess.ProcessState.NotRunning:
            if self.pgid is not None and not self.detach:
                signal_group(self.pgid, signal.SIGKILL)
            return
        if self.pgid is None:
            self.process.kill()
            self.process.waitForFinished(1000)
            return
        signal_group(self.pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and signal_group(self.pgid, 0):
            self.process.waitForFinished(20)
        signal_group(self.pgid, signal.SIGKILL)
        self.process.waitForFinished(1000)

    def _report(self, outcome: Outcome, exit_code: int | None) -> None:
        if self._done:
            return
        self._done = True
        self.timer.stop()
        if not self.detach:
            self._read_stderr()
        stderr = self._stderr.decode("utf-8", "replace").strip()
        result = CommandResult(self.index, self.argv, outcome, exit_code, self.timeout_s, stderr)
        self.finished.emit(result)


class CueRunner(QObject):
    """Standby, GO and cue commands for one show, driven by the controller's repaints.

    ``allowed(agenda)`` is asked before a cue's command runs (the operator's consent,
    ``runofshow.core.consent.CommandConsent.approved``). Nobody's consent is assumed: without
    it (``allow_nothing``) every command is reported ``not_allowed`` and none runs.

    ``runs_here()`` says whether this laptop runs the show's cue commands at all: in a show
    shared by several laptops (docs/two-machines.md) only the one that runs the show does, so
    a lighting cue fires once, not once per laptop; a follower reports ``elsewhere``.
    """

    status_changed = Signal(object)  # CueStatus | None
    command_changed = Signal(object)  # CommandResult (outcome "running" when it starts)

    def __init__(
        self,
        controller: ShowController,
        parent: QObject | None = None,
        *,
        allowed: Callable[[Agenda], bool] = allow_nothing,
        runs_here: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.allowed = allowed
        self.runs_here = runs_here
        self._engine: ShowEngine = controller.engine
        self._watch = CueWatch(controller.engine.now())
        self.status: CueStatus | None = None
        self.last_command: CommandResult | None = None
        self._commands: list[CueCommand] = []
        controller.display_changed.connect(self.refresh)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    def refresh(self, _display: object = None) -> None:
        """Read the cue now: chime on entering standby, run the command of a cue whose segment
        has just come on stage, and publish a changed status."""
        engine = self.controller.engine
        if engine is not self._engine:  # another agenda was opened: start afresh
            self._engine, self._watch = engine, CueWatch(engine.now())
        now = engine.now()
        status = self._watch.status(engine, now)
        fire = self._watch.fired(engine, now)
        if fire is not None and fire.cue.command:
            self.run(fire)
        if status != self.status:
            self._chime_if_new_standby(self.status, status)
            self.status = status
            self.status_changed.emit(status)

    def _chime_if_new_standby(self, old: CueStatus | None, new: CueStatus | None) -> None:
        """One chime as a cue enters standby, not on each second of its countdown."""
        if new is None or new.state is not CueState.STANDBY:
            return
        if old is not None and old.index == new.index:
            return
        sink = self.controller.sink
        if sink is not None and not self.controller.policy.muted:
            sink.play(STANDBY_CHIME)

    def run(self, fire: CueFire) -> CueCommand | None:
        """Run ``fire``'s command in the background (never waiting for it), if this laptop
        runs the show's commands and the agenda's are allowed; else report it ``elsewhere``
        or ``not_allowed`` and run nothing (None)."""
        cue = fire.cue
        assert cue.command is not None
        if not self.runs_here():
            logger.info("cue command of segment %d runs on the laptop that runs the show: %s",
                        fire.index + 1, cue.command)  # fmt: skip
            self._publish(CommandResult(fire.index, cue.command, "elsewhere", None, cue.timeout_s))
            return None
        if not self.allowed(self.controller.engine.agenda):
            logger.warning("cue command of segment %d not allowed: %s", fire.index + 1, cue.command)
            self._publish(
                CommandResult(fire.index, cue.command, "not_allowed", None, cue.timeout_s)
            )
            return None
        command = CueCommand(fire.index, cue.command, cue.timeout_s, self, detach=cue.detach)
        command.finished.connect(self._command_finished)
        self._commands.append(command)
        self._publish(CommandResult(fire.index, cue.command, "running"))
        command.start()
        return command

    def _command_finished(self, result: CommandResult) -> None:
        command = self.sender()
        if isinstance(command, CueCommand) and command in self._commands:
            self._commands.remove(command)
            command.deleteLater()
        self._publish(result)

    def _publish(self, result: CommandResult) -> None:
        self.last_command = result
        self.command_changed.emit(result)

    def running(self) -> int:
        """How many cue commands are still running."""
        return len(self._commands)

    def close(self) -> None:
        """The app is closing (or this show's stage side goes away): every command still
        running is stopped with everything it started; detached ones are left running."""
        for command in list(self._commands):
            command.stop()
