"""The live timing run: the real window and the bare baseline side by side under one Xvfb.

Both windows count at real speed with ``RUNOFSHOW_TRACE`` on. Ours is started with Space
(xdotool, a real X key event); its first segment runs ``plan.overtime_at`` seconds, so the
same run covers the normal phase, a stretch with both cores busy, and flashing overtime. The
two processes share the machine, so the busy stretch loads both alike; their second
boundaries fall at unrelated instants, so they rarely wake together.

From the traces: every change of the shown value is a flip; its lateness is the show clock at
paint minus the boundary where the value became due, computed from the first running line's
zero instant (``zero_at``), so a drifting clock would show as lateness growing over the run.
"""

from __future__ import annotations

import itertools
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from xenv import (
    BENCH,
    PYTHON,
    app_env,
    busy_cores,
    cpu_seconds,
    interrupt_safe_sleep,
    peak_rss_kb,
    scratch,
    stop,
    wait_for,
    xvfb,
)

from agendas import write_timing_agenda

BARE_SECONDS = 24 * 3600  # the baseline never reaches overtime


@dataclass(frozen=True)
class Plan:
    """Seconds after Space: busy cores over [load_from, load_until), overtime from
    ``overtime_at``; CPU is sampled over ``cpu_span`` seconds of each phase."""

    load_from: float
    load_until: float
    overtime_at: float
    cpu_span: float


@dataclass(frozen=True)
class Flip:
    t: float  # show clock at paint
    step: int  # boundary in whole seconds from zero: -299 for "4:59", +12 for "+0:12"
    late_ms: float


def shown_step(text: str) -> int:
    """``4:59`` -> -299, ``+0:12`` -> 12, ``1:02:03`` -> -3723."""
    sign = 1 if text.startswith("+") else -1
    seconds = 0
    for part in text.lstrip("+").split(":"):
        seconds = seconds * 60 + int(part)
    return sign * seconds


