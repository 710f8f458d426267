"""A follower's windows in one process with its primary (both real hosts and servers on
loopback): what they say about the laptop's part in the show, the takeover asked for in the
menu, the agenda commands a follower refuses, and rows it cannot take (a gap, garbage) said
and survived, never folded."""

from __future__ import annotations

from pathlib import Path

import pytest
from qt_helpers import STAGE_HANDLERS, host_for, make_host

from runofshow._qt.app.main import join_show
from runofshow._qt.network.address import NetworkOptions, ServeAddress
from runofshow._qt.windows.mc_window import McWindow, PeerOptions
from runofshow.core.engine import ShowEngine

PIN = "peer-test-pin"
WAIT_MS = 10_000


def _window(qtbot, host, folder: Path) -> McWindow:
    window = McWindow(host, STAGE_HANDLERS)
    qtbot.addWidget(window)
    window.network_options = NetworkOptions(pin=PIN)
    window.peer_options = PeerOptions(folder=folder)
    return window


@pytest.fixture
def primary(qtbot, engine: ShowEngine, tmp_path: Path) -> McWindow:
    """The MC's window serving its show on a free loopback port."""
    window = _window(qtbot, host_for(engine), tmp_path / "mc")
    assert window.network_control().start(ServeAddress("127.0.0.1", 0))
    qtbot.waitUntil(lambda: window.peers is not None and window.peers.hub is not None)
    return window


@pytest.fixture
def follower(qtbot, primary: McWindow, clock, tmp_path: Path) -> McWindow:
    """The stage manager's laptop's MC window, following the primary."""
    window = _window(qtbot, make_host(clock), tmp_path / "sm")
    join_show(window, primary.network.url("").rstrip("/"), tmp_path / "sm")
    qtbot.waitUntil(lambda: _following(window), timeout=WAIT_MS)
    return window


def _following(window: McWindow) -> bool:
    follower = window.peers.follower if window.peers is not None else None
    return follower is not None and follower.connected


def test_a_followers_windows_say_whose_show_they_follow(qtbot, primary, follower):
    assert follower.host.has_show and follower.host.following
    assert "FOLLOWING" in follower.view.badges.text()
    assert "PRIMARY · 1 following" in primary.view.badges.text()
    assert follower.actions_["takeover"].isVisible() is True
    assert primary.actions_["takeover"].isVisible() is False


def test_take_over_asks_first_and_only_when_the_primary_is_silent(
    qtbot, primary, follower, yes_to_questions
):
    assert not follower.take_over()  # the primary answers: refused, in words
    assert "connected and answering" in follower.host.notices["peer.takeover"]
    primary.network.stop()  # the MC's laptop stops serving: every follower is dropped
    qtbot.waitUntil(lambda: "NOT CONNECTED" in follower.host.notices.get("peer", ""),
                    timeout=WAIT_MS)  # fmt: skip
    assert "NOT CONNECTED" in follower.view.notice.text()
    asked = len(yes_to_questions)
    assert follower.take_over()
    assert len(yes_to_questions) == asked + 1 and "Take over" in yes_to_questions[-1]
    assert not follower.host.following and "took over" in follower.host.notices["peer"]
    assert "FOLLOWING" not in follower.view.badges.text()
    assert follower.host.execute("next").applied  # journaled here now


def test_a_follower_opens_no_agenda_of_its_own(qtbot, follower, tmp_path):
    follower.host.open_agenda(tmp_path / "other.yaml")
    follower.host.reload_agenda()
    assert not follower.host.new_show()
    assert "open, reload and new show are done there" in follower.host.notices["peer.follows"]


def test_a_command_on_a_follower_counts_when_the_primary_journaled_it(
    qtbot, primary, follower, engine
):
    outcome = follower.host.execute("start", source="key")
    assert outcome.sent and not outcome.applied  # on its way, not pretended
    qtbot.waitUntil(lambda: len(follower.host.engine.actions) == 1, timeout=WAIT_MS)
    assert [(a.name, a.source) for a in engine.actions] == [("start", "peer")]
    refused = follower.host.execute("start", source="key")  # refused here already: running
    assert not refused.applied and not refused.sent and "already running" in refused.reason


def _attached(primary: McWindow):
    hub = primary.peers.hub
    return next(iter(hub.followers.values()))


