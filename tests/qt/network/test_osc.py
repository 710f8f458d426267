"""OSC in and out with python-osc's own client and server on loopback: the same commands as
addresses (journaled from "osc"), senders outside --osc-allow and garbage ignored with the
show unaffected, and the state sent to a target on every change and every countdown flip."""

from __future__ import annotations

import socket
import threading

import pytest
from pythonosc.dispatcher import Dispatcher
from pythonosc.osc_server import BlockingOSCUDPServer
from pythonosc.udp_client import SimpleUDPClient
from qt_helpers import host_for

from runofshow._qt.network.address import NetworkOptions, ServeAddress
from runofshow._qt.network.control import NetworkControl


def osc_link(engine, **options):
    host = host_for(engine)
    control = NetworkControl(host, NetworkOptions(pin="4321", **options))
    control.start_from_options()
    assert control.osc is not None
    return control.osc


def send(qtbot, link, address: str, *args) -> None:
    """One message from python-osc's client; waits until the link has taken it."""
    before = link.received + link.refused
    client = SimpleUDPClient("127.0.0.1", link.port)
    try:
        client.send_message(address, list(args))
    finally:
        client._sock.close()  # python-osc's client keeps its socket open until collected
    qtbot.waitUntil(lambda: link.received + link.refused > before, timeout=5000)


@pytest.fixture
def link(engine):
    made = osc_link(engine, osc=ServeAddress("127.0.0.1", 0))
    yield made
    made.close()


def test_commands_by_address_are_journaled_from_osc(qtbot, link, engine, clock):
    send(qtbot, link, "/runofshow/start")
    clock.advance(1)
    send(qtbot, link, "/runofshow/goto", 3)
    send(qtbot, link, "/runofshow/add", 60.0)
    send(qtbot, link, "/runofshow/goto/4")
    send(qtbot, link, "/runofshow/blackout", 1)
    send(qtbot, link, "/runofshow/message", "마이크 확인", 1)
    assert [(a.name, a.source) for a in engine.actions] == [
        ("start", "osc"), ("goto", "osc"), ("add_time", "osc"), ("goto", "osc"),
        ("blackout", "osc"), ("message", "osc"),
    ]  # fmt: skip
    now = engine.now()
    assert now.index == 3 and now.blackout and now.message.text == "마이크 확인"


def test_what_is_not_a_show_command_is_refused(qtbot, link, engine):
    for address in ("/runofshow/quit", "/runofshow/mute", "/runofshow/open", "/other/next"):
        send(qtbot, link, address)
    assert link.refused == 4 and engine.actions == []


def test_garbage_on_the_osc_port_is_refused_and_the_show_goes_on(qtbot, link, engine):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for junk in (b"\x00" * 7, b"#bundle\x00garbage", b"/runofshow/next\x00\x00,zz\x00", b""):
            before = link.refused
            sock.sendto(junk, ("127.0.0.1", link.port))
            qtbot.waitUntil(lambda before=before: link.refused > before, timeout=5000)
    finally:
        sock.close()
    assert engine.actions == []
    send(qtbot, link, "/runofshow/start")  # still listening
    assert [a.name for a in engine.actions] == ["start"]


def test_senders_outside_the_allow_list_are_not_heard(qtbot, engine):
    link = osc_link(engine, osc=ServeAddress("127.0.0.1", 0), osc_allow=("10.0.0.0/8",))
    try:
        send(qtbot, link, "/runofshow/start")
        assert link.refused == 1 and engine.actions == []
    finally:
        link.close()


def test_the_state_goes_out_to_targets_on_change_and_each_flip(qtbot, engine, clock):
    """python-osc's server as Companion: status, phase, segment on change; the countdown as
    shown and in signed seconds on each flip; ``over`` 1 once over time."""
    received: list[tuple] = []
    dispatcher = Dispatcher()
    dispatcher.set_default_handler(lambda address, *args: received.append((address, *args)))
    target = BlockingOSCUDPServer(("127.0.0.1", 0), dispatcher)
    thread = threading.Thread(target=target.serve_forever, daemon=True)
    thread.start()
    try:
        port = target.server_address[1]
        link = osc_link(engine, osc_out=(ServeAddress("127.0.0.1", port),))
        host = link.host
        host.execute("start", source="key")
        first = [("/runofshow/status", "running"), ("/runofshow/segment", 1, "개회"),
                 ("/runofshow/countdown", "5:00")]  # fmt: skip
        qtbot.waitUntil(lambda: all(m in received for m in first), timeout=5000)
        clock.advance(1.5)
        host.controller.refresh()
        qtbot.waitUntil(lambda: ("/runofshow/remaining", 299) in received, timeout=5000)
        clock.advance(300)
        host.controller.refresh()
        over = [("/runofshow/over", 1), ("/runofshow/phase", "overtime"),
                ("/runofshow/countdown", "+0:01")]  # fmt: skip
        qtbot.waitUntil(lambda: all(m in received for m in over), timeout=5000)
    finally:
        target.shutdown()
        target.server_close()
