"""One connection of the show server, from its first byte to its answer or its upgrade
(``Connection``), and one WebSocket client (``Client``): the parts of ``server.ShowServer``
that live as long as a socket does."""

from __future__ import annotations

import json
import logging
import math
import time
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket
from PySide6.QtWebSockets import QWebSocket, QWebSocketProtocol

from runofshow._qt.network.http import (
    MAX_BODY_BYTES,
    MAX_HEAD_BYTES,
    HttpError,
    Request,
    Response,
    error_response,
    head_length,
    parse_head,
)
from runofshow._qt.network.routes import Pending, command_call
from runofshow.core.commands import CommandError

if TYPE_CHECKING:
    from runofshow._qt.network.server import ShowServer

logger = logging.getLogger(__name__)

MAX_WS_MESSAGE = 4096
WS_MESSAGES_PER_S = 20  # a client sending more (a stuck button, a script) is disconnected
CONTROL = "control"
# Another runofshow following this one's show (docs/two-machines.md), with the control PIN:
# it confirms each row it stored and pings twice a second, and may send back the rows a
# takeover set aside, so it may send more and larger messages than a browser view.
PEER = "peer"
MAX_PEER_MESSAGE = 8 * 1024 * 1024
PEER_MESSAGES_PER_S = 1000
PEER_KINDS = frozenset({"join", "have", "action", "aside"})


class Connection(QObject):
    """One TCP connection until its request is answered or handed to the WebSocket server."""

    def __init__(self, server: ShowServer, socket: QTcpSocket) -> None:
        super().__init__(server)
        self.server = server
        self.socket = socket
        self._owns_socket = True  # until it is handed to the WebSocket server, or dropped
        self.peer = socket.peerAddress().toString()
        socket.setReadBufferSize(MAX_HEAD_BYTES + MAX_BODY_BYTES)
        socket.readyRead.connect(self._readable)
        socket.disconnected.connect(self.drop)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._too_slow)
        self.timer.start(round(server.request_timeout_s * 1000))
        self._done = False
        self._waiting = False  # the request is read; its answer comes later (a command)
        if socket.bytesAvailable():
            QTimer.singleShot(0, self, self._readable)

    def _readable(self) -> None:
        if self._done or self._waiting:
            return
        data = bytes(self.socket.peek(MAX_HEAD_BYTES + MAX_BODY_BYTES).data())
        try:
            length = head_length(data)
            if length is None:
                return
            request = parse_head(data[:length], self.peer)
            if request.wants_upgrade:
                response = self.server.upgrade(self, request)
                if response is not None:
                    self._answer(response)
                return
            body = request.content_length
            if body > MAX_BODY_BYTES:
                raise HttpError(413, f"the body is over {MAX_BODY_BYTES} bytes")
            if len(data) < length + body:
                return
            raw = bytes(self.socket.read(length + body).data())
            request = Request(
                request.method,
                request.target,
                request.path,
                request.query,
                request.headers,
                raw[length:],
                self.peer,
            )
        except HttpError as error:
            self._answer(error_response(error))
            return
        head_only = request.method == "HEAD"
        answer = self.server.respond(request)
        if isinstance(answer, Pending):
            # A command's answer waits for the followers' copies (or the primary): the
            # request's own timeout still holds, and a client gone meanwhile is not answered.
            self._waiting = True
            answer.then(lambda response: self._answer_later(response, head_only))
            return
        self._answer(answer, head_only=head_only)

    def _answer_later(self, response: Response, head_only: bool) -> None:
        if self._waiting and not self._done and shiboken6.isValid(self.socket):
            self._answer(response, head_only=head_only)

    def _answer(self, response: Response, *, head_only: bool = False) -> None:
        self._done = True
        self.timer.stop()
        if response.status >= 400:
            logger.debug("%s answered %s", self.peer, response.status)
        self.socket.write(response.encode(head_only=head_only))
        self.socket.disconnectFromHost()  # after what was written has gone
        if self.socket.state() == QAbstractSocket.SocketState.UnconnectedState:
            self.drop()

    def _too_slow(self) -> None:
        if not self._done:
            logger.warning(
                "%s did not finish its request in %.0f s: dropped",
                self.peer,
                self.server.request_timeout_s,
            )
            self._answer(error_response(HttpError(408, "the request took too long")))
            QTimer.singleShot(1000, self, self.drop)  # a client that does not read either

    def hand_over(self) -> QTcpSocket:
        """The socket, unread, for the WebSocket server: this connection is done with it."""
        self._done = True
        self.timer.stop()
        self.socket.readyRead.disconnect(self._readable)
        self.socket.disconnected.disconnect(self.drop)
        self.socket.setReadBufferSize(0)
        self._owns_socket = False
        self.server.finished(self)
        self.deleteLater()
        return self.socket

    def drop(self) -> None:
        self._done = True  # an answer still to come (a command) finds nobody to answer
        if self._owns_socket:
            self._owns_socket = False
            self.socket.abort()
            self.socket.deleteLater()
        self.timer.stop()
        self.server.finished(self)
        self.deleteLater()


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999
        raise ValueError(f"{text[:20]} is not a finite number")
    return number


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads_finite(text: str) -> Any:
    """JSON as the standard has it: NaN, Infinity and numbers past a float's range (which
    Python's reader takes) are refused like other bad JSON, since nothing here could send
    them back (``allow_nan=False``): a time ping's ``client``, a command's ``id`` are echoed."""
    return json.loads(text, parse_float=_finite, parse_constant=_not_json)