def test_a_row_that_does_not_follow_is_refused_and_the_copy_starts_over(
    qtbot, primary, follower, engine
):
    """A primary (buggy or not one at all) sending row 7 to a follower holding 0: said on
    the follower's notice bar, nothing folded, and the next join catches up from what it
    holds, every row once."""
    engine.start()
    qtbot.waitUntil(lambda: len(follower.host.engine.actions) == 1, timeout=WAIT_MS)
    row = {"seq": 7, "name": "next", "t": 1.0, "wall": 1.0, "mono": 1.0, "boot_id": "b",
           "args": {}, "source": "key", "term": 0}  # fmt: skip
    _attached(primary).client.send({"kind": "rows", "start": 6, "rows": [row]})
    qtbot.waitUntil(lambda: "row 7 arrived" in follower.host.notices.get("peer.protocol", ""),
                    timeout=WAIT_MS)  # fmt: skip
    assert len(follower.host.engine.actions) == 1
    engine.next()
    qtbot.waitUntil(lambda: _following(follower) and len(follower.host.engine.actions) == 2,
                    timeout=WAIT_MS)  # fmt: skip
    assert [a.seq for a in follower.host.engine.actions] == [1, 2]


def test_garbage_from_the_primary_is_said_and_survived(qtbot, primary, follower):
    _attached(primary).client.send({"kind": "rows", "start": 0, "rows": [{"name": "rm -rf"}]})
    qtbot.waitUntil(lambda: "cannot take" in follower.host.notices.get("peer.protocol", ""),
                    timeout=WAIT_MS)  # fmt: skip
    qtbot.waitUntil(lambda: _following(follower), timeout=WAIT_MS)  # it rejoined by itself
    assert follower.host.engine.actions == []


def test_a_what_if_on_a_follower_stays_there_until_applied_on_the_primary(
    qtbot, primary, follower, engine
):
    """The stage manager's what-if on the follower is its own (trying a length sends
    nothing: the show does not change); Apply sends the plan to the MC's laptop, where it is
    journaled once (source ``peer``), and the what-if is done with, as on the primary."""
    from runofshow._qt.widgets.what_if import WhatIfPanel

    engine.start()
    qtbot.waitUntil(lambda: len(follower.host.engine.actions) == 1, timeout=WAIT_MS)
    panel = WhatIfPanel(follower.host)
    qtbot.addWidget(panel)
    panel.set_show(follower.host.engine)
    panel.segment.setCurrentIndex(2)
    panel.length.setText("7m")
    panel.try_length()
    assert panel.projection(follower.host.engine) is not None  # the table shows the what-if
    assert len(engine.actions) == 1 and len(follower.host.engine.actions) == 1
    panel.apply()
    qtbot.waitUntil(lambda: len(follower.host.engine.actions) == 2, timeout=WAIT_MS)
    assert [(a.name, a.source) for a in engine.actions[1:]] == [("plan", "peer")]
    assert follower.host.engine.slot(2) == engine.slot(2) == 420
    assert not panel.tried and panel.projection(follower.host.engine) is None


def test_a_stage_message_typed_on_a_follower_is_sent_and_the_box_emptied(
    qtbot, primary, follower, engine
):
    from runofshow._qt.widgets.stage_messages import MessageComposer

    box = MessageComposer(follower.host)
    qtbot.addWidget(box)
    box.line.setText("Wrap up")
    box.send_typed()
    assert box.line.text() == ""  # sent, as Enter on the MC's laptop empties it
    qtbot.waitUntil(lambda: len(follower.host.engine.actions) == 1, timeout=WAIT_MS)
    assert [(a.name, a.args["text"], a.source) for a in engine.actions] == [
        ("message", "Wrap up", "peer")
    ]


def test_a_followers_run_sheet_names_the_agenda_the_mc_laptop_read(
    qtbot, primary, follower, tmp_path, monkeypatch
):
    """File ▸ Print run sheet… on a follower: the footer's digest is the agenda's as the MC's
    laptop read it when the show began, not that of whatever file (or none) is at that path
    on this laptop, so the crew's printouts can be compared."""
    import dataclasses

    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog
    from test_printing import pdf_text

    target = tmp_path / "follower-run-sheet.pdf"

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    copy = follower.peers.follower
    copy.record = dataclasses.replace(copy.record, agenda_sha256="0123456789ab" + "c" * 52)
    assert follower.print_run_sheet() is True
    assert "sha256 0123456789ab" in pdf_text(target)
    copy.record = dataclasses.replace(copy.record, agenda_sha256=None)
    assert follower.print_run_sheet() is True
    assert "sha256 -" in pdf_text(target)
