"""Another machine that lies (docs/two-machines.md): a fake primary a real follower process
joins, and a fake follower that joins a real primary, sending numbers no runofshow sends.

The follower refuses what its own engine could not have journaled, in words (the log, its
notice), keeps its last good copy and keeps counting; the primary answers a hostile client's
nonsense with an error and goes on. Neither logs an uncaught exception.
"""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peer_proc import Machine, start_primary, wait_for
from torture_proc import PIN
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Response
from websockets.sync.client import connect
from websockets.sync.server import serve

import runofshow
from runofshow.resources import default_agenda


@pytest.fixture(scope="module")
def real_primary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Machine]:
    work = tmp_path_factory.mktemp("hostile")
    agenda = work / "innovation-relay-2022.yaml"
    shutil.copy(default_agenda(), agenda)
    primary = start_primary(work, "primary", agenda)
    try:
        for command in ("start", "next"):
            assert primary.act(command) is not None
        yield primary
    finally:
        primary.close()


def _join(primary: Machine) -> list[dict[str, Any]]:
    """What a real primary says to a follower that joins: welcome, rows, caught_up, peers."""
    url = f"ws://{primary.address}/ws?role=peer&pin={PIN}"
    join = {"kind": "join", "protocol": 1, "version": runofshow.__version__, "show": None,
            "have": 0, "digest": "", "term": 0, "term_owner": ""}  # fmt: skip
    said: list[dict[str, Any]] = []
    with connect(url, open_timeout=5) as ws:
        ws.send(json.dumps(join))
        while not said or said[-1]["kind"] != "peers":
            said.append(json.loads(ws.recv(timeout=5)))
    return said


def _uncaught(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines() if "uncaught" in line]


class FakePrimary:
    """Serves ``/api/peer`` as a primary would, and says ``said`` to whoever joins; then
    answers its clock pings (``server`` gives the reading) and sends ``later``."""

    def __init__(self, said: list[dict[str, Any]], server: Any = None,
                 later: list[dict[str, Any]] | None = None) -> None:  # fmt: skip
        self.said, self.later = said, later or []
        self.base = said[0]["clock"]["server"] - time.monotonic()
        self.server = server
        self.srv = serve(self._handle, "127.0.0.1", 0, process_request=self._http)
        self.port = self.srv.socket.getsockname()[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def _http(self, _conn: Any, request: Any) -> Response | None:
        if not request.path.startswith("/api/peer"):
            return None
        body = json.dumps({"role": "primary", "show": self.said[0]["show"]["uid"]}).encode()
        headers = Headers([("Content-Type", "application/json"),
                           ("Content-Length", str(len(body)))])  # fmt: skip
        return Response(200, "OK", headers, body)

    def _handle(self, ws: Any) -> None:
        try:
            ws.recv(timeout=5)  # the join
            for message in self.said:
                ws.send(json.dumps(message))
            sent_later = False
            while True:
                message = json.loads(ws.recv(timeout=10))
                if message.get("kind") == "time":
                    now = time.monotonic() + self.base
                    server = now if self.server is None else self.server
                    ws.send(json.dumps({"kind": "time", "client": message["client"],
                                        "server": server, "wall": now}))  # fmt: skip
                if message.get("kind") == "have" and not sent_later:
                    sent_later = True
                    for later in self.later:
                        ws.send(json.dumps(later))
        except Exception:  # the follower went away: the test is over
            return

    def close(self) -> None:
        self.srv.shutdown()


def _follow(tmp_path: Path, fake: FakePrimary) -> Machine:
    tmp_path.mkdir()
    follower = Machine(["--join", f"127.0.0.1:{fake.port}"], tmp_path / "follower",
                       tmp_path / "follower.log")  # fmt: skip
    follower.wait_serving()
    return follower


def _counting(follower: Machine) -> None:
    """Its countdown moves (the show is running on the primary)."""
    follower.wait_following()
    first = follower.now()
    assert first is not None
    time.sleep(1.2)
    later = follower.now()
    assert later is not None and later["remaining_s"] < first["remaining_s"]


def _row(said: list[dict[str, Any]], name: str, args: dict[str, Any]) -> dict[str, Any]:
    rows = said[1]["rows"]
    row = {**copy.deepcopy(rows[-1]), "seq": len(rows) + 1, "name": name, "args": args}
    return {"kind": "rows", "start": len(rows), "rows": [row]}


@pytest.fixture(scope="module")
def said(real_primary: Machine) -> list[dict[str, Any]]:
    return _join(real_primary)


def _case(label: str, said: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], Any, list[Any]]:
    """(what the fake primary says on joining, its clock answers, what it sends later)."""
    welcome = copy.deepcopy(said)
    if label == "clock":  # drawing the countdown overflowed: frozen, every request a 500
        welcome[0]["clock"]["server"] = 1e308
    if label == "term":  # past SQLite's integers: an uncaught OverflowError on every join
        welcome[0]["show"]["term"] = 2**63
    # After a good catch-up: a row adding 1e308 seconds (froze the countdown), and clock
    # answers no clock gives (-1e308: the clock, never going back, stood still for good).
    later = [_row(said, "add_time", {"seconds": 1e308})] if label == "add" else []
    if label == "reload":  # a map into segment 10**9: folding it raised, after the writes
        welcome[1]["rows"].append(_row(said, "reload", {"map": [10**9] * 3})["rows"][0])
    return welcome, (-1e308 if label == "ping" else None), later


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("clock", "the welcome's clock is not a time a clock can read"),
        ("term", "the show: term is out of range"),
        ("add", "seconds must be seconds within a day"),
        ("reload", "names a segment its agenda does not have"),
        ("ping", None),
    ],
)
def test_a_primary_sending_numbers_no_engine_could_run_on_is_refused_in_words(
    tmp_path: Path, said: list[dict[str, Any]], label: str, words: str | None
):
    welcome, server, later = _case(label, said)
    fake = FakePrimary(welcome, server, later)
    follower = _follow(tmp_path / label, fake)
    log = tmp_path / label / "follower.log"
    try:
        if label in ("clock", "term", "reload"):
            wait_for("the refusal in the log", lambda: words in log.read_text())
            status = follower.status()
            assert status is not None and status["rows"] == 0  # nothing half-copied
            takeover = follower.act("takeover")  # said as it is, not "the agenda has errors"
            assert takeover is not None and "no copy of it" in takeover["reason"]
        else:
            _counting(follower)
            if words is not None:
                wait_for("the refusal in the log", lambda: words in log.read_text())
                now = follower.now()  # the last good copy, counting
                assert now is not None and now["actions"] == len(said[1]["rows"])
            _counting(follower)
        assert _uncaught(log) == []
    finally:
        follower.close()
        fake.close()


