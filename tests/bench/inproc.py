"""In-process Qt measurements, run as a child of the harness under its Xvfb (xcb platform).

``python inproc.py latency N AGENDA STATE`` — key press to repainted countdown, N times: a
``QTest`` key event is delivered (shortcut -> action -> engine -> journal -> controller), then
the event loop runs until the countdown's paint hook reports the new value.

``python inproc.py scale N AGENDA STATE`` — an N-segment agenda: load + check, opening the
MC's window to its first countdown paint, opening the stage manager's table (when the stage
side is importable), the repaint loop's per-flip refresh, and one "next" with its repaint.

Each prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from runofshow._qt.app import main as app_main
from runofshow._qt.windows.mc_window import McWindow

Key = Qt.Key


def pump_until(done: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not repaint")


def pump_for(seconds: float) -> None:
    """Run the event loop for ``seconds`` (timer wakes interleave as they would live)."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


class PaintWatch:
    """Chains onto the countdown's paint hook; records when each value was painted."""

    def __init__(self, window: McWindow) -> None:
        self.countdown = window.view.countdown
        self.previous = self.countdown.on_paint
        self.painted: list[tuple[float, str]] = []
        self.countdown.on_paint = self

    def __call__(self, text: str) -> None:
        self.painted.append((time.perf_counter(), text))
        if self.previous is not None:
            self.previous(text)

    def wait_change(self, since: int) -> float:
        pump_until(lambda: len(self.painted) > since)
        return self.painted[-1][0]


class PaintCount(QObject):
    """Counts the paint events of one widget (the stage manager's table viewport), so "next +
    repaint" waits for that window's frame too, not only the MC's countdown."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def open_window(agenda: Path, state: Path) -> tuple[McWindow, float]:
    """The MC's window as ``runofshow AGENDA`` builds it; seconds to its first paint."""
    args = app_main.parse_args([str(agenda), "--state-dir", str(state), "--mute"])
    app_main.application([])
    t0 = time.perf_counter()
    window = app_main.create_window(args)
    watch = PaintWatch(window)
    window.resize(1366, 768)
    window.show()
    watch.wait_change(0)
    window.activateWindow()
    return window, watch.painted[0][0] - t0


def latency(count: int, agenda: Path, state: Path) -> dict:
    window, _ = open_window(agenda, state)
    watch = PaintWatch(window)
    pump_for(0.5)
    QTest.keyClick(window, Key.Key_Space)
    pump_for(0.5)
    samples = []
    for i in range(count):
        key = Key.Key_Plus if i % 2 == 0 else Key.Key_Minus
        since = len(watch.painted)
        t0 = time.perf_counter()
        QTest.keyClick(window, key)
        samples.append((watch.wait_change(since) - t0) * 1000)
        pump_for(0.02 + (i % 7) * 0.01)  # let timer wakes interleave as they would live
    window.host.controller.stop()  # no close(): a live show would ask before quitting
    ordered = sorted(samples)
    return {
        "presses": count,
        "p50_ms": statistics.median(samples),
        "p99_ms": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
        "max_ms": ordered[-1],
    }


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``action`` over ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        action()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def stage_table_ms(window: McWindow) -> float | None:
    """Seconds to build and first paint the stage manager's window, if the stage side exists."""
    t0 = time.perf_counter()
    side = window.stage_slot.build()
    if side is None:
        return None
    manager = side.manager
    manager.resize(1366, 768)
    manager.show()
    QApplication.processEvents()
    QApplication.sendPostedEvents()
    manager.repaint()
    elapsed = time.perf_counter() - t0
    window._bench_stage_side = side  # keep it alive for the "next" measurement
    window._bench_table_paints = PaintCount(manager.table.viewport())
    return elapsed * 1000


NEXTS = 9  # presses per "next + repaint" figure (median)


def flip_and_next(window: McWindow, watch: PaintWatch) -> tuple[float, float]:
    """Median ms of the repaint loop's refresh when the second flips, and of "next": the
    PageDown key to the repainted countdown, then the rest of the frame: the MC's running
    order (painted in the same pass as the countdown) and, when the stage manager's window
    is open, its table repainted with the new current row."""
    controller = window.host.controller
    table: PaintCount | None = getattr(window, "_bench_table_paints", None)

    def flip() -> None:
        controller.display = None  # as if the shown second changed
        controller.refresh()

    refresh_s = timed(flip, 5)
    nexts = []
    for _ in range(NEXTS):
        pump_for(0.6)  # past the clicker-bounce guard
        since = len(watch.painted)
        table_since = table.count if table is not None else 0
        t0 = time.perf_counter()
        QTest.keyClick(window, Key.Key_PageDown)
        watch.wait_change(since)
        QApplication.processEvents()  # the rest of the frame
        if table is not None:
            pump_until(lambda: table.count > table_since)  # noqa: B023 (used at once)
        nexts.append(time.perf_counter() - t0)
    return refresh_s * 1000, statistics.median(nexts) * 1000


def scale(count: int, agenda: Path, state: Path) -> dict:
    from runofshow.core.loader import agenda_warnings, load_agenda

    repeat = 1 if count >= 20_000 else 3
    load_s = timed(lambda: agenda_warnings(load_agenda(agenda)), repeat)
    # First open: the agenda is new, so it is validated in a child process; the second open
    # (the same file, say after a restart) comes from the cache of validated agendas.
    first, open_new_s = open_window(agenda, state)
    first.host.controller.stop()
    first.hide()
    first.deleteLater()
    pump_for(0.2)
    window, open_s = open_window(agenda, state)
    watch = PaintWatch(window)
    window.host.execute("start")
    refresh_ms, next_ms = flip_and_next(window, watch)
    stage_ms = stage_table_ms(window)
    staged = flip_and_next(window, watch) if stage_ms is not None else (None, None)
    window.host.controller.stop()  # no close(): a live show would ask before quitting
    return {
        "segments": count,
        "load_check_ms": load_s * 1000,
        "open_window_new_ms": open_new_s * 1000,
        "open_window_ms": open_s * 1000,
        "open_stage_table_ms": stage_ms,
        "refresh_per_flip_ms": refresh_ms,
        "next_ms": next_ms,
        "refresh_per_flip_with_stage_ms": staged[0],
        "next_with_stage_ms": staged[1],
    }


def main(argv: list[str]) -> int:
    what, count, agenda, state = argv[1], int(argv[2]), Path(argv[3]), Path(argv[4])
    QApplication.instance() or QApplication([argv[0]])
    result = latency(count, agenda, state) if what == "latency" else scale(count, agenda, state)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
