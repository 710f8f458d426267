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


@pytest.fixture
def machines():
    """Every process a test starts, killed and reaped at the end whatever happens."""
    started: list[Machine] = []
    yield started
    for machine in started:
        machine.close()


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
