"""Turning the network on and off from the app: --serve and --pin for one run, the Network
window's switch, address and PINs remembered, a generated PIN shown, the address as a QR
code, the clients counted, a port already taken said on the notice bar."""

from __future__ import annotations

import pytest
from net_helpers import WsClient
from qt_helpers import make_window

from runofshow._qt.app.main import network_options, parse_args
from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.network.address import NetworkOptions, ServeAddress


@pytest.fixture
def mc(qtbot, engine, clock):
    window = make_window(qtbot, clock)
    window.host.start_show(engine)
    yield window
    if window.network is not None:
        window.network.close()


def test_command_line_options_are_checked_with_words(capsys):
    args = parse_args(["--serve", "0.0.0.0:8080", "--pin", "2468", "--osc", "9000", "--osc-allow",
                       "10.0.0.5,10.1.0.0/24", "--osc-out", "127.0.0.1:9001"])  # fmt: skip
    options = network_options(args)
    assert options.serve == ServeAddress("0.0.0.0", 8080) and options.pin == "2468"
    assert options.osc == ServeAddress("127.0.0.1", 9000)
    assert options.osc_allow == ("10.0.0.5", "10.1.0.0/24")
    for bad, words in (
        (["--serve", "laptop:80"], "is not an IP address"),
        (["--serve", "127.0.0.1:99999"], "port must be a number"),
        (["--pin", "a b"], "PIN"),
        (["--osc-allow", "10.0.0.5"], "--osc-allow needs --osc"),
        (["--osc", "9000", "--osc-allow", "nowhere"], "not an address or network"),
        (["--osc-out", "9001"], "write HOST:PORT"),
    ):
        with pytest.raises(SystemExit):
            parse_args(bad)
        assert words in capsys.readouterr().err, bad


def test_off_by_default_nothing_of_the_network_loads(mc):
    mc.start_network()
    assert mc.network is None


def test_serve_for_one_run_is_not_remembered_and_a_generated_pin_is(mc, capfd):
    mc.network_options = NetworkOptions(serve=ServeAddress("127.0.0.1", 0))
    mc.start_network()
    control = mc.network
    assert control.listening and control.url().startswith("http://127.0.0.1:")
    assert f"runofshow: serving {control.url()}" in capfd.readouterr().out
    settings = WindowSettings()
    assert not settings.network_on()
    assert settings.network_pin() == control.pin and len(control.pin) == 6


def test_the_window_turns_it_on_remembers_it_and_shows_address_qr_and_clients(qtbot, mc):
    mc.open_network()
    panel = mc._network_window
    panel.address.setText("127.0.0.1:0")
    panel.pin.setText("2468")
    panel.serve.setChecked(True)
    control = mc.network
    assert control.listening and control.pin == "2468"
    assert control.url() in panel.status.text() and "0 connected" in panel.status.text()
    assert not panel.qr.pixmap().isNull() and panel.qr.pixmap().width() > 100
    settings = WindowSettings()
    assert settings.network_on() and settings.network_pin() == "2468"
    client = WsClient(qtbot, control.server, "?pin=2468")
    qtbot.waitUntil(lambda: "1 connected" in panel.status.text(), timeout=5000)
    panel.pin.setText("97531")
    panel.apply.click()  # a screen connected with the old PIN is dropped
    qtbot.waitUntil(lambda: client.closed is not None, timeout=5000)
    assert "0 connected" in panel.status.text() and WindowSettings().network_pin() == "97531"
    panel.serve.setChecked(False)
    assert not control.listening and not WindowSettings().network_on()


def test_a_remembered_switch_serves_again_at_the_next_start(qtbot, engine, clock):
    WindowSettings().save_network(on=True, address="127.0.0.1:0", pin="1357")
    window = make_window(qtbot, clock)
    window.host.start_show(engine)
    try:
        window.start_network()
        assert window.network.listening and window.network.pin == "1357"
    finally:
        window.network.close()


def test_a_port_already_taken_is_said_on_the_notice_bar(qtbot, mc, capfd):
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        mc.network_options = NetworkOptions(serve=ServeAddress("127.0.0.1", port))
        mc.start_network()
    finally:
        taken.close()
    assert not mc.network.listening
    assert "network" in mc.host.notices and str(port) in mc.host.notices["network"]
    assert "pick another with --serve" in capfd.readouterr().err
