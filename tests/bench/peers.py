"""Two machines, one show (docs/two-machines.md), measured with real processes under Xvfb.

Each figure is held against a baseline measured in the same run:

- **Follower flip lateness**: a primary and a follower counting the same live show for
  ``span`` seconds, both traced (``RUNOFSHOW_TRACE``, with the machine's boot-time clock in the
  fourth column). Every flip of the follower is held against the *primary's* boundary (its
  zero instant, on the boot-time clock both processes share on one machine): how late the
  follower shows each second of the primary's show. Baseline: the primary's own flips.
- **Catch-up**: a follower started on a show of ``actions`` journaled actions, from its
  process start to "caught up" (``/api/peer``: connected, holding every row). Baseline: the
  same on a show of one action (start-up and joining, without the rows).
- **Takeover**: the primary SIGKILLed; as soon as the follower says it is not connected it
  is told ``/api/takeover`` and ``/api/next``; the figure is the kill to the follower's first
  repaint of the next segment. Baseline: the same primary killed and *restarted* (what a crew
  without a standby does), then ``/api/next``: the kill to its first repaint.

Loopback only, bounded in count and time; every process is stopped by PID.
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from live import Flip, shown_step, stats_ms
from xenv import PYTHON, app_env, scratch, stop, wait_for, xvfb

from agendas import write_timing_agenda

PIN = "bench-pin"
PORT_LINE = "runofshow: serving "
BOOTTIME = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)


class Process:
    """One runofshow, started with a trace and served on a free loopback port."""

    def __init__(self, args: list[str], display: str, home: Path, name: str) -> None:
        self.trace = home / f"{name}.tsv"
        self.env = app_env(display, home / name, RUNOFSHOW_TRACE=str(self.trace))
        self.args = [*args, "--mute", "--serve", "127.0.0.1:0", "--pin", PIN]
        self.url = ""
        self.start()

    def start(self) -> None:
        self.started = time.clock_gettime(BOOTTIME)
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "runofshow", *self.args], env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        found: list[str] = []

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                if line.startswith(PORT_LINE) and not found:
                    found.append(line[len(PORT_LINE) :].strip().rstrip("/"))

        threading.Thread(target=read, daemon=True).start()
        wait_for(lambda: bool(found), 30, "the app's server")
        self.url = found[0]

    def get(self, path: str) -> dict:
        request = urllib.request.Request(self.url + path,
                                         headers={"Authorization": f"Bearer {PIN}"})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read())

    def kill(self) -> float:
        """SIGKILL; the boot-time instant it was sent."""
        at = time.clock_gettime(BOOTTIME)
        self.proc.kill()
        self.proc.wait(10)
        return at

    def stop(self) -> None:
        stop(self.proc)


def read_trace(path: Path) -> list[tuple[float, str, float | None, float | None]]:
    """(show clock, text, zero instant, machine clock) per repaint."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        zero = float(parts[2]) if len(parts) > 2 and parts[2] else None
        machine = float(parts[3]) if len(parts) > 3 and parts[3] else None
        rows.append((float(parts[0]), parts[1], zero, machine))
    return rows


def _flips(rows, boundary_zero: float, clock_column: int, since: float) -> list[Flip]:
    """Every change of the shown value after ``since`` (on the column's clock), held against
    the boundaries of ``boundary_zero`` (the primary's zero instant)."""
    out = []
    for before, row in itertools.pairwise(rows):
        at = row[clock_column]
        if row[1] != before[1] and row[2] is not None and at is not None and at >= since:
            step = shown_step(row[1])
            out.append(Flip(at, step, (at - (boundary_zero + step)) * 1000))
    return out


def _caught_up(process: Process, rows: int) -> bool:
    try:
        status = process.get("/api/peer")
    except (OSError, ValueError):
        return False
    return bool(status.get("connected")) and status.get("rows") == rows


def _running_zero(trace: Path) -> float:
    """The zero instant of the latest running repaint (waits until there is one)."""
    found: list[float] = []

    def running() -> bool:
        rows = read_trace(trace) if trace.exists() else []
        found[:] = [r[2] for r in rows if r[2] is not None][-1:]
        return bool(found)

    wait_for(running, 30, f"a running repaint in {trace.name}")
    return found[0]


def _first_new_segment_paint(trace: Path, zero_before: float | None, after: float) -> float:
    """The machine-clock instant of the first repaint after ``after`` whose countdown runs to
    another zero than ``zero_before`` (the next segment on screen)."""
    for _t, _text, zero, machine in read_trace(trace):
        if machine is not None and machine > after and zero is not None and zero != zero_before:
            return machine
    raise RuntimeError(f"no repaint of the next segment in {trace}")


