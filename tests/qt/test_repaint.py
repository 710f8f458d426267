"""Repaints are scheduled for the instant the shown value flips, never by counting ticks."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication
from qt_helpers import advance, make_window

from runofshow._qt.show.controller import EARLY_WAKE_S, order_row
from runofshow._qt.show.display import FLASH_HALF_PERIOD_S, flash_on, next_change_in
from runofshow._qt.testing import probes_from_env
from runofshow._qt.testing.trace import TRACE_ENV, RepaintTrace
from runofshow.core.clock import SystemClock


def test_wake_is_armed_for_the_next_second_flip(window, engine, clock):
    """With 4:59.3 left, the next flip is 0.3 s away (plus a millisecond to land after it);
    the timer is armed a few ms before it and the wake sleeps off the rest."""
    engine.start()
    advance(window, clock, 0.7)
    timer = window.host.controller.timer
    assert timer.isActive() and timer.isSingleShot()
    assert timer.interval() == 301 - round(EARLY_WAKE_S * 1000)


def test_overtime_wakes_for_the_flash_too(window, engine, clock):
    """In overtime the flash half-period (0.25 s) comes before the next second."""
    engine.start()
    engine.goto(1)
    advance(window, clock, 300.1)
    flash_ms = round((FLASH_HALF_PERIOD_S - 0.1 + 0.001 - EARLY_WAKE_S) * 1000)
    assert window.host.controller.timer.interval() == flash_ms


def test_a_running_countdown_wakes_once_a_second_not_for_the_wall_clock(window, engine, clock):
    """Started 0.4 s into a wall second, the countdown flips 0.4 s after each wall second:
    the window wakes only for the countdown (the time of day shows minutes), so the laptop
    is woken once a second, not twice."""
    clock.advance(0.4)
    engine.start()
    advance(window, clock, 0.3)  # wall .7 into its second; the countdown flips in 0.7 s
    assert window.host.controller.display.clock == "15:00"
    assert window.host.controller.timer.interval() == 701 - round(EARLY_WAKE_S * 1000)


def test_the_time_of_day_wakes_the_window_at_its_minute(window, engine, clock):
    """Between two countdown flips the wall minute turns: the window wakes for it, so the
    clock never shows the old minute for up to a second."""
    clock.advance(0.4)
    engine.start()
    advance(window, clock, 59.4)  # 15:00:59.8; the countdown flips at 15:01:00.4
    assert window.host.controller.display.clock == "15:00"
    assert window.host.controller.timer.interval() == 201 - round(EARLY_WAKE_S * 1000)
    advance(window, clock, 0.2)
    assert window.host.controller.display.clock == "15:01"


def test_paused_show_wakes_only_for_the_time_of_day(window, engine, clock):
    """Paused, the countdown stands still: the only flip left is the clock on the wall."""
    engine.start()
    advance(window, clock, 10.6)
    window.host.execute("pause")
    assert window.host.controller.timer.interval() == 401 - round(EARLY_WAKE_S * 1000)


def test_an_early_wake_paints_the_flip_at_its_instant_not_before(window, engine, clock):
    """The timer fires early; the wake waits out the rest before reading the clock, so the
    new value is never painted before its second has begun."""
    engine.start()
    advance(window, clock, 0.7)
    controller = window.host.controller
    due = controller._due = time.perf_counter() + 0.003
    controller._wake()
    assert time.perf_counter() >= due


def test_rehearsal_speed_shortens_the_wait(engine):
    """At 60x a show second lasts 1/60 of a real second."""
    now = replace(engine.now(), speed=60.0, wall=engine.now().wall + 0.5)
    assert next_change_in(now) == pytest.approx(0.5 / 60 + 0.001)


def test_flash_follows_real_time_not_show_time(engine, clock):
    """A 60x rehearsal flashes at the same 2 Hz as a live show."""
    engine.start()
    engine.goto(1)
    clock.advance(300.3)
    now = engine.now()
    assert flash_on(now) is False  # 0.3 s over: second quarter-second
    fast = replace(now, speed=60.0, overtime_s=0.3 * 60)
    assert flash_on(fast) is False


def test_nothing_changed_means_no_repaint(window, engine, clock):
    """Waking when no shown value changed does not repaint the countdown; a flip does."""
    painted: list[str] = []
    window.view.countdown.on_paint = painted.append
    engine.start()
    advance(window, clock, 0.5)
    QApplication.processEvents()
    painted.clear()
    advance(window, clock, 0.2)
    window.host.controller.refresh()
    QApplication.processEvents()
    assert painted == []
    advance(window, clock, 0.4)
    QApplication.processEvents()
    assert painted == ["4:59"]


def test_the_timer_drives_the_display_by_itself(qtbot, window, engine, clock):
    """Without anybody calling refresh, the armed wake repaints the new value."""
    engine.start()
    window.host.controller.refresh()
    clock.advance(1.0)
    with qtbot.waitSignal(window.host.controller.display_changed, timeout=3000):
        pass
    assert window.view.countdown.text() == "4:59"


def test_trace_file_has_a_line_per_countdown_repaint(qtbot, monkeypatch, tmp_path, engine, clock):
    """RUNOFSHOW_TRACE=FILE appends the show clock reading, the value, the instant the
    countdown reads 0:00 (the benchmark's reference for every second's boundary) and the
    machine's own boot-time clock (a follower's show clock is its primary's)."""
    trace = tmp_path / "trace.tsv"
    monkeypatch.setenv(TRACE_ENV, str(trace))
    window = make_window(qtbot, clock)
    window.host.start_show(engine)
    probes_from_env(window)  # what main() does once the window is up
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    engine.start()
    for _ in range(3):
        advance(window, clock, 1.0)
        QApplication.processEvents()
    window.close()
    lines = [line.split("\t") for line in trace.read_text().splitlines()]
    zero = f"{clock.monotonic() - 3 + 300:.6f}"
    assert [line[:3] for line in lines[-3:]] == [
        [f"{clock.monotonic() - 2:.6f}", "4:59", zero],
        [f"{clock.monotonic() - 1:.6f}", "4:58", zero],
        [f"{clock.monotonic():.6f}", "4:57", zero],
    ]
    machine = [float(line[3]) for line in lines[-3:]]  # the real clock: it moved on its own
    assert machine == sorted(machine) and machine[-1] <= SystemClock().monotonic()