class Client(QObject):
    """One WebSocket client: sends it documents, answers its time pings and commands."""

    def __init__(self, server: ShowServer, socket: QWebSocket, role: str) -> None:
        super().__init__(server)
        self.server, self.socket, self.role = server, socket, role
        self.source = "peer" if role == PEER else "ws"  # what the journal says of its commands
        self.peer_info: dict[str, Any] | None = None  # a peer's own words about itself
        limit = MAX_PEER_MESSAGE if role == PEER else MAX_WS_MESSAGE
        socket.setMaxAllowedIncomingMessageSize(limit)
        socket.setMaxAllowedIncomingFrameSize(limit)
        socket.textMessageReceived.connect(self._message)
        socket.binaryMessageReceived.connect(lambda _data: self._refuse("send JSON text"))
        socket.disconnected.connect(self._gone)
        self._window_start = 0.0
        self._count = 0
        self._closed_once = False

    def send(self, payload: dict[str, Any]) -> None:
        self.send_text(json.dumps(payload, ensure_ascii=False, allow_nan=False))

    def send_text(self, text: str) -> None:
        self.socket.sendTextMessage(text)

    def _gone(self) -> None:
        if not shiboken6.isValid(self.server):  # the server went first (the app is closing)
            return
        self.server.gone(self.socket)
        self.socket.deleteLater()
        self.deleteLater()

    def drop(self, why: str) -> None:
        """Forget it now (the server counts it gone and sends it nothing more); close it
        politely, and cut it a second later if it has not answered the close."""
        socket = self.socket
        socket.disconnected.disconnect(self._gone)
        socket.textMessageReceived.disconnect(self._message)
        self.server.gone(socket)
        socket.disconnected.connect(self._closed)
        socket.close(QWebSocketProtocol.CloseCode.CloseCodeGoingAway, why)
        QTimer.singleShot(1000, self, self._closed)

    def _closed(self) -> None:
        if not self._closed_once:  # the close's answer, or the second after it, whichever first
            self._closed_once = True
            self.socket.abort()
            self.socket.deleteLater()
            self.deleteLater()

    def _refuse(self, why: str) -> None:
        logger.warning("closing WebSocket client %s: %s", self.socket.peerAddress().toString(), why)
        self.socket.close(QWebSocketProtocol.CloseCode.CloseCodePolicyViolated, why[:100])

    def _flooding(self) -> bool:
        now = time.monotonic()
        if now - self._window_start >= 1.0:
            self._window_start, self._count = now, 0
        self._count += 1
        return self._count > (PEER_MESSAGES_PER_S if self.role == PEER else WS_MESSAGES_PER_S)

    def _message(self, text: str) -> None:
        if self._flooding():
            self._refuse(f"more than {WS_MESSAGES_PER_S} messages a second")
            return
        if self.role == PEER and self.server.peer_hub is not None:
            self.server.peer_hub.heard(self)  # its clock pings are its proof of life
        try:
            message = loads_finite(text)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested 2,000 deep
            self._answer_error("messages are JSON objects", text)
            return
        if not isinstance(message, dict):
            self._answer_error("messages are JSON objects", text)
            return
        kind = message.get("kind")
        if kind == "time":
            server, wall = self.server.server_clock()
            self.send({"kind": "time", "client": message.get("client"), "server": server,
                       "wall": wall})  # fmt: skip
        elif kind == "command":
            self._command(message)
        elif kind in PEER_KINDS and self.role == PEER and self.server.peer_hub is not None:
            self.server.peer_hub.message(self, message)
        else:
            self._answer_error(f"unknown kind {str(kind)[:40]!r}", text)

    def _answer_error(self, error: str, text: str) -> None:
        """Tell the client what was wrong with its message, and say so in the log (a screen
        or a script sending garbage is found there after the show, not guessed at)."""
        who = self.socket.peerAddress().toString()
        logger.info("WebSocket client %s sent a message refused (%s): %.80r", who, error, text)
        self.send({"kind": "error", "error": error})

    def _command(self, message: dict[str, Any]) -> None:
        ident = message.get("id")
        if self.role not in (CONTROL, PEER):
            self.send(
                {
                    "kind": "ack",
                    "id": ident,
                    "applied": False,
                    "error": "commands need the control PIN (connect to /ws?pin=PIN)",
                }
            )
            return
        args = message.get("args") or {}
        if not isinstance(args, dict):
            self.send(
                {"kind": "ack", "id": ident, "applied": False, "error": "args must be an object"}
            )
            return
        try:
            name, raw = command_call(str(message.get("name", "")), [], args)
        except CommandError as error:
            self.send({"kind": "ack", "id": ident, "applied": False, "error": str(error)})
            return
        self.server.run(name, raw, self.source).then(
            lambda answer: self._acknowledge(ident, answer)
        )

    def _acknowledge(self, ident: object, answer: dict[str, Any]) -> None:
        answer.pop("_status", None)
        if shiboken6.isValid(self.socket) and self.socket.isValid():
            self.send({"kind": "ack", "id": ident, **answer})
