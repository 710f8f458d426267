"""Cues in the running show: the standby chime, GO, and each cue's command when its segment
starts.

``CueRunner`` follows the MC window's ``ShowController`` (the one repaint loop: it never polls
the engine itself, so the MC's chimes are never stolen) and asks ``runofshow.core.cues`` what
is in standby. A cue's command runs in a ``QProcess`` with its timeout, so a hung video player
can never block the countdown; whatever happens to it (exit code, not found, killed after its
timeout) is reported as a ``CommandResult`` for the stage manager's window to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from runofshow._qt.show.controller import ShowController
from runofshow.core.cues import CueFire, CueState, CueStatus, CueWatch
from runofshow.core.engine import ShowEngine

STANDBY_CHIME = "standby"
STDERR_KEEP = 400  # characters of a failing command's stderr worth showing

Outcome = Literal["running", "ok", "failed", "not_found", "timeout", "crashed"]


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
        return self.outcome not in ("running", "ok")


class CueCommand(QObject):
    """One command run in the background; ``finished`` carries its ``CommandResult``."""

    finished = Signal(object)

    def __init__(
        self, index: int, argv: tuple[str, ...], timeout_s: float, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.index, self.argv, self.timeout_s = index, argv, timeout_s
        self._timed_out = False
        self._stderr = b""
        self._done = False
        self.process = QProcess(self)
        self.process.setStandardOutputFile(QProcess.nullDevice())
        self.process.readyReadStandardError.connect(self._read_stderr)
        self.process.errorOccurred.connect(self._error)
        self.process.finished.connect(self._finished)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._time_out)

    def start(self) -> None:
        """Start the command and its timeout; returns at once."""
        self.process.start(self.argv[0], list(self.argv[1:]))
        self.timer.start(max(1, round(self.timeout_s * 1000)))

    def _read_stderr(self) -> None:
        self._stderr = (self._stderr + bytes(self.process.readAllStandardError()))[-STDERR_KEEP:]

    def _time_out(self) -> None:
        """Past its timeout: kill it (``finished`` follows, reported as a timeout)."""
        self._timed_out = True
        self.process.kill()

    def _error(self, error: QProcess.ProcessError) -> None:
        """Only a failure to start is final here; other errors are followed by ``finished``."""
        if error is QProcess.ProcessError.FailedToStart:
            self._report("not_found", None)

    def _finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        if self._timed_out:
            self._report("timeout", None)
        elif status is QProcess.ExitStatus.CrashExit:
            self._report("crashed", None)
        else:
            self._report("ok" if exit_code == 0 else "failed", exit_code)

    def _report(self, outcome: Outcome, exit_code: int | None) -> None:
        if self._done:
            return
        self._done = True
        self.timer.stop()
        self._read_stderr()
        stderr = self._stderr.decode("utf-8", "replace").strip()
        result = CommandResult(self.index, self.argv, outcome, exit_code, self.timeout_s, stderr)
        self.finished.emit(result)


class CueRunner(QObject):
    """Standby, GO and cue commands for one show, driven by the controller's repaints."""

    status_changed = Signal(object)  # CueStatus | None
    command_changed = Signal(object)  # CommandResult (outcome "running" when it starts)

    def __init__(self, controller: ShowController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._engine: ShowEngine = controller.engine
        self._watch = CueWatch(controller.engine.now())
        self.status: CueStatus | None = None
        self.last_command: CommandResult | None = None
        self._commands: list[CueCommand] = []
        controller.display_changed.connect(self.refresh)

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
        entering = new is not None and new.state is CueState.STANDBY
        if not entering or (old is not None and old.index == new.index):
            return
        sink = self.controller.sink
        if sink is not None and not self.controller.policy.muted:
            sink.play(STANDBY_CHIME)

    def run(self, fire: CueFire) -> CueCommand:
        """Run ``fire``'s command in the background (never waiting for it)."""
        assert fire.cue.command is not None
        command = CueCommand(fire.index, fire.cue.command, fire.cue.timeout_s, self)
        command.finished.connect(self._command_finished)
        self._commands.append(command)
        self._publish(CommandResult(fire.index, fire.cue.command, "running"))
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
