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

from runofshow._qt.network.server import ServeAddress, ShowServer
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
