"""The security model, attacked with real clients on loopback: no PIN, wrong PINs, a
brute-force run, a foreign Origin or Host (a web page on the MC's laptop, DNS rebinding),
``..`` in a static path, oversized and never-finished requests. Each is refused, and the
show is unaffected (nothing journaled, the state as it was)."""

from __future__ import annotations

import pytest
from net_helpers import PIN, http, raw, serve, status_of

from runofshow.core.clock import FakeClock


class Limiter:
    """The wrong-PIN limiter's clock, moved by the test."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def limiter_clock() -> Limiter:
    return Limiter()


@pytest.fixture
def server(qtbot, engine, limiter_clock):
    served = serve(engine, clock=limiter_clock, request_timeout_s=0.5)
    yield served
    served.close()


@pytest.fixture
def untouched(engine, clock: FakeClock):
    """The show running, and a check that nothing else happened to it."""
    engine.start()
    before = (list(engine.actions), engine.now().index, engine.now().status)
    yield
    assert (list(engine.actions), engine.now().index, engine.now().status) == before


def test_no_pin_cannot_command(qtbot, server, untouched):
    answer = http(qtbot, server, "/api/next")
    assert answer.status == 401 and "control PIN" in answer.body["error"]


def test_a_wrong_pin_cannot_command(qtbot, server, untouched):
    answer = http(qtbot, server, "/api/next?pin=0000")
    assert answer.status == 401 and answer.body["error"] == "wrong PIN"
    bearer = http(qtbot, server, "/api/next", headers={"Authorization": "Bearer 1234"})
    assert bearer.status == 401


def test_a_brute_force_run_is_slowed_then_locked_out_even_with_the_right_pin(
    qtbot, server, limiter_clock, engine, untouched
):
    """Four wrong PINs are answered "wrong PIN", the fifth starts waits that double; while
    waiting, the right PIN is refused too (a guesser cannot tell it found it); after the wait
    the right PIN works again."""
    statuses = [http(qtbot, server, f"/api/next?pin={n:04d}").status for n in range(12)]
    assert statuses[:4] == [401] * 4 and statuses[4] == 429 and set(statuses[5:]) == {429}
    locked = http(qtbot, server, f"/api/state?pin={PIN}")
    assert locked.status == 429 and locked.headers.get("Retry-After")
    limiter_clock.t += 60.0
    assert http(qtbot, server, f"/api/state?pin={PIN}").status == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:1"},  # another local server's page
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_page_from_another_origin_cannot_command_even_with_the_pin(
    qtbot, server, untouched, headers
):
    answer = http(qtbot, server, f"/api/next?pin={PIN}", headers=headers)
    assert answer.status == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", ""])
def test_a_foreign_host_is_refused_dns_rebinding(qtbot, server, untouched, host):
    """A site whose name was rebound to this laptop still sends its own name as Host."""
    port = server.address.port
    line = f"Host: {host.format(port=port)}\r\n" if host else ""
    reply = raw(qtbot, server, f"GET /api/next?pin={PIN} HTTP/1.1\r\n{line}\r\n".encode())
    assert status_of(reply) == 403, reply[:200]


def test_the_servers_own_page_and_names_are_accepted(qtbot, server, engine):
    port = server.address.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        origin = f"http://{host}"
        answer = http(
            qtbot, server, f"/api/state?pin={PIN}", headers={"Host": host, "Origin": origin}
        )
        assert answer.status == 200, (host, answer.body)


@pytest.mark.parametrize(
    "path",
    [
        "/views/../server.py",
        "/views/..%2fserver.py",
        "/views/%2e%2e/server.py",
        "/fonts/../../../../../../etc/passwd",
        "/fonts/..%2f..%2f..%2fetc%2fpasswd",
        "/views//etc/passwd",
        "/views/./timer.html/..",
    ],
)
def test_static_files_never_leave_their_folder(qtbot, server, path):
    port = server.address.port
    reply = raw(qtbot, server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    assert status_of(reply) == 404, reply[:200]
    assert b"root:" not in reply and b"import" not in reply


def test_oversized_requests_are_refused(qtbot, server, untouched):
    port = server.address.port
    head = f"GET /api/next?pin={PIN} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    huge_header = raw(qtbot, server, (head + "X-Pad: " + "a" * 20_000 + "\r\n\r\n").encode())
    assert status_of(huge_header) == 431
    many = head + "".join(f"X-{i}: 1\r\n" for i in range(100)) + "\r\n"
    assert status_of(raw(qtbot, server, many.encode())) == 431
    body = b"text=" + b"a" * 10_000
    post = (
        f"POST /api/message?pin={PIN} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    assert status_of(raw(qtbot, server, post + body)) == 413
    long_url = f"GET /api/message?pin={PIN}&text={'a' * 5000} HTTP/1.1\r\n\r\n".encode()
    assert status_of(raw(qtbot, server, long_url)) == 414


def test_a_slow_client_that_never_finishes_is_dropped_and_others_are_served(
    qtbot, server, engine, untouched
):
    """Half a request, then silence: answered 408 and closed after the request timeout (0.5 s
    here, 5 s in the app); the server answers others meanwhile."""
    import threading

    port = server.address.port
    replies: list[bytes] = []
    slow = threading.Thread(target=lambda: replies.append(_slow_client(port)), daemon=True)
    slow.start()
    assert http(qtbot, server, "/api/state").status == 200  # served while the slow one waits
    qtbot.waitUntil(lambda: not slow.is_alive(), timeout=5000)
    assert status_of(replies[0]) == 408


def _slow_client(port: int) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /api/next?pin=" + PIN.encode() + b" HTTP/1.1\r\nHost: 127.0")
        return sock.recv(65536)


def test_garbage_instead_of_http_is_answered_400(qtbot, server, untouched):
    assert status_of(raw(qtbot, server, b"\x16\x03\x01\x02\x00garbage\r\n\r\n")) == 400
    assert status_of(raw(qtbot, server, b"BREW /pot HTTP/1.1\r\n\r\n")) == 405
