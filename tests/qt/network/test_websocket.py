"""The WebSocket feed at /ws with an independent client (the ``websockets`` library): the state
pushed on change and not on every second, a clock-offset exchange, commands with the control
PIN (journaled with source "ws"), and the same refusals as HTTP."""

from __future__ import annotations

import logging

import pytest
from net_helpers import PIN, WsClient, http, serve


@pytest.fixture
def server(qtbot, engine):
    served = serve(engine)
    yield served
    served.close()


def test_a_client_gets_the_state_at_once_and_again_on_each_change(qtbot, server, engine):
    client = WsClient(qtbot, server)
    try:
        hello = client.next("hello")
        assert hello["role"] == "view"
        first = client.next("state")
        assert first["show"]["status"] == "ready"
        assert server.clients_changed is not None and len(server.sockets) == 1
        mark = len(client.messages)
        http(qtbot, server, f"/api/start?pin={PIN}")
        running = client.next("state", after=mark)
        assert running["show"]["status"] == "running" and running["serial"] > first["serial"]
        assert running["countdown"]["zero_at"] is not None
    finally:
        client.close()
    qtbot.waitUntil(lambda: not server.sockets, timeout=5000)


def test_seconds_passing_push_nothing_and_a_phase_change_pushes(qtbot, server, engine, clock):
    """The repaint loop runs every second; the feed stays quiet until the state changes."""
    engine.start()
    host = server.host
    host.controller.refresh()
    client = WsClient(qtbot, server)
    try:
        client.next("state")
        count = len(client.of_kind("state"))
        for _ in range(30):  # 30 seconds of flips, each a display change
            clock.advance(1)
            host.controller.refresh()
        qtbot.wait(100)  # a push would have reached the client by now (loopback)
        assert len(client.of_kind("state")) == count
        clock.advance(300 - 60 - 30 + 0.5)  # into wrap-up (60 s left)
        host.controller.refresh()
        pushed = client.next("state", after=len(client.messages))
        assert pushed["current"]["phase"] == "wrapup"
    finally:
        client.close()


def test_the_clock_exchange_answers_with_the_servers_clock(qtbot, server, engine, clock):
    client = WsClient(qtbot, server)
    try:
        client.send({"kind": "time", "client": 123.5})
        answer = client.next("time")
        assert answer["client"] == 123.5
        assert answer["server"] == pytest.approx(clock.monotonic())
    finally:
        client.close()


def test_commands_need_the_control_pin_and_are_journaled_from_ws(qtbot, server, engine):
    viewer = WsClient(qtbot, server)
    operator = WsClient(qtbot, server, f"?pin={PIN}")
    try:
        viewer.send({"kind": "command", "name": "start", "id": 1})
        refused = viewer.next("ack")
        assert not refused["applied"] and "control PIN" in refused["error"]
        assert engine.actions == []
        assert operator.next("hello")["role"] == "control"
        operator.send({"kind": "command", "name": "start", "id": 7})
        ack = operator.next("ack")
        assert ack["id"] == 7 and ack["applied"] and ack["seq"] == 1
        mark = len(operator.messages)
        operator.send({"kind": "command", "name": "quit", "id": 8})
        quit_ack = operator.next("ack", after=mark)
        assert quit_ack["id"] == 8 and "not a show command" in quit_ack["error"], quit_ack
        assert [(a.name, a.source) for a in engine.actions] == [("start", "ws")]
    finally:
        viewer.close()
        operator.close()


def test_a_foreign_origin_cannot_open_the_feed(qtbot, server):
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as refused:
        WsClient(qtbot, server, f"?pin={PIN}", origin="http://evil.example")
    assert refused.value.response.status_code == 403
    assert not server.sockets


def test_a_wrong_pin_cannot_open_the_feed_as_control(qtbot, server):
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as refused:
        WsClient(qtbot, server, "?pin=0000")
    assert refused.value.response.status_code == 401


def test_binary_or_flooding_clients_are_closed_and_the_show_is_unaffected(qtbot, server, engine):
    client = WsClient(qtbot, server, f"?pin={PIN}")
    client.send(b"\x00\x01garbage")
    qtbot.waitUntil(lambda: client.closed is not None, timeout=5000)
    flood = WsClient(qtbot, server, f"?pin={PIN}")
    for _ in range(40):
        flood.send({"kind": "time", "client": 0})
    qtbot.waitUntil(lambda: flood.closed is not None, timeout=5000)
    assert engine.actions == []
    qtbot.waitUntil(lambda: not server.sockets, timeout=5000)


@pytest.mark.parametrize(
    "text",
    [
        "{garbage",
        "[1, 2]",
        "[" * 2000,
        '{"kind": ' + "[" * 2000,
        # Numbers JSON has not: a ping's client is echoed, and could not be sent back
        '{"kind": "time", "client": NaN}',
        '{"kind": "time", "client": 1e999}',
        '{"kind": "command", "name": "pause", "id": -Infinity}',
    ],
)
def test_text_that_is_not_a_json_object_is_answered_not_raised(qtbot, server, engine, text, caplog):
    """JSON nested 2,000 deep (a 2 kB message, no PIN needed) raised a RecursionError out of
    the slot, logged as an uncaught error, and the client got no answer. Each refused
    message is answered and said in the log."""
    client = WsClient(qtbot, server)
    try:
        with caplog.at_level(logging.INFO, logger="runofshow._qt.network.connections"):
            client.send(text)
            assert client.next("error")["error"] == "messages are JSON objects"
        assert "sent a message refused (messages are JSON objects)" in caplog.text
        client.send({"kind": "time", "client": 1.0})
        assert client.next("time")["client"] == 1.0  # still served
        assert engine.actions == []
    finally:
        client.close()


def test_a_view_pin_guards_reading(qtbot, engine):
    server = serve(engine, view_pin="7777")
    try:
        assert http(qtbot, server, "/api/state").status == 401
        assert http(qtbot, server, "/api/state?pin=7777").status == 200
        assert http(qtbot, server, f"/api/state?pin={PIN}").status == 200
        assert http(qtbot, server, "/api/next?pin=7777").status == 401  # reading only
        from websockets.exceptions import InvalidStatus

        with pytest.raises(InvalidStatus) as refused:
            WsClient(qtbot, server)
        assert refused.value.response.status_code == 401
        reader = WsClient(qtbot, server, "?pin=7777")
        try:
            assert reader.next("state")["show"]["status"] == "ready"
        finally:
            reader.close()
    finally:
        server.close()
