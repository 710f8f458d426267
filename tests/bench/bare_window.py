"""The baseline: a bare PySide6 window counting down, with nothing of runofshow in it.

A ``QMainWindow`` whose central label shows ``M:SS``; one single-shot ``Qt.PreciseTimer`` is
armed for each second boundary, computed the same way as the app does (from a fixed zero
instant, plus a millisecond so the wake lands after the flip). It speaks the same probes as
the app: ``RUNOFSHOW_TRACE=FILE`` (three columns: clock at paint, text, zero instant) and
``RUNOFSHOW_EXIT_AFTER_FIRST_PAINT=1``, so the harness measures both the same way.

Run as ``python bare_window.py SECONDS`` (the countdown's length; it starts at once).
"""

from __future__ import annotations

import math
import os
import sys
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

WAKE_MARGIN_S = 0.001
CLOCK_BOOTTIME = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)


def show_clock() -> float:
    """The clock runofshow's live shows use (CLOCK_BOOTTIME), so traces compare directly."""
    return time.clock_gettime(CLOCK_BOOTTIME)


def countdown_text(remaining: float) -> str:
    """Whole seconds rounded up while counting down, down in overtime (as the app shows)."""
    shown = math.ceil(remaining - 1e-9) if remaining > 0 else math.floor(-remaining + 1e-9)
    text = f"{shown // 60}:{shown % 60:02d}"
    return text if remaining > 0 else "+" + text


class TracedLabel(QLabel):
    """A label that appends a trace line after each paint, and may exit after the first."""

    def __init__(self, zero_at: float) -> None:
        super().__init__()
        self.zero_at = zero_at
        path = os.environ.get("RUNOFSHOW_TRACE")
        self.trace = open(path, "a", encoding="utf-8", buffering=1) if path else None  # noqa: SIM115
        self.exit_after_paint = os.environ.get("RUNOFSHOW_EXIT_AFTER_FIRST_PAINT", "") not in (
            "",
            "0",
        )

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.trace is not None:
            self.trace.write(f"{show_clock():.6f}\t{self.text()}\t{self.zero_at:.6f}\n")
        if self.exit_after_paint:
            self.exit_after_paint = False
            sys.stdout.write(f"first-paint {time.monotonic():.6f} {peak_rss_kb()}\n")
            sys.stdout.flush()
            QTimer.singleShot(0, lambda: os._exit(0))


def peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Countdown:
    """Arms one precise single-shot timer per second boundary and sets the label's text."""

    def __init__(self, label: TracedLabel) -> None:
        self.label = label
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.refresh)

    def refresh(self) -> None:
        remaining = self.label.zero_at - show_clock()
        self.label.setText(countdown_text(remaining))
        frac = remaining - math.floor(remaining)
        wait = (frac if frac > 1e-9 else 1.0) + WAKE_MARGIN_S
        self.timer.start(max(1, round(wait * 1000)))


def main(argv: list[str]) -> int:
    seconds = float(argv[1]) if len(argv) > 1 else 300.0
    app = QApplication(argv[:1])
    label = TracedLabel(show_clock() + seconds)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = QFont()
    font.setPixelSize(200)
    font.setBold(True)
    label.setFont(font)
    window = QMainWindow()
    window.setCentralWidget(label)
    window.resize(1536, 864)
    countdown = Countdown(label)
    countdown.refresh()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
