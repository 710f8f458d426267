"""Probes for the benchmarks (``tests/bench/run.py``); both are off unless asked for.

``RUNOFSHOW_TRACE=FILE`` appends one line per countdown repaint::

    <show clock at paint>\\t<text shown>[\\t<show clock instant the countdown reads 0:00>
    [\\t<this machine's boot-time clock at paint>]]

The clock is read at paint time, so the benchmark can compare when a value appeared against
when it became due. The third column (empty while the countdown stands still) lets it compute
every second's true boundary without knowing when the show was started; lines written without
a ``zero_at`` source keep the original two columns. The fourth is the machine's own clock: a
follower's show clock is its primary's as it measures it (docs/two-machines.md), and the
benchmark holds a follower's flips against the primary's boundaries on the one clock both
processes share.

``RUNOFSHOW_EXIT_AFTER_FIRST_PAINT=1`` prints ``first-paint <time.monotonic()> <peak RSS kB>``
once the countdown has painted its first frame, then exits: the start-up benchmark times the
launch to that line against a bare PySide6 window doing the same.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

from PySide6.QtCore import QTimer

TRACE_ENV = "RUNOFSHOW_TRACE"
EXIT_AFTER_FIRST_PAINT_ENV = "RUNOFSHOW_EXIT_AFTER_FIRST_PAINT"

PaintHook = Callable[[str], None]


class RepaintTrace:
    """Appends a line for each repaint; the file stays open and is flushed per line."""

    def __init__(
        self,
        path: str,
        clock: Callable[[], float],
        zero_at: Callable[[], float | None] | None = None,
        machine: Callable[[], float] | None = None,
    ) -> None:
        self._file: TextIO = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        self.clock = clock
        self.zero_at = zero_at
        self.machine = machine

    def __call__(self, text: str) -> None:
        line = f"{self.clock():.6f}\t{text}"
        if self.zero_at is not None:
            zero = self.zero_at()
            line += "\t" if zero is None else f"\t{zero:.6f}"
            if self.machine is not None:
                line += f"\t{self.machine():.6f}"
        self._file.write(line + "\n")

    def close(self) -> None:
        self._file.close()


def trace_from_env(
    clock: Callable[[], float],
    zero_at: Callable[[], float | None] | None = None,
    machine: Callable[[], float] | None = None,
) -> RepaintTrace | None:
    """The trace the environment asks for, if any."""
    path = os.environ.get(TRACE_ENV)
    return RepaintTrace(path, clock, zero_at, machine) if path else None


def peak_rss_kb() -> int:
    """This process's peak resident set (VmHWM) in kB; 0 where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def first_paint_probe(previous: PaintHook | None) -> PaintHook:
    """A paint hook that reports the first paint and ends the process, after ``previous``.

    The exit is queued (zero-delay timer) so the frame just painted is flushed to the window
    first; ``os._exit`` skips saving settings, which a timing run must not change."""
    fired = False

    def hook(text: str) -> None:
        nonlocal fired
        if previous is not None:
            previous(text)
        if fired:
            return
        fired = True
        sys.stdout.write(f"first-paint {time.monotonic():.6f} {peak_rss_kb()}\n")
        sys.stdout.flush()
        QTimer.singleShot(0, lambda: os._exit(0))

    return hook


def exit_after_first_paint_requested() -> bool:
    return os.environ.get(EXIT_AFTER_FIRST_PAINT_ENV, "") not in ("", "0")
