"""The show's HTTP and WebSocket server: one port, on Qt's event loop.

Why a ``QTcpServer`` and not ``QHttpServer``: PySide6 6.11 carries QtHttpServer, but its Python
bindings lack the hooks that hand a WebSocket upgrade on, and the views and the API want one
port (one address to type, one QR code). A ``QTcpServer`` whose connections are read by
*peeking* serves both: a request's head is parsed without consuming it; an upgrade to ``/ws``
is handed, unread, to ``QWebSocketServer.handleConnection()``, which does the handshake and
framing; anything else is read and answered here (``http``), then the connection closes. No
second event loop, no thread, no asyncio bridge: a command from the network runs on the GUI
thread like a key press, through ``ShowHost.execute``.

Limits (``http``): an 8 KiB head, a 4 KiB body, ``REQUEST_TIMEOUT_S`` to send a whole request
(a client that never finishes is answered 408 and dropped), ``MAX_PENDING`` connections being
read at once and ``MAX_SOCKETS`` WebSocket clients. Who may do what is ``guard``'s business.

The feed pushes the state document (``core.remote_state``) when its *state key* changes, not on
every repaint; each client counts down from the document's instants with the clock offset it
measures by ``{"kind": "time"}`` exchanges.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl, QUrlQuery, Signal
from PySide6.QtNetwork import (
    QAbstractSocket,
    QHostAddress,
    QHostInfo,
    QNetworkInterface,
    QTcpServer,
)
from PySide6.QtWebSockets import QWebSocket, QWebSocketServer

from runofshow._qt.network import guard
from runofshow._qt.network.address import ServeAddress, ServeError
from runofshow._qt.network.connections import CONTROL, PEER, Client, Connection
from runofshow._qt.network.http import (
    HttpError,
    Request,
    Response,
    error_response,
    json_response,
)
from runofshow._qt.network.routes import (
    Pending,
    RouteError,
    answer_for_network,
    command_call,
    command_index,
)
from runofshow.core.commands import CommandError
from runofshow.core.remote_state import real_clock_now, state_document, state_key

if TYPE_CHECKING:
    from runofshow._qt.app.host import ShowHost
    from runofshow._qt.peers.hub import PeerHub

logger = logging.getLogger(__name__)

VIEWS = Path(__file__).with_name("views")
PAGES = {
    "/": "index.html",
    "/timer": "timer.html",
    "/backstage": "backstage.html",
    "/foyer": "foyer.html",
}
REQUEST_TIMEOUT_S = 5.0
MAX_PENDING = 64  # connections being read at once; more are dropped on arrival
MAX_SOCKETS = 200  # WebSocket clients
VIEW = "view"
PORT_LINE = "runofshow: serving "
# The words the browser views show, from the app's one catalogue, in the app's language.
VIEW_WORDS = (
    *(f"phase.{p}" for p in ("ready", "normal", "wrapup", "danger", "overtime", "paused", "ended")),
    *(f"drift.{d}" for d in ("behind", "ahead", "on_time")),
    "phase.starts_in", "cue.standby", "cue.go",
    "view.offline", "view.now", "view.next", "view.later", "view.segment", "view.planned",
    "view.projected", "view.actual", "view.message", "view.send",
    *(f"action.{a}" for a in ("go", "acknowledge", "previous", "next", "start", "pause",
                              "resume", "clear_message")),
)  # fmt: skip  # what --serve prints on stdout once it listens


def _file_table(folder: Path, suffixes: tuple[str, ...]) -> dict[str, Path]:
    """The files that may be served from ``folder``, by name: a request names one of these or
    gets 404; nothing it says can reach outside the folder."""
    if not folder.is_dir():
        return {}
    return {p.name: p for p in folder.iterdir() if p.is_file() and p.suffix in suffixes}


def _content_type(path: Path) -> str:
    kind = {
        ".js": "text/javascript",
        ".ttf": "font/ttf",
        ".css": "text/css",
        ".html": "text/html",
        ".svg": "image/svg+xml",
    }.get(path.suffix)
    kind = kind or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


VIEW_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class ShowServer(QObject):
    """Serves ``host``'s show over HTTP and WebSocket once ``listen`` is called."""

    clients_changed = Signal(int)  # WebSocket clients connected
    listening_changed = Signal(object)  # the URL served, or None once closed
    pushed = Signal(object)  # every state document pushed (OSC out and tests listen)

    def __init__(
        self,
        host: ShowHost,
        control_pin: str,
        view_pin: str | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        request_timeout_s: float = REQUEST_TIMEOUT_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.control_pin = guard.check_pin_text(control_pin)
        self.view_pin = None if not view_pin else guard.check_pin_text(view_pin)
        self.limiter = guard.PinLimiter(clock)
        self.request_timeout_s = request_timeout_s
        self.address: ServeAddress | None = None
        self.check: guard.HostCheck | None = None
        self.tcp = QTcpServer(self)
        self.tcp.setMaxPendingConnections(MAX_PENDING)
        self.tcp.newConnection.connect(self._accept)
        self.ws = QWebSocketServer("runofshow", QWebSocketServer.SslMode.NonSecureMode, self)
        self.ws.newConnection.connect(self._ws_accept)
        self.pending: set[Connection] = set()
        self.sockets: dict[QWebSocket, Client] = {}
        # The show's other machines (runofshow._qt.peers), when it has any: followers join
        # through /ws as peers, and views are told every peer's address.
        self.peer_hub: PeerHub | None = None
        self.peer_origins: frozenset[str] = frozenset()  # other peers' servers, for views
        self.serial = 0
        self.push_listeners = 0  # OSC out counts itself here: pushes go on without clients
        self._look_queued = False
        self._last_key: tuple[object, ...] | None = None
        self._last_text: str | None = None
        self.files = _file_table(VIEWS, (".html", ".js", ".css", ".svg"))
        from runofshow.resources import assets_dir

        self.fonts = _file_table(assets_dir() / "fonts", (".ttf",))
        host.display_changed.connect(self._state_may_have_changed)
        host.executed.connect(self._state_may_have_changed)
        host.show_replaced.connect(self._show_replaced)

    # -- listening -----------------------------------------------------------------------
    def listen(self, address: ServeAddress) -> str:
        """Listen on ``address``; the URL to open. ``ServeError`` names why it cannot."""
        self.close()
        if not self.tcp.listen(QHostAddress(address.host), address.port):
            raise ServeError(
                f"cannot listen on {address}: {self.tcp.errorString()} (is another program"
                " using the port? pick another with --serve HOST:PORT)"
            )
        self.address = ServeAddress(address.host, self.tcp.serverPort())
        self.check = guard.HostCheck(self.address.port, *self._names(self.address.host))
        url = self.url()
        logger.info("serving the show at %s", url)
        self.listening_changed.emit(url)
        return url

    @property
    def listening(self) -> bool:
        return self.tcp.isListening()

    def _names(self, bound: str) -> tuple[list[str], list[str]]:
        """The addresses and names a request's Host may use for this server."""
        ip = QHostAddress(bound)
        if ip.isLoopback():
            return ["127.0.0.1", "::1"], ["localhost"]
        host_name = QHostInfo.localHostName()
        names = [host_name, f"{host_name}.local"] if host_name else []
        if bound in ("0.0.0.0", "::"):
            return [a.toString() for a in QNetworkInterface.allAddresses()], names
        return [bound, "127.0.0.1", "::1"], names

    def url(self, path: str = "/") -> str:
        """The address a phone on the LAN (or this laptop, on loopback) opens."""
        if self.address is None:
            return ""
        host = self.address.host
        if host in ("0.0.0.0", "::"):
            host = _lan_address() or "127.0.0.1"
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.address.port}{path}"

    def close(self) -> None:
        """Stop listening and drop every client (the show goes on)."""
        was = self.tcp.isListening()
        self.tcp.close()
        for connection in list(self.pending):
            connection.drop()
        self.drop_clients("server closed")
        if was:
            self.address = None
            self.listening_changed.emit(None)

    def drop_clients(self, why: str) -> None:
        """Disconnect every WebSocket client now (they reconnect by themselves)."""
        for client in list(self.sockets.values()):
            client.drop(why)

    # -- connections ---------------------------------------------------------------------
    def _accept(self) -> None:
        while self.tcp.hasPendingConnections():
            socket = self.tcp.nextPendingConnection()
            if len(self.pending) >= MAX_PENDING:
                logger.warning("too many unfinished requests: dropped a connection")
                socket.abort()
                socket.deleteLater()
                continue
            self.pending.add(Connection(self, socket))

    def finished(self, connection: Connection) -> None:
        self.pending.discard(connection)

    def upgrade(self, connection: Connection, request: Request) -> Response | None:
        """A WebSocket handshake: checked like any request, then handed to Qt unread."""
        if len(self.sockets) >= MAX_SOCKETS:
            return error_response(HttpError(503, f"{MAX_SOCKETS} clients are connected already"))
        if request.path != "/ws":
            return error_response(HttpError(404, "WebSocket connections go to /ws"))
        try:
            self._allowed(request)
            if self.role(request) is None:
                raise HttpError(401, "this server has a view PIN: connect to /ws?pin=PIN")
        except HttpError as error:
            return error_response(error, _retry_after(error))
        self.ws.handleConnection(connection.hand_over())
        return None

    def _ws_accept(self) -> None:
        while self.ws.hasPendingConnections():
            socket = self.ws.nextPendingConnection()
            query = QUrlQuery(socket.requestUrl())
            pin = query.queryItemValue("pin", QUrl.ComponentFormattingOption.FullyDecoded)
            control = bool(pin) and guard.same_secret(pin, self.control_pin)
            wants_peer = query.queryItemValue("role") == PEER
            role = PEER if control and wants_peer else CONTROL if control else VIEW
            client = Client(self, socket, role)
            self.sockets[socket] = client
            self.clients_changed.emit(len(self.sockets))
            if role == PEER:  # another runofshow: the hub speaks with it, no documents
                if self.peer_hub is None:
                    client.drop("this runofshow does not share its show")
                else:
                    self.peer_hub.connected(client)
                continue
            if wants_peer:
                client.send({"kind": "error", "error": "joining a show needs the control PIN"})
            client.send({"kind": "hello", "role": client.role, "server": self.server_now()})
            client.send_text(self._document_text())

    def gone(self, socket: QWebSocket) -> None:
        client = self.sockets.pop(socket, None)
        if client is not None:
            self.clients_changed.emit(len(self.sockets))
            if client.role == PEER and self.peer_hub is not None:
                self.peer_hub.gone(client)

    # -- who may -------------------------------------------------------------------------
    def _allowed(self, request: Request) -> None:
        """Host, Origin and the browser's fetch site: refused if not this server's (or, for
        a show run on several laptops, another of its laptops': a browser view whose laptop
        died reconnects to the one that took over)."""
        assert self.check is not None and self.address is not None
        headers = (request.header("host"), request.header("origin"),
                   request.header("sec-fetch-site"))  # fmt: skip
        if headers[1] and headers[1] in self._peer_origins() and self.check.host_ok(headers[0]):
            return
        problem = self.check.problem(*headers)
        if problem is not None and self.address.host in ("0.0.0.0", "::"):
            # The laptop may have a new address since it began to listen (DHCP, another
            # network): look again once before refusing.
            self.check = guard.HostCheck(self.address.port, *self._names(self.address.host))
            problem = self.check.problem(*headers)
        if problem is not None:
            logger.warning(
                "refused %s %s from %s: %s",
                request.method,
                request.path[:80],
                request.peer,
                problem,
            )
            raise HttpError(403, problem)

    def _peer_origins(self) -> set[str]:
        """The other laptops of this show (``http://HOST:PORT``), as pages' origins."""
        urls = self.host.peer_urls() if self.host.peer_urls is not None else []
        return {url.rstrip("/") for url in urls if url.startswith("http://")}

    def role(self, request: Request) -> str | None:
        """CONTROL, VIEW, or None (no PIN where a view PIN is set); a wrong PIN is 401 and
        counted, an address that guessed too often 429."""
        pin = request.query.get("pin", "")
        auth = request.header("authorization")
        if not pin and auth.lower().startswith("bearer "):
            pin = auth[7:].strip()
        if not pin:
            return VIEW if self.view_pin is None else None
        wait = self.limiter.wait_s(request.peer)
        if wait > 0:
            raise HttpError(429, f"too many wrong PINs from {request.peer}: wait {wait:.0f} s")
        if guard.same_secret(pin, self.control_pin):
            self.limiter.succeeded(request.peer)
            return CONTROL
        if self.view_pin is not None and guard.same_secret(pin, self.view_pin):
            self.limiter.succeeded(request.peer)
            return VIEW
        waited = self.limiter.failed(request.peer)
        logger.warning(
            "wrong PIN from %s (%s)",
            request.peer,
            f"must wait {waited:.0f} s" if waited else "counted",
        )
        if waited:
            raise HttpError(429, f"wrong PIN; too many from {request.peer}: wait {waited:.0f} s")
        raise HttpError(401, "wrong PIN")

    # -- answering -----------------------------------------------------------------------
    def respond(self, request: Request) -> Response | Pending[Response]:
        """The answer to one complete request (never raises); a command's may come later
        (``routes.answer_for_network``)."""
        try:
            self._allowed(request)
            return self._route(request)
        except HttpError as error:
            return error_response(error, _retry_after(error))
        except Exception:  # a bug must not take the server (or the show) down
            logger.exception("answering %s %s failed", request.method, request.path[:80])
            return error_response(HttpError(500, "the server failed; the show goes on"))

    def _route(self, request: Request) -> Response | Pending[Response]:
        path = request.path
        if request.method == "OPTIONS":
            return Response(204, headers={"Allow": "GET, POST, HEAD"})
        if path in PAGES:
            return self._file(self.files, PAGES[path], page=True)
        if path.startswith("/views/"):
            return self._file(self.files, path[len("/views/") :])
        if path.startswith("/fonts/"):
            return self._file(self.fonts, path[len("/fonts/") :])
        if path == "/ws":
            raise HttpError(426, "/ws is a WebSocket: connect with a WebSocket client")
        if path == "/api/commands":
            return json_response(200, {"commands": command_index()})
        if path in ("/api/state", "/api/state/"):
            return self._state(request)
        if path == "/api/peer":
            return self._peer(request)
        if path.startswith("/api/"):
            return self._command(request)
        raise HttpError(
            404, f"nothing at {path[:80]!r}: see /api/commands, /timer, /backstage, /foyer"
        )

    def _file(self, table: dict[str, Path], name: str, *, page: bool = False) -> Response:
        path = table.get(name)
        if path is None:
            raise HttpError(404, f"no file {name[:80]!r} here")
        headers = {"Content-Security-Policy": self._policy()} if page else {}
        if path.suffix == ".ttf":
            headers["Cache-Control"] = "max-age=86400"
        return Response(200, path.read_bytes(), _content_type(path), headers)

    def _policy(self) -> str:
        """The views' policy: their own files only, and WebSockets to this server and to the
        show's other laptops (where a view reconnects if this laptop dies)."""
        others = " ".join(sorted("ws://" + url.removeprefix("http://") for url in
                                 self._peer_origins()))  # fmt: skip
        if not others:
            return VIEW_POLICY
        return VIEW_POLICY.replace("connect-src 'self'", f"connect-src 'self' {others}")

    def _state(self, request: Request) -> Response:
        role = self.role(request)
        if role is None:
            raise HttpError(401, "this server has a view PIN: add ?pin=PIN")
        if not self.host.has_show and self.host.following:
            raise HttpError(503, "no show yet: this laptop is joining another's show")
        if not self.host.has_show:
            raise HttpError(503, "no show is open (the agenda has errors)")
        doc = self.document()
        if role == CONTROL:
            doc["operator"] = self._operator()
        return json_response(200, doc)

    def _peer(self, request: Request) -> Response:
        """Where this machine stands in its show (docs/two-machines.md): a primary that
        comes back asks its peers this before it counts its own term as the show's."""
        if self.role(request) != CONTROL:
            raise HttpError(401, "/api/peer needs the control PIN")
        status = getattr(self.host, "peer_status", None)
        return json_response(200, status() if status is not None else {"role": "alone"})

    def _operator(self) -> dict[str, Any]:
        """What only the control PIN reads: the MC's notices and the journal's health."""
        host = self.host
        controller = host.controller
        display = controller.display if controller is not None else None
        return {
            "notices": dict(host.notices),
            "journal_error": host.engine.journal_error,
            "countdown": display.countdown if display is not None else None,
        }

    def _command(self, request: Request) -> Pending[Response]:
        if request.method not in ("GET", "POST"):
            raise HttpError(405, "send commands with GET or POST")
        if self.role(request) != CONTROL:
            raise HttpError(
                401, "commands need the control PIN: ?pin=PIN or Authorization: Bearer PIN"
            )
        parts = request.path[len("/api/") :].split("/")
        named = {**request.query, **request.form()}
        try:
            name, raw = command_call(parts[0], parts[1:], named)
        except RouteError as error:
            raise HttpError(error.status, str(error)) from None
        except CommandError as error:
            raise HttpError(400, str(error)) from None
        response: Pending[Response] = Pending()
        self.run(name, raw, "http").then(
            lambda answer: response.resolve(json_response(answer.pop("_status"), answer))
        )
        return response

    def run(self, name: str, raw: dict[str, object], source: str) -> Pending[dict[str, Any]]:
        """Run a command for a client; its answer once the action counts for the show."""
        return answer_for_network(self.host, name, raw, source)

    # -- the feed ------------------------------------------------------------------------
    def server_now(self) -> float:
        """The clock the documents' instants are on (the show's real monotonic clock)."""
        if self.host.has_show:
            return real_clock_now(self.host.engine)
        return time.monotonic()

    def server_clock(self) -> tuple[float, float]:
        """The show's real clock and its wall clock, read together: a follower maps its own
        clock onto both (``core.peer_clock``)."""
        if self.host.has_show:
            clock = self.host.engine.clock
            real = getattr(clock, "real", clock)
            return real.monotonic(), real.wall()
        return time.monotonic(), time.time()

    def document(self) -> dict[str, Any]:
        engine = self.host.engine
        now = engine.now()
        peers = getattr(self.host, "peer_urls", None)
        return state_document(
            engine,
            now,
            server_now=real_clock_now(engine),
            extra={"serial": self.serial, "lang": self.host.tr_.lang, "words": self._words(),
                   "peers": peers() if peers is not None else []},
        )  # fmt: skip

    def _words(self) -> dict[str, str]:
        """The views' words, raw (placeholders such as {over} left for the view to fill)."""
        from runofshow._qt.i18n import CATALOGUE
        from runofshow.core.agenda import Kind

        lang = self.host.tr_.lang
        keys = (*VIEW_WORDS, *(f"kind.{k.value}" for k in Kind))
        return {key: CATALOGUE[key][lang] for key in keys if key in CATALOGUE}

    def _document_text(self) -> str:
        """The document now, for a client that just connected; the feed's key is taken from
        the same instant, so the next repaint does not push it a second time."""
        if not self.host.has_show:
            return json.dumps({"kind": "no_show", "reason": "no show is open"})
        engine = self.host.engine
        key = (*state_key(engine, engine.now()), self.host.tr_.lang)
        if key != self._last_key or self._last_text is None:
            self._last_key = key
            self._last_text = json.dumps(self.document(), ensure_ascii=False, allow_nan=False)
        return self._last_text

    def _show_replaced(self, _engine: object) -> None:
        self._last_key = None
        self._state_may_have_changed()

    def _state_may_have_changed(self, *_args: object) -> None:
        """Look for a change from the event loop, once the command that caused it has been
        answered: a command's answer never waits for fifty pushes, and the several signals
        of one action make one look."""
        if not self._look_queued:
            self._look_queued = True
            QTimer.singleShot(0, self, self._push_if_changed)

    def _push_if_changed(self) -> None:
        """Push the document if its state key changed (an action, a phase, a segment, a cue,
        a message, the language): not on the repaints in between."""
        self._look_queued = False
        if not self.host.has_show or not (self.sockets or self.receivers_of_pushes()):
            self._last_key = None  # nobody listens: the next client gets a fresh document
            self._last_text = None
            return
        engine = self.host.engine
        key = (*state_key(engine, engine.now()), self.host.tr_.lang)
        if key == self._last_key:
            return
        self._last_key = key
        self.serial += 1
        doc = self.document()
        self._last_text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
        for client in list(self.sockets.values()):
            if client.role != PEER:
                client.send_text(self._last_text)
        self.pushed.emit(doc)

    def receivers_of_pushes(self) -> int:
        """Others than WebSocket clients that want every push (OSC out)."""
        return self.push_listeners


def _retry_after(error: HttpError) -> dict[str, str]:
    return {"Retry-After": "60"} if error.status == 429 else {}


def _lan_address() -> str | None:
    """This computer's first IPv4 address on a LAN (for the URL and the QR code)."""
    for address in QNetworkInterface.allAddresses():
        if (
            address.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv4Protocol
            and not address.isLoopback()
        ):
            return address.toString()
    return None
