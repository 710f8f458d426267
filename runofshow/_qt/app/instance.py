"""The second launch on a show brings the first one's window forward.

``core.instance_lock`` keeps two apps off one journal; this is the courtesy on top: the app
that holds the show listens on a local socket named after its state folder, and a second
``runofshow`` on the same folder asks it to bring its window to the front before exiting, so
an operator who double-clicked again finds the show instead of an error.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from runofshow.core.digest import sha256

logger = logging.getLogger(__name__)

RAISE = b"raise\n"
DONE = b"ok\n"
WAIT_MS = 2000


def server_name(folder: Path) -> str:
    """The local socket's name for a state folder (the same for every launch on it)."""
    key = str(folder.expanduser().resolve()).encode("utf-8", "surrogateescape")
    return f"runofshow-{sha256(key).hexdigest()[:20]}"


class InstanceServer(QObject):
    """Brings ``window`` to the front when another launch on the same show asks."""

    def __init__(self, folder: Path, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(folder)
        QLocalServer.removeServer(name)  # a crashed holder's leftover socket file
        if not self.server.listen(name):
            logger.warning("cannot listen for a second launch: %s", self.server.errorString())
        self.server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE.strip()):
            window = self.window
            if window.isMinimized():
                window.showNormal()
            window.raise_()
            window.activateWindow()
            socket.write(DONE)
            socket.flush()
        socket.disconnectFromServer()


def bring_forward(folder: Path) -> bool:
    """Ask the app holding ``folder`` to bring its window forward; whether it said it did."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(folder))
    if not socket.waitForConnected(WAIT_MS):
        return False
    socket.write(RAISE)
    socket.flush()
    reply = bytes(socket.readAll().data()) if socket.waitForReadyRead(WAIT_MS) else b""
    answered = reply.startswith(b"ok")
    socket.disconnectFromServer()
    return answered