def test_a_follower_sending_numbers_json_does_not_have_gets_an_error_not_silence(
    real_primary: Machine,
):
    url = f"ws://{real_primary.address}/ws"
    asked = [
        ("", '{"kind": "time", "client": NaN}'),  # no PIN needed: echoed, could not be sent
        ("", '{"kind": "time", "client": 1e999}'),
        (f"?pin={PIN}", '{"kind": "command", "name": "pause", "id": Infinity}'),
        (
            f"?role=peer&pin={PIN}",
            json.dumps({"kind": "aside", "rows": [], "takeover_wall": 1e308}),
        ),
        (
            f"?role=peer&pin={PIN}",
            '{"kind": "aside", "rows": [], "takeover_wall": 1' + "0" * 400 + "}",
        ),
    ]
    for query, text in asked:
        with connect(url + query, open_timeout=5) as ws:
            ws.send(text)
            answers = []
            while not answers or answers[-1].get("kind") != "error":
                answers.append(json.loads(ws.recv(timeout=5)))
        assert answers[-1]["error"], text
    now = real_primary.now()
    assert now is not None and now["status"] == "running" and now["actions"] == 2
    log = real_primary._log.name
    assert _uncaught(Path(log)) == []


def test_a_follower_joining_again_and_again_on_one_connection_is_sent_the_journal_once(
    real_primary: Machine,
):
    """Each join is answered with the whole journal: a peer sending join a thousand times a
    second (as it may send messages) took the primary's RSS from 90 to 320 MB in six seconds
    and every request to it a second. One join a connection; a second drops it."""
    join = json.dumps({"kind": "join", "protocol": 1, "version": runofshow.__version__,
                       "show": None, "have": 0, "digest": "", "term": 0,
                       "term_owner": ""})  # fmt: skip
    kinds: list[str] = []
    with connect(f"ws://{real_primary.address}/ws?role=peer&pin={PIN}", open_timeout=5) as ws:
        for _ in range(200):
            ws.send(join)
        with contextlib.suppress(ConnectionClosed):
            while True:
                kinds.append(json.loads(ws.recv(timeout=5))["kind"])
    assert kinds.count("welcome") == 1 and "refused" in kinds
    before = time.monotonic()
    assert real_primary.now() is not None and time.monotonic() - before < 0.5


def _endless_status() -> tuple[socket.socket, int]:
    """A server that answers /api/peer with a body of 10 GB, sent as fast as it is read."""
    server = socket.create_server(("127.0.0.1", 0))

    def feed(conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 10000000000\r\n\r\n")  # fmt: skip
            while True:
                conn.sendall(b" " * (1 << 20))

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                threading.Thread(target=feed, args=(server.accept()[0],), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return server, server.getsockname()[1]


def test_an_endless_answer_to_where_do_you_stand_is_cut_not_read_into_memory(tmp_path: Path):
    """Whatever answers at a --join address (or at an address a primary named) is asked
    /api/peer first: an answer that never ended was read whole into memory, the follower
    growing by 350 MB a second until the system killed it. It is cut at 64 kB, and said."""
    server, port = _endless_status()
    tmp_path.joinpath("follower").mkdir()
    follower = Machine(["--join", f"127.0.0.1:{port}"], tmp_path / "follower",
                       tmp_path / "follower.log")  # fmt: skip
    try:
        follower.wait_serving()
        time.sleep(3)
        status = Path(f"/proc/{follower.proc.pid}/status").read_text()
        rss_mb = int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]) >> 10
        assert rss_mb < 400
        assert "larger than 64 kB" in (tmp_path / "follower.log").read_text()
    finally:
        follower.close()
        server.close()
