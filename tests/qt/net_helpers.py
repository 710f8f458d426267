"""Helpers for the network tests: a show served on loopback in this process, and real
clients (urllib, websockets, python-osc) run on a thread while the test's Qt event loop
serves them. Every wait has a deadline; every server, socket and thread is closed."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from qt_helpers import host_for

from runofshow._qt.network.address import ServeAddress
from runofshow._qt.network.server import ShowServer
from runofshow.core.engine import ShowEngine

PIN = "4321"
T = TypeVar("T")
DEADLINE_MS = 10_000


def serve(engine: ShowEngine, **options: Any) -> ShowServer:
    """``engine``'s show served on a free loopback port, control PIN ``PIN``."""
    host = host_for(engine)
    server = ShowServer(host, options.pop("control_pin", PIN), **options)
    server.listen(ServeAddress("127.0.0.1", 0))
    return server


def off_thread(qtbot, work: Callable[[], T], timeout_ms: int = DEADLINE_MS) -> T:
    """Run a blocking client call on a thread while this thread's event loop serves it."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=timeout_ms)
    if "error" in box:
        raise box["error"]
    return box["value"]


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


def http(
    qtbot,
    server: ShowServer,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> Answer:
    """One request with urllib; the status, the JSON body and the headers."""
    url = f"http://127.0.0.1:{server.address.port}{path}"

    def call() -> Answer:
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                raw, status, got = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw, status, got = error.read(), error.code, dict(error.headers)
        kind = got.get("Content-Type", "")
        body = json.loads(raw) if raw and kind.startswith("application/json") else {"raw": raw}
        return Answer(status, body, got)

    return off_thread(qtbot, call)


def raw(qtbot, server: ShowServer, data: bytes, *, pause_s: float = 0.0) -> bytes:
    """Send ``data`` on a plain socket (what no well-behaved client library would send),
    wait ``pause_s``, and read until the server closes; a 5 s deadline."""
    import socket
    import time

    def call() -> bytes:
        with socket.create_connection(("127.0.0.1", server.address.port), timeout=5) as sock:
            sock.sendall(data)
            if pause_s:
                time.sleep(pause_s)  # the client's own slowness, not the app's logic
            chunks = []
            while True:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    return off_thread(qtbot, call)


def status_of(reply: bytes) -> int:
    """The status code of a raw HTTP reply (0 if the server sent nothing)."""
    if not reply:
        return 0
    return int(reply.split(b" ", 2)[1])


class WsClient:
    """A WebSocket client of the ``websockets`` library (not Qt's: the server is Qt's),
    receiving on its own thread into ``messages`` while the test's event loop serves it."""

    def __init__(self, qtbot, server: ShowServer, query: str = "", **options: Any) -> None:
        self.qtbot = qtbot
        self.messages: list[dict[str, Any]] = []
        self.closed: BaseException | None = None
        self.connection: Any = None
        self.url = f"ws://127.0.0.1:{server.address.port}/ws{query}"
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(options,), daemon=True)
        self._thread.start()
        qtbot.waitUntil(lambda: bool(self.connection or self._failed), timeout=DEADLINE_MS)
        if self._failed is not None:
            raise self._failed

    def _run(self, options: dict[str, Any]) -> None:
        from websockets.sync.client import connect

        try:
            with connect(self.url, open_timeout=5, **options) as connection:
                self.connection = connection
                for text in connection:
                    self.messages.append(json.loads(text))
        except BaseException as exc:  # refused, or closed: kept for the test to see
            if self.connection is None:
                self._failed = exc
            self.closed = exc
        self.closed = self.closed or ConnectionError("closed")

    def send(self, payload: dict[str, Any] | bytes | str) -> None:
        data = payload if isinstance(payload, bytes | str) else json.dumps(payload)
        self.connection.send(data)  # written to the socket at once; never waits for a reply

    def next(self, kind: str, after: int = 0, timeout_ms: int = 5000) -> dict[str, Any]:
        """The first message of ``kind`` at or after position ``after``."""

        def found() -> dict[str, Any] | None:
            return next((m for m in self.messages[after:] if m.get("kind") == kind), None)

        self.qtbot.waitUntil(lambda: found() is not None, timeout=timeout_ms)
        return found()

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("kind") == kind]

    def close(self) -> None:
        """The closing handshake runs on a thread: the server answers it from this one."""
        off_thread(self.qtbot, self.connection.close)
        self.qtbot.waitUntil(lambda: not self._thread.is_alive(), timeout=5000)