def read_trace(path: Path) -> list[tuple[float, str, float | None]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        zero = float(parts[2]) if len(parts) > 2 and parts[2] else None
        rows.append((float(parts[0]), parts[1], zero))
    return rows


def flips(rows: list[tuple[float, str, float | None]]) -> tuple[list[Flip], float]:
    """Every time-driven change of the shown value while running; and how far the zero
    instant logged on later lines strayed from the first one (0 if nothing drifts)."""
    running = [r for r in rows if r[2] is not None]
    if not running:
        return [], 0.0
    zero0 = running[0][2]
    stray = max(abs(z - zero0) for _t, _text, z in running)
    out: list[Flip] = []
    for (_t0, before, _z0), (t, text, _z) in itertools.pairwise(running):
        if text != before:
            step = shown_step(text)
            out.append(Flip(t, step, (t - (zero0 + step)) * 1000))
    return out, stray


def steps_ok(seq: list[Flip]) -> tuple[int, int]:
    """(skipped, doubled) seconds: consecutive flips must move by exactly one second."""
    skipped = doubled = 0
    for a, b in itertools.pairwise(seq):
        gap = b.step - a.step
        if gap > 1:
            skipped += gap - 1
        elif gap < 1:
            doubled += 1
    return skipped, doubled


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


def stats_ms(values: list[float]) -> dict:
    """Count, median, p99 and worst of millisecond samples (latencies, lateness)."""
    return {
        "count": len(values),
        "p50_ms": percentile(values, 50),
        "p99_ms": percentile(values, 99),
        "max_ms": max(values, default=float("nan")),
    }


def lateness_stats(seq: list[Flip]) -> dict:
    late = [f.late_ms for f in seq]
    return {
        "flips": len(seq),
        "p50_ms": percentile(late, 50),
        "p99_ms": percentile(late, 99),
        "max_ms": max(late) if late else float("nan"),
    }


def drift_ms(seq: list[Flip], window: int = 30) -> float:
    """Median lateness of the last flips minus that of the first: 0 if flips stay aligned."""
    if len(seq) < 2:
        return float("nan")
    n = min(window, len(seq) // 2)
    first = statistics.median(f.late_ms for f in seq[:n])
    last = statistics.median(f.late_ms for f in seq[-n:])
    return last - first


def in_span(seq: list[Flip], start: float, stop_: float, origin: float) -> list[Flip]:
    return [f for f in seq if start <= f.t - origin < stop_]


def press_space(display: str, pid: int) -> None:
    """Focus our window and press Space with xdotool (an X key event through the server)."""
    env = {"DISPLAY": display}
    found = subprocess.run(
        ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(pid)],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    window = found.stdout.split()[-1]
    subprocess.run(
        ["xdotool", "windowfocus", "--sync", window, "key", "space"],
        env=env,
        timeout=20,
        check=True,
    )


def cpu_percent(pid: int, seconds: float) -> float:
    before, t0 = cpu_seconds(pid), time.monotonic()
    interrupt_safe_sleep(seconds)
    return (cpu_seconds(pid) - before) / (time.monotonic() - t0) * 100


class LiveRun:
    """Starts both windows, runs the plan, and returns the figures."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.home = scratch("live")
        self.ours_trace = self.home / "ours.tsv"
        self.bare_trace = self.home / "bare.tsv"
        self.result: dict = {}

    def run(self) -> dict:
        agenda = write_timing_agenda(self.home, round(self.plan.overtime_at))
        with xvfb() as display:
            ours = subprocess.Popen(
                [PYTHON, "-m", "runofshow", str(agenda), "--mute"],
                env=app_env(display, self.home / "ours", RUNOFSHOW_TRACE=str(self.ours_trace)),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            bare = subprocess.Popen(
                [PYTHON, str(BENCH / "bare_window.py"), str(BARE_SECONDS)],
                env=app_env(display, self.home / "bare", RUNOFSHOW_TRACE=str(self.bare_trace)),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                self._drive(display, ours, bare)
            finally:
                stop(ours)
                stop(bare)
        self._analyse()
        return self.result

    def _drive(self, display: str, ours: subprocess.Popen, bare: subprocess.Popen) -> None:
        plan = self.plan
        wait_for(lambda: self.ours_trace.exists() and self.ours_trace.stat().st_size, 30, "paint")
        wait_for(lambda: self.bare_trace.exists() and self.bare_trace.stat().st_size, 30, "bare")
        interrupt_safe_sleep(1.0)  # let the sound output and stage side load after the first frame
        press_space(display, ours.pid)
        start = time.monotonic()

        def until(offset: float) -> None:
            interrupt_safe_sleep(start + offset - time.monotonic())

        until(1.0)
        span = min(plan.cpu_span, plan.load_from - 1.0)
        ours_cpu, bare_cpu = self._cpu_pair(ours.pid, bare.pid, span)
        self.result["cpu_normal"] = {"ours": ours_cpu, "bare": bare_cpu, "seconds": span}
        until(plan.load_from)
        with busy_cores(2):
            until(plan.load_until)
        until(plan.overtime_at + 1.0)
        span = plan.cpu_span
        ours_cpu, bare_cpu = self._cpu_pair(ours.pid, bare.pid, span)
        self.result["cpu_overtime"] = {"ours": ours_cpu, "bare": bare_cpu, "seconds": span}
        self.result["rss_kb"] = {"ours": peak_rss_kb(ours.pid), "bare": peak_rss_kb(bare.pid)}
        self.result["run_seconds"] = time.monotonic() - start

    @staticmethod
    def _cpu_pair(ours: int, bare: int, seconds: float) -> tuple[float, float]:
        """CPU % of one core of both processes over the same ``seconds``."""
        o0, b0, t0 = cpu_seconds(ours), cpu_seconds(bare), time.monotonic()
        interrupt_safe_sleep(seconds)
        elapsed = time.monotonic() - t0
        return (cpu_seconds(ours) - o0) / elapsed * 100, (cpu_seconds(bare) - b0) / elapsed * 100

    def _analyse(self) -> None:
        plan = self.plan
        ours, ours_stray = flips(read_trace(self.ours_trace))
        bare, bare_stray = flips(read_trace(self.bare_trace))
        origin = ours[0].t - 1.0 if ours else 0.0  # ~ when Space was pressed
        margin = 0.5  # flips right at a load switch belong to neither side
        idle = in_span(ours, 1.0, plan.load_from, origin) + in_span(
            ours, plan.load_until + margin, float("inf"), origin
        )
        loaded = in_span(ours, plan.load_from + margin, plan.load_until, origin)
        bare_idle = in_span(bare, 1.0, plan.load_from, origin) + in_span(
            bare, plan.load_until + margin, float("inf"), origin
        )
        bare_loaded = in_span(bare, plan.load_from + margin, plan.load_until, origin)
        self.result["lateness_idle"] = {
            "ours": lateness_stats(idle),
            "bare": lateness_stats(bare_idle),
        }
        self.result["lateness_loaded"] = {
            "ours": lateness_stats(loaded),
            "bare": lateness_stats(bare_loaded),
        }
        self.result["sequence"] = {
            "ours": dict(zip(("skipped", "doubled"), steps_ok(ours), strict=True)),
            "bare": dict(zip(("skipped", "doubled"), steps_ok(bare), strict=True)),
        }
        self.result["drift_real"] = {
            "ours_ms": drift_ms(ours),
            "bare_ms": drift_ms(bare),
            "ours_zero_stray_ms": ours_stray * 1000,
            "bare_zero_stray_ms": bare_stray * 1000,
            "span_s": (ours[-1].t - ours[0].t) if ours else 0.0,
        }