def test_trace_zero_column_is_empty_while_the_countdown_stands_still(tmp_path):
    """Before the show starts (or paused) there is no zero instant: the column is empty."""
    trace = RepaintTrace(str(tmp_path / "t.tsv"), lambda: 12.5, lambda: None)
    trace("5:00")
    trace.close()
    assert (tmp_path / "t.tsv").read_text() == "12.500000\t5:00\t\n"


def test_trace_without_a_zero_source_keeps_two_columns(tmp_path):
    """The original two-column format stays for callers that give no zero instant."""
    trace = RepaintTrace(str(tmp_path / "t.tsv"), lambda: 1.0)
    trace("4:59")
    trace.close()
    assert (tmp_path / "t.tsv").read_text() == "1.000000\t4:59\n"


def test_running_order_is_rebuilt_only_when_its_rows_can_change(window, engine, clock):
    """Within a segment's slot the rows are fixed: no projection per second; an action
    rebuilds."""
    engine.start()
    advance(window, clock, 0.5)
    calls = []
    real = engine.projection
    engine.projection = lambda: calls.append(1) or real()
    for _ in range(5):
        advance(window, clock, 1.0)
    assert calls == []
    window.host.execute("add", {"seconds": 60})
    assert calls == [1]


def test_cached_running_order_always_equals_a_fresh_one(window, engine, clock):
    """Through pauses, overtime, added time, going back and undo, the rows shown are exactly
    what rebuilding them from the timeline at that instant gives."""
    controller = window.host.controller
    steps = [
        ("start", {}),
        ("add", {"seconds": -240}),
        ("pause", {}),
        ("resume", {}),
        ("goto", {"segment": "4"}),
        ("previous", {}),
        ("undo", {}),
        ("add", {"seconds": 10}),
    ]
    for name, args in steps:
        window.host.execute(name, args)
        for _ in range(40):
            advance(window, clock, 7.3)
            shown = tuple(controller.order)  # formatted as painted, from the kept projection
            fresh = tuple(
                order_row(times, engine.agenda, engine.local_time)
                for times in engine.timeline().segments
            )
            assert shown == fresh
