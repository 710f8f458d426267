"""The features that landed beside two machines, one show (docs/two-machines.md), on a
follower and across a takeover, with real processes: roll mode's clock-driven starts, the
landing plan, cue commands and their consent, STANDBY/GO/acknowledge, the report, the browser
views and OSC, and a night past midnight.

Helpers live in peer_proc.py; every process is killed and reaped at the end of its test.
"""

from __future__ import annotations

import datetime as dt
import glob
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from peer_proc import SILENT_SAID_S, Machine, entries, start_follower, wait_for
from tools import need

FLIP_S = 0.005  # a follower's segment flips within this of the primary's


def _faketime(tmp_path: Path, at: dt.datetime) -> tuple[dict[str, str], Path]:
    """The environment that runs a process's time of day from ``at`` (its monotonic clock
    untouched, as on a laptop), and the file whose offset moves it (libfaketime)."""
    need("libfaketime")
    library = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))[0]
    offset = tmp_path / "faketime.rc"
    offset.write_text(f"{round(at.timestamp() - time.time()):+d}\n")
    env = {
        "LD_PRELOAD": library,
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    return env, offset


ROLL = """\
event:
  title: Roll on two laptops
  date: 2025-04-17
  start: 15:00
  end: 15:30
  timezone: UTC
  mode: roll
programme:
  - id: welcome
    title: Welcome
    duration: 12s
  - id: pitch
    title: Pitch
    duration: 6s
  - id: break
    title: Break
    duration: 6s
    at: "15:00:24"
"""


def _ends_at(machine: Machine) -> float:
    """The instant (on the show clock) the current segment's countdown reads 0:00."""
    now = machine.now()
    return now["t"] + now["remaining_s"]


def _started_at(machine: Machine, index: int) -> float:
    """Once segment ``index`` runs: the instant (on the show clock) it started."""
    now = wait_for(f"segment {index + 1} to start",
                   lambda: (n := machine.now())["index"] == index and n["status"] == "running"
                   and n)  # fmt: skip
    return now["t"] - now["elapsed_s"]


def test_a_roll_show_flips_on_the_follower_with_the_primary_and_rolls_on_after_a_takeover(
    tmp_path, machines
):
    """A live roll show: the clock starts every segment, nothing is journaled. The MC's
    laptop's wall clock is stepped after the show was opened there (NTP at the venue); the
    follower that joins then still starts the segments at the primary's instants, not at
    the instants the primary's wall clock now names. R on the follower is journaled on the
    primary (source ``peer``); after a takeover mid-segment the new primary rolls on at the
    same instants."""
    agenda = tmp_path / "roll.yaml"
    agenda.write_text(ROLL, encoding="utf-8")
    env, offset = _faketime(tmp_path, dt.datetime(2025, 4, 17, 14, 59, 55, tzinfo=ZoneInfo("UTC")))
    a = Machine([str(agenda)], tmp_path / "a", tmp_path / "a.log", env=env)
    machines.append(a)
    assert a.ready() is not None
    offset.write_text(f"{int(offset.read_text()) + 3:+d}\n")  # the MC's wall clock: 3 s on
    wait_for("the step said", lambda: "clock" in a.now()["notices"])
    b = start_follower(tmp_path, "b", a)
    machines.append(b)
    assert _started_at(b, 0) == pytest.approx(_started_at(a, 0), abs=FLIP_S)
    assert _ends_at(b) == pytest.approx(_ends_at(a), abs=FLIP_S)
    pitch_at, break_at = (_planned_instant(a, i) for i in (1, 2))
    for on in ("off", "on"):  # R on the stage manager's laptop: the MC takes over, hands back
        assert b.command("roll", on)["applied"]
    b.wait_following(rows=2)
    assert [(e.action.name, e.action.args, e.action.source) for e in entries(a.state)] == [
        ("roll", {"on": False}, "peer"),
        ("roll", {"on": True}, "peer"),
    ]
    a.kill()
    wait_for("the follower to see it", lambda: not b.status()["connected"], SILENT_SAID_S)
    assert b._get("/api/takeover")["applied"]
    assert _started_at(b, 1) == pytest.approx(pitch_at, abs=FLIP_S)
    assert _started_at(b, 2) == pytest.approx(break_at, abs=FLIP_S)
    assert [e.action.name for e in entries(b.state)] == ["roll", "roll"]  # the clock did it


def _planned_instant(machine: Machine, index: int) -> float:
    """Segment ``index``'s projected start as an instant of the show clock."""
    doc = machine._get("/api/state")
    assert doc is not None
    return doc["segments"][index]["projected_start"] - (doc["clock"]["wall"] - doc["clock"]["show"])


CUED = """\
event:
  title: Cues on two laptops
  date: 2025-04-17
  start: 15:00
  end: 16:00
programme:
  - id: welcome
    title: Welcome
    duration: 5m
  - id: lights
    title: Keynote
    duration: 5m
    cue: {{text: Lights up, command: [sh, -c, 'echo $PPID >> {ran}']}}
  - id: reel
    title: Sponsor reel
    duration: 5m
    cue: {{text: Roll the reel, command: [sh, -c, 'echo $PPID >> {ran}']}}
  - id: panel
    title: Panel
    duration: 5m
    cue: {{text: Panel mics, command: [sh, -c, 'echo $PPID >> {ran}']}}
"""


def _ran(ran: Path) -> list[int]:
    """The process ids of the laptops that ran a cue command, one line per command run."""
    return [int(line) for line in ran.read_text().split()] if ran.exists() else []


def test_a_cue_command_runs_once_on_the_laptop_that_runs_the_show(tmp_path, machines):
    """Both laptops' operators allowed the agenda's cue commands: when a cued segment starts,
    its command runs on the MC's laptop only (a lighting cue fires once, not once per
    laptop), and the follower asks nothing (it runs none). After a takeover the new primary
    runs them, but only with its own operator's yes: asked at the takeover (the notice bar
    says so) and nothing run until allowed."""
    from peer_proc import start_primary

    from runofshow.core.consent import APPROVALS_NAME, CommandConsent
    from runofshow.core.loader import load_agenda

    ran = tmp_path / "ran.txt"
    agenda = tmp_path / "cued.yaml"
    agenda.write_text(CUED.format(ran=ran), encoding="utf-8")
    for laptop in ("a", "b"):
        CommandConsent(tmp_path / laptop).approve(load_agenda(agenda))
    a = start_primary(tmp_path, "a", agenda)
    machines.append(a)
    b = start_follower(tmp_path, "b", a)
    machines.append(b)
    assert "commands" not in b.now()["notices"]  # nothing to ask here: it runs none
    assert a.command("start")["applied"]
    assert b.command("next")["applied"]  # the keynote: lights up
    wait_for("the cue command to run", lambda: _ran(ran))
    time.sleep(1.0)  # time for a second laptop to run it too, if it would
    assert _ran(ran) == [a.proc.pid]
    (b.state / APPROVALS_NAME).unlink()  # as if the stage manager had never said yes
    a.kill()
    wait_for("the follower to see it", lambda: not b.status()["connected"], SILENT_SAID_S)
    assert b._get("/api/takeover")["applied"]
    assert "allowed" in b.now()["notices"]["commands"]  # asked here now
    assert b.command("next")["applied"]  # the reel: not allowed on this laptop
    time.sleep(1.0)
    assert _ran(ran) == [a.proc.pid]
    CommandConsent(b.state).approve(load_agenda(agenda))  # its operator says yes
    time.sleep(0.6)  # (not two nexts within 0.5 s: the second would be a clicker's bounce)
    assert b.command("next")["applied"]  # the panel
    wait_for("the cue command to run", lambda: len(_ran(ran)) == 2)
    assert _ran(ran) == [a.proc.pid, b.proc.pid]


def test_the_stage_managers_commands_on_a_follower_count_once_on_the_primary(tmp_path, machines):
    """GO and acknowledge (G, A) and the landing plan given on the stage manager's laptop,
    by HTTP, by its browser views' WebSocket and by OSC pointed at it: each is sent to the
    MC's laptop and journaled there once (source ``peer``), and both laptops show the cue
    alike. The follower journals nothing of its own: the show is not forked."""
    import json
    import socket

    from peer_proc import start_primary
    from pythonosc.osc_message_builder import OscMessageBuilder
    from torture_proc import PIN
    from websockets.sync.client import connect

    agenda = tmp_path / "cued.yaml"
    agenda.write_text(CUED.format(ran=tmp_path / "ran.txt"), encoding="utf-8")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        osc_port = probe.getsockname()[1]
    a = start_primary(tmp_path, "a", agenda)
    machines.append(a)
    b = start_follower(tmp_path, "b", a, "--osc", f"127.0.0.1:{osc_port}")
    machines.append(b)
    assert a.command("start")["applied"]
    assert a.command("add", "-285")["applied"]  # the keynote's cue comes into STANDBY
    b.wait_following(rows=2)
    assert [_cue(m)["state"] for m in (a, b)] == ["standby", "standby"]
    assert b.command("go")["applied"]  # G on the stage manager's laptop
    b.wait_following(rows=3)
    assert [(_cue(m)["state"], m.now()["index"]) for m in (a, b)] == [("go", 1), ("go", 1)]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as osc:  # A, from Companion
        osc.sendto(OscMessageBuilder("/runofshow/acknowledge").build().dgram,
                   ("127.0.0.1", osc_port))  # fmt: skip
    b.wait_following(rows=4)
    assert [_cue(m)["state"] for m in (a, b)] == [None, None]
    with connect(f"ws://{b.address}/ws?pin={PIN}") as ws:  # the backstage view's socket
        ws.send(json.dumps({"kind": "command", "name": "land", "args": {}, "id": 1}))
        ack = wait_for("the answer", lambda: (m := json.loads(ws.recv()))["kind"] == "ack" and m)
    assert ack["applied"] and ack["seq"] == 5
    b.wait_following(rows=5)
    journal = [(e.action.name, e.action.source) for e in entries(a.state)]
    assert journal == [
        ("start", "http"),
        ("add_time", "http"),
        ("goto", "peer"),  # GO: the cued segment starts now
        ("acknowledge", "peer"),
        ("plan", "peer"),
    ]
    assert [(e.action.name, e.action.source) for e in entries(b.state)] == journal


def _cue(machine: Machine) -> dict:
    doc = machine._get("/api/state")
    assert doc is not None
    return doc["cue"] or {"state": None}


NIGHT = """\
event:
  title: Night on two laptops
  date: 2025-04-17
  start: 23:50
  end: 00:30
  timezone: UTC
programme:
  - id: late
    title: Late set
    duration: 20m
  - id: midnight
    title: After midnight
    duration: 10m
    at: 00:10
  - id: last
    title: Last call
    duration: 10m
"""


def test_a_follower_joined_after_midnight_follows_the_night_it_began(tmp_path, machines):
    """A night event (23:50 to 00:30) opened on the MC's laptop at 00:05 is filed under the
    evening it began; the stage manager's laptop joining then shows the same night: the same
    date, the same planned times (00:10 the next day, not the day after), the same segment,
    and its report says so."""
    from peer_proc import report

    agenda = tmp_path / "night.yaml"
    agenda.write_text(NIGHT, encoding="utf-8")
    env, _offset = _faketime(tmp_path, dt.datetime(2025, 4, 18, 0, 5, tzinfo=ZoneInfo("UTC")))
    a = Machine([str(agenda)], tmp_path / "a", tmp_path / "a.log", env=env)
    machines.append(a)
    assert a.ready() is not None
    assert a.command("start")["applied"]
    b = start_follower(tmp_path, "b", a, env=env)
    machines.append(b)
    b.wait_following(rows=1)
    docs = [m._get("/api/state") for m in (a, b)]
    for doc in docs:
        assert doc["show"]["date"] == "2025-04-17" and doc["current"]["id"] == "late"
        pinned = doc["segments"][1]["planned_start"]
        assert pinned == dt.datetime(2025, 4, 18, 0, 10, tzinfo=ZoneInfo("UTC")).timestamp()
    assert [s["planned_start"] for s in docs[0]["segments"]] == [
        s["planned_start"] for s in docs[1]["segments"]
    ]
    done = report(b.state)
    assert done.returncode == 0, done.stderr
    assert "00:10:00 +1" in done.stdout and "on 2025-04-17" in done.stdout