def flips_run(display: str, home: Path, agenda: Path, span: float) -> dict:
    a = Process([str(agenda)], display, home, "flip-primary")
    b = None
    try:
        b = Process(["--join", a.url.removeprefix("http://")], display, home, "flip-follower")
        wait_for(lambda: _caught_up(b, 0), 30, "the follower")
        a.get("/api/start")
        since = time.clock_gettime(BOOTTIME) + 1.5  # the first flips settle
        time.sleep(1.5 + span)
        primary_rows = read_trace(a.trace)
        zero = _running_zero(a.trace)
        ours = _flips(read_trace(b.trace), zero, 3, since)
        base = _flips(primary_rows, zero, 0, since)
    finally:
        if b is not None:
            b.stop()
        a.stop()
    return {"follower": stats_ms([f.late_ms for f in ours]),
            "primary": stats_ms([f.late_ms for f in base])}  # fmt: skip


def catch_up_run(display: str, home: Path, agenda: Path, actions: int) -> dict:
    """Seconds from a follower's start to holding every row, with ``actions`` rows and with
    one."""
    result = {}
    for name, count in (("one", 1), ("many", actions)):
        a = Process([str(agenda)], display, home, f"cu-primary-{name}")
        try:
            a.get("/api/start")
            for n in range(count - 1):
                a.get(f"/api/{'add' if n % 2 == 0 else 'remove'}/10")
            b = Process(["--join", a.url.removeprefix("http://")], display, home,
                        f"cu-follower-{name}")  # fmt: skip
            try:
                wait_for(lambda b=b, count=count: _caught_up(b, count), 120, "the catch-up")
                result[name] = time.clock_gettime(BOOTTIME) - b.started
            finally:
                b.stop()
        finally:
            a.stop()
    result["actions"] = actions
    return result


def takeover_run(display: str, home: Path, agenda: Path) -> dict:
    """The kill to the first repaint of the next segment: on a promoted follower, and on the
    primary restarted instead."""
    a = Process([str(agenda)], display, home, "to-primary")
    b = Process(["--join", a.url.removeprefix("http://")], display, home, "to-follower")
    try:
        a.get("/api/start")
        wait_for(lambda: _caught_up(b, 1), 30, "the follower")
        time.sleep(1.0)
        zero = _running_zero(b.trace)
        killed = a.kill()
        wait_for(lambda: not b.get("/api/peer").get("connected"), 10, "the silence said", 0.002)
        assert b.get("/api/takeover").get("applied"), "the takeover was refused"
        assert b.get("/api/next").get("applied"), "next on the new primary was refused"
        wait_for(lambda: _repainted(b.trace, zero, killed), 10, "the new primary's repaint")
        promoted = _first_new_segment_paint(b.trace, zero, killed) - killed
    finally:
        b.stop()
        a.stop()
    lone = Process([str(agenda)], display, home, "to-restarted")
    try:
        lone.get("/api/start")
        time.sleep(1.0)
        zero = _running_zero(lone.trace)
        killed = lone.kill()
        lone.start()
        wait_for(lambda: lone.get("/api/next").get("applied"), 30, "the restarted app", 0.01)
        wait_for(lambda: _repainted(lone.trace, zero, killed), 10, "the restart's repaint")
        restarted = _first_new_segment_paint(lone.trace, zero, killed) - killed
    finally:
        lone.stop()
    return {"promoted_s": promoted, "restarted_s": restarted}


def _repainted(trace: Path, zero: float | None, after: float) -> bool:
    try:
        _first_new_segment_paint(trace, zero, after)
    except RuntimeError:
        return False
    return True


def _median_of(runs: list[dict]) -> dict:
    """Each figure's median over the runs (the runs themselves kept beside it)."""
    keys = [k for k, v in runs[0].items() if isinstance(v, float)]
    return {**{k: statistics.median(r[k] for r in runs) for k in keys}, "runs": runs,
            **{k: v for k, v in runs[0].items() if k not in keys}}  # fmt: skip


def peers_run(span: float, actions: int, repeats: int = 1) -> dict:
    """Every figure of the peers rows; the catch-up and the takeover are medians of
    ``repeats`` runs each (one sample a run), the flips are every flip of ``span`` seconds."""
    home = scratch("peers")
    agenda = write_timing_agenda(home, 3 * 3600)
    with xvfb() as display:
        return {
            "flips": flips_run(display, home, agenda, span),
            "catch_up": _median_of(
                [catch_up_run(display, home / f"cu{n}", agenda, actions) for n in range(repeats)]
            ),
            "takeover": _median_of(
                [takeover_run(display, home / f"to{n}", agenda) for n in range(repeats)]
            ),
        }


if __name__ == "__main__":
    span = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    actions = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    print(json.dumps(peers_run(span, actions, repeats), indent=1))
