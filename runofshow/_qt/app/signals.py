"""SIGTERM and SIGINT quit the app like its own Quit, without asking (the system asked).

A session logging out, a service manager stopping the app, or Ctrl+C in the terminal it was
started from should leave the window's settings saved and the journal closed, as Ctrl+Q does.
Python runs a signal handler only between bytecodes, and Qt's event loop runs no bytecode
while it waits, so the signal is routed through a socket the event loop watches
(``signal.set_wakeup_fd``): the loop wakes, and the handler runs at once.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitOnSignal(QObject):
    """Calls ``quit_now`` (on the GUI thread) when SIGTERM or SIGINT arrives."""

    def __init__(self, quit_now: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quit_now = quit_now
        self._reader, writer = socket.socketpair()
        self._writer = writer
        writer.setblocking(False)
        self._reader.setblocking(False)
        signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        for number in STOP_SIGNALS:
            signal.signal(number, lambda _n, _f: None)  # the wakeup byte does the work
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _woken(self) -> None:
        try:
            received = self._reader.recv(64)
        except BlockingIOError:
            return
        names = sorted({signal.Signals(b).name for b in received if b in set(STOP_SIGNALS)})
        if names:
            logger.info("quitting on %s", ", ".join(names))
            self._quit_now()
