"""Agendas are checked off the GUI thread, so a countdown never freezes while a file loads.

A new or edited agenda is validated in a short-lived child process (``core.isolated_loader``,
~0.2 s to start) and a hostile file can take longer; on the GUI thread that froze a running
countdown (Ctrl+R on a bad file: 41 s). ``AgendaChecks`` runs each check on a worker thread
and hands the answer back on the GUI thread. Requests carry a ticket; only the answer to the
latest request of each purpose counts, so a slow check of an old save never replaces a newer
one. A surprise in a check (any exception, not only the loader's ``AgendaError``) becomes a
problem of the file, logged with its traceback: it never reaches the show.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from runofshow.core.agenda import Agenda
from runofshow.core.problems import AgendaError, Problem, Severity

logger = logging.getLogger(__name__)

LoadAgenda = Callable[[Path], Agenda]


@dataclass(frozen=True, slots=True)
class Checked:
    """The answer to one check: the agenda, or its problems."""

    ticket: int
    purpose: str  # what the agenda is for: "open", "reload", "saved", "waiting"
    path: Path
    agenda: Agenda | None
    problems: tuple[Problem, ...] = ()  # the first ones (the loader lists at most 100)
    found: int = 0  # how many problems there are in all


def check_now(load: LoadAgenda, path: Path) -> Checked:
    """Load ``path``: the agenda, or its problems (a surprise is a problem too)."""
    try:
        return Checked(0, "now", path, load(path))
    except AgendaError as error:
        return Checked(0, "now", path, None, tuple(error.problems), error.found)
    except Exception as error:  # never lose the show to a surprise in a check
        logger.exception("checking the agenda %s failed unexpectedly", path)
        message = f"the agenda could not be checked: {type(error).__name__}: {error}"
        return Checked(0, "now", path, None, (Problem(path, 0, 0, Severity.ERROR, message),), 1)


class AgendaChecks(QObject):
    """Checks agendas on worker threads; ``checked`` carries each latest answer."""

    checked = Signal(object)  # Checked, on the GUI thread
    _done = Signal(object)  # Checked, from a worker thread

    def __init__(self, load: LoadAgenda, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.load = load
        self._latest: dict[str, int] = {}
        self._tickets = 0
        self._done.connect(self._take)

    def check(self, path: Path, purpose: str) -> int:
        """Start checking ``path``; returns the request's ticket."""
        self._tickets += 1
        ticket = self._latest[purpose] = self._tickets

        def work() -> None:
            answer = dataclasses.replace(check_now(self.load, path), ticket=ticket, purpose=purpose)
            with contextlib.suppress(RuntimeError):  # the app is closing
                self._done.emit(answer)

        threading.Thread(target=work, name=f"agenda-{purpose}", daemon=True).start()
        return ticket

    def forget(self, purpose: str | None = None) -> None:
        """Answers still on their way (for ``purpose``, or all) no longer count."""
        self._tickets += 1
        for name in [purpose] if purpose else list(self._latest):
            self._latest[name] = self._tickets

    def _take(self, answer: Checked) -> None:
        if self._latest.get(answer.purpose) == answer.ticket:
            self.checked.emit(answer)
