"""One connection from a follower to the machine it follows: a WebSocket to its ``/ws`` as a
peer (the control PIN), the clock exchange, and the proof of life.

Twice a second the follower sends ``{"kind": "time"}``; the answers feed the offset
(``core.peer_clock``) and prove the primary alive. Anything heard counts as life; nothing
heard for ``SILENT_S`` while the socket looks open (a cable pulled, a laptop frozen, a network
partition: TCP itself would take minutes to notice) is *silence*: the link says so and closes,
and the follower tries again. A primary killed outright closes its sockets at once (the
kernel does), which the link reports the same way, sooner.

The link is transport only: what the messages mean is ``follower.Follower``'s business.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtNetwork import QAbstractSocket, QNetworkProxy
from PySide6.QtWebSockets import QWebSocket

from runofshow.core.clock import Clock
from runofshow.core.peer_clock import OffsetEstimator, Sample

logger = logging.getLogger(__name__)

PING_MS = 500
CHECK_MS = 100  # how often the silence is looked for
SILENT_S = 1.25  # nothing heard for this long: the primary is silent (said within 2 s)
MAX_INCOMING = 64 * 1024 * 1024  # a welcome carries the agenda and a catch-up its rows


def ws_url(http_url: str, pin: str) -> str:
    """``http://HOST:PORT`` (as peers are known) to the peer socket's URL."""
    from urllib.parse import quote

    base = http_url.rstrip("/")
    base = "ws://" + base.split("://", 1)[1] if "://" in base else "ws://" + base
    return f"{base}/ws?role=peer&pin={quote(pin, safe='')}"


class PeerLink(QObject):
    """A peer socket to ``url`` (an ``http://HOST:PORT``); ``open`` it, and listen."""

    opened = Signal()
    message = Signal(object)  # every message but the clock's answers, as a dict
    closed = Signal(str)  # why, in words (once per open)
    offset_changed = Signal()

    def __init__(self, url: str, pin: str, local: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.local = local
        self.estimator = OffsetEstimator()
        self.socket = QWebSocket("", parent=self)
        self.socket.setProxy(QNetworkProxy(QNetworkProxy.ProxyType.NoProxy))
        self.socket.setMaxAllowedIncomingMessageSize(MAX_INCOMING)
        self.socket.setMaxAllowedIncomingFrameSize(MAX_INCOMING)
        self.socket.connected.connect(self._connected)
        self.socket.disconnected.connect(lambda: self._lost(self._why()))
        self.socket.textMessageReceived.connect(self._received)
        self.socket.errorOccurred.connect(self._error)
        self._pin = pin
        self._heard = 0.0
        self._open = False
        self._done = False
        self._failure: str | None = None
        self.pinger = QTimer(self)
        self.pinger.setInterval(PING_MS)
        self.pinger.timeout.connect(self._ping)
        self.watch = QTimer(self)
        self.watch.setInterval(CHECK_MS)
        self.watch.timeout.connect(self._check_silence)

    # -- the connection ------------------------------------------------------------------
    def open(self) -> None:
        self.socket.open(QUrl(ws_url(self.url, self._pin)))

    @property
    def is_open(self) -> bool:
        return self._open

    def send(self, payload: dict[str, Any]) -> bool:
        """Send one message; False if the link is not open (nothing is queued for later)."""
        if not self._open:
            return False
        self.socket.sendTextMessage(json.dumps(payload, ensure_ascii=False, allow_nan=False))
        return True

    def close(self, why: str = "closed") -> None:
        """Close for good (no ``closed`` signal after this)."""
        self._done = True
        self.pinger.stop()
        self.watch.stop()
        self._open = False
        self.socket.abort()

    def _connected(self) -> None:
        self._open = True
        self._heard = self.local.monotonic()
        for _ in range(3):  # a first offset at once, from the best of three
            self._ping()
        self.pinger.start()
        self.watch.start()
        self.opened.emit()

    def _error(self, _error: QAbstractSocket.SocketError) -> None:
        self._failure = self.socket.errorString()
        if not self._open:  # refused, unreachable: no disconnected() follows
            self._lost(self._why())

    def _why(self) -> str:
        reason = self.socket.closeReason() or self._failure or "the connection closed"
        return reason

    def _lost(self, why: str) -> None:
        if self._done:
            return
        self._done = True
        self._open = False
        self.pinger.stop()
        self.watch.stop()
        self.closed.emit(why)

    # -- the clock and proof of life -----------------------------------------------------
    def _ping(self) -> None:
        if self._open:
            self.send({"kind": "time", "client": self.local.monotonic()})

    def _check_silence(self) -> None:
        if self._open and self.local.monotonic() - self._heard > SILENT_S:
            logger.warning("the primary at %s has been silent for %.2f s", self.url, SILENT_S)
            self._lost(f"the primary has been silent for more than {SILENT_S:g} s")
            self.socket.abort()

    def _received(self, text: str) -> None:
        received = self.local.monotonic()
        self._heard = received
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested
            logger.warning("the primary at %s sent something that is not JSON: ignored", self.url)
            return
        if not isinstance(message, dict):
            return
        if message.get("kind") == "time":
            self._time(message, received)
            return
        self.message.emit(message)

    def _time(self, message: dict[str, Any], received: float) -> None:
        sent, server, wall = message.get("client"), message.get("server"), message.get("wall")
        numbers = (sent, server) if wall is None else (sent, server, wall)
        if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
            return
        sample = Sample(float(sent), float(server), received,  # type: ignore[arg-type]
                        None if wall is None else float(wall))  # fmt: skip
        if self.estimator.add(sample):
            self.offset_changed.emit()

    def after(self, ms: int, then: Callable[[], None]) -> None:
        """``then`` in ``ms`` unless the link is closed by then."""
        QTimer.singleShot(ms, self, lambda: None if self._done else then())
