"""Show-day torture of the MC's window (pytest-qt, offscreen): the agenda edited while the show
runs, hostile agendas opened and reloaded mid-show, a state folder that cannot be written and
a disk that fills up, no sound at all, a stage screen unplugged, and twelve hours of show with
constant memory. The fake clock drives time; nothing sleeps."""

from __future__ import annotations

import builtins
import importlib.util
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from qt_helpers import SHOW_DAY, advance, at, make_window, opened, reloaded

from runofshow._qt.app.main import create_window, parse_args
from runofshow._qt.windows.confidence_display import ConfidenceDisplay
from runofshow.core.agenda import Agenda, Defaults, Event, Kind, Segment
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine, Status
from runofshow.resources import default_agenda

_spec = importlib.util.spec_from_file_location(
    "hostile_cases", Path(__file__).parents[1] / "core" / "hostile_cases.py"
)
hostile = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("hostile_cases", hostile)  # dataclasses look their module up
_spec.loader.exec_module(hostile)

HEAD = """\
event:
  title: 핫 리로드
  date: 2022-11-30
  start: 15:00
  end: 15:30
  timezone: Asia/Seoul
programme:
"""


def agenda_text(*rows: tuple[str, str, str]) -> str:
    return HEAD + "".join(f"  - id: {i}\n    title: {t}\n    duration: {d}\n" for i, t, d in rows)


ROWS = [("open", "개회", "5m"), ("talk", "발표 오타", "10m"), ("close", "폐회", "5m")]


@pytest.fixture
def running(qtbot, tmp_path):
    """A shown window running the file-backed agenda: 2 min into "talk" (segment 1)."""
    path = tmp_path / "show.yaml"
    path.write_text(agenda_text(*ROWS), encoding="utf-8")
    clock = FakeClock(wall=at(15, 0))
    window = make_window(qtbot, clock)
    assert window.host.open_first(path)
    window.show()
    qtbot.waitExposed(window)
    window.host.execute("start")
    advance(window, clock, 30)
    window.host.execute("next")
    advance(window, clock, 120)
    return window, clock, path


def saved(qtbot, window, path: Path, text: str, notice: str) -> None:
    """Save ``text`` as an editor would (temporary file renamed over the agenda) and wait
    for the window's notice bar to say ``notice``."""
    window.host.clear_notice("agenda")  # the last save's brief notice may still be up
    temporary = path.with_name(".show.yaml.swp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    qtbot.waitUntil(lambda: notice in window.view.notice.text(), timeout=5000)


def test_hot_reload_takes_valid_edits_in_place_and_keeps_the_old_agenda_on_errors(qtbot, running):
    """Edits saved while the show runs: a title fixed, a segment added after the current one,
    the current one deleted — each applies at once with position and elapsed time kept and a
    brief notice; an invalid save is reported in the notice bar (no dialog) and the show keeps
    running the agenda it had; fixed again, it reloads."""
    window, clock, path = running
    engine = window.host.controller.engine
    fixed = [ROWS[0], ("talk", "발표", "10m"), ROWS[2]]
    saved(qtbot, window, path, agenda_text(*fixed), "Agenda reloaded")
    assert window.view.title.text() == "발표"
    assert (engine.now().index, engine.now().elapsed_s) == (1, 120)

    added = [*fixed[:2], ("qa", "질의응답", "5m"), fixed[2]]
    saved(qtbot, window, path, agenda_text(*added), "Agenda reloaded")
    assert len(window.view.order.rows()) == 4
    assert (engine.now().index, engine.now().elapsed_s) == (1, 120)
    assert engine.now().next_index == 2 and engine.agenda.segments[2].id == "qa"

    advance(window, clock, 10)
    saved(qtbot, window, path, agenda_text(added[0], *added[2:]), "Agenda reloaded")
    now = engine.now()
    assert now.segment.id == "qa" and now.elapsed_s == 130
    assert now.status is Status.RUNNING

    window.host.clear_notice("agenda")
    path.write_text(agenda_text(added[0], *added[2:]).replace("5m", "banana", 1), "utf-8")
    qtbot.waitUntil(lambda: "NOT loaded" in window.view.notice.text(), timeout=5000)
    assert f"{path}:" in window.view.notice.text()
    assert QApplication.activeModalWidget() is None
    assert engine.agenda.segments[1].id == "qa" and window.host.controller.engine is engine
    advance(window, clock, 5)
    assert engine.now().elapsed_s == 135 and engine.status is Status.RUNNING

    path.write_text(agenda_text(added[0], *added[2:]), "utf-8")  # fixed back: nothing new
    qtbot.waitUntil(lambda: "NOT loaded" not in window.view.notice.text(), timeout=5000)
    assert engine.agenda.segments[1].id == "qa" and engine.now().elapsed_s == 135


def test_a_saved_agenda_is_checked_while_the_countdown_keeps_flipping(qtbot, running):
    """Checking a saved agenda (in a child process in the real app, ~0.2 s) happens off the
    GUI thread: while it runs the window still wakes and repaints its seconds; the edit is
    taken when the check is done."""
    import threading

    window, clock, path = running
    checks = window.host.checks
    real_load, release = checks.load, threading.Event()

    threads: list[threading.Thread] = []

    def slow_load(agenda_path):
        threads.append(threading.current_thread())
        release.wait(2)
        return real_load(agenda_path)

    checks.load = slow_load
    window.host.clear_notice("agenda")
    path.write_text(agenda_text(ROWS[0], ("talk", "발표", "10m"), ROWS[2]), encoding="utf-8")
    window.host._saved()  # returns at once: the check waits in its thread
    shown = window.view.countdown.text()
    advance(window, clock, 1)
    assert window.view.countdown.text() != shown  # the GUI thread is not held up
    release.set()
    qtbot.waitUntil(lambda: "Agenda reloaded" in window.view.notice.text(), timeout=5000)
    assert window.view.title.text() == "발표"
    assert threads and threads[0] is not threading.main_thread()


def test_only_the_latest_save_is_taken(qtbot, running, tmp_path):
    """Two saves in quick succession whose checks finish out of order: the earlier save's
    result, arriving last, is dropped, so the show runs the file as it was saved last."""
    import dataclasses
    import threading

    from runofshow.core.loader import load_agenda

    window, _clock, path = running
    versions = []
    for n, title in enumerate(("첫 저장", "두 번째 저장")):
        version = tmp_path / f"save{n}.yaml"
        version.write_text(agenda_text(ROWS[0], ("talk", title, "10m"), ROWS[2]), "utf-8")
        versions.append(dataclasses.replace(load_agenda(version), path=path))
    gates = [threading.Event(), threading.Event()]
    calls: list[int] = []

    def gated_load(_agenda_path):
        save = len(calls)
        calls.append(save)
        gates[save].wait(10)
        return versions[save]

    window.host.checks.load = gated_load
    window.host._saved()
    qtbot.waitUntil(lambda: len(calls) == 1)
    window.host._saved()
    qtbot.waitUntil(lambda: len(calls) == 2)
    gates[1].set()
    qtbot.waitUntil(lambda: window.view.title.text() == "두 번째 저장", timeout=5000)
    with qtbot.waitSignal(window.host.checks._done, timeout=5000):
        gates[0].set()  # the first save's check finishes last
    assert window.view.title.text() == "두 번째 저장"
    assert window.host.controller.engine.agenda == versions[1]


def test_hostile_agendas_opened_or_reloaded_mid_show_never_cost_the_running_show(
    qtbot, running, tmp_path, capsys
):
    """Every hostile case (corpus + built) opened with File > Open and reloaded with Ctrl+R
    while the show runs: refused with file:line:col errors within 2 s each, and the show
    carries on with its agenda, segment and elapsed time; the CRLF files load."""
    window, _clock, path = running
    engine = window.host.controller.engine
    good = path.read_bytes()
    slowest = 0.0
    cases = hostile.hostile_cases(tmp_path / "hostile")
    for case in cases:
        began = time.monotonic()
        was_opened = opened(qtbot, window, case.path)
        path.write_bytes(case.path.read_bytes())
        was_reloaded = reloaded(qtbot, window)
        slowest = max(slowest, time.monotonic() - began)
        if case.loads:  # opened: a new show replaced ours (after a Yes); start that one
            assert was_opened and was_reloaded, case.name
            path.write_bytes(good)
            assert opened(qtbot, window, path)
            engine = window.host.controller.engine
            window.host.execute("start")
            window.host.execute("next")
            continue
        assert not was_opened and not was_reloaded, case.name
        text = window.view.notice.text()
        assert f"{path}:" in text and ": error: " in text, (case.name, text[:200])
        assert QApplication.activeModalWidget() is None
        assert window.host.controller.engine is engine and engine.agenda.segments[1].id == "talk"
        assert engine.status is Status.RUNNING
    path.write_bytes(good)
    with capsys.disabled():
        print(f"\n-- hostile agendas in the window: {len(cases)} cases, slowest {slowest:.2f} s")
    assert len(cases) >= 70 and slowest < 2.0


def test_an_unwritable_state_folder_shows_not_saved_and_the_show_runs(qtbot, tmp_path):
    """The real start-up path with --state-dir under a regular file (a USB stick that is a
    file, a path typo): the notice bar says NOT SAVED naming the folder; the show starts,
    pauses and resumes in memory."""
    blocker = tmp_path / "stick"
    blocker.write_text("not a folder")
    window = create_window(parse_args([str(default_agenda()), "--state-dir", str(blocker / "s")]))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    text = window.view.notice.text()
    assert window.view.notice.isVisibleTo(window)
    assert "NOT SAVED" in text and str(blocker / "s") in text
    for name in ("start", "pause", "resume"):
        assert window.host.execute(name).applied
    assert window.host.controller.engine.status is Status.RUNNING


@pytest.mark.parametrize("name", ["my-event.yaml", "state"])
def test_a_state_dir_that_is_a_file_is_refused_and_the_file_left_alone(
    qtbot, tmp_path, capsys, name
):
    """`runofshow --state-dir my-event.yaml` (the agenda typed where the folder goes): the app
    refuses to start with a message and exit 78, and the file is untouched. Before, the file
    was taken for the journal, called damaged, renamed aside and a database written in its
    place (or, without a suffix, the show ran in memory, NOT SAVED, over a typo)."""
    from runofshow.cli import main
    from runofshow.exit_codes import EXIT_STATE_DIR

    slip = tmp_path / name
    slip.write_text("event:\n  title: mine\n", encoding="utf-8")
    before = set(QApplication.topLevelWidgets())
    assert main([str(default_agenda()), "--state-dir", str(slip)]) == EXIT_STATE_DIR
    err = capsys.readouterr().err
    assert f"{slip} is a file, not a folder" in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir() if p.name != "settings"] == [name]
    assert slip.read_text(encoding="utf-8") == "event:\n  title: mine\n"
    for window in set(QApplication.topLevelWidgets()) - before:  # half-built, never shown
        window.deleteLater()


def test_a_disk_that_fills_up_mid_show_is_announced_and_the_show_runs(qtbot, tmp_path):
    """The journal's SQLite file can grow no more (max_page_count: SQLite's own "database or
    disk is full"): the notice bar says NOT SAVED with the journal's path, actions keep
    applying."""
    window = create_window(parse_args([str(default_agenda()), "--state-dir", str(tmp_path)]))
    qtbot.addWidget(window)
    engine = window.host.controller.engine
    store = engine.journal.store
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    assert window.host.execute("start").applied
    for _ in range(100):
        assert window.host.execute("add", {"seconds": 10}).applied
    text = window.view.notice.text()
    assert "NOT SAVED" in text and str(store.path) in text and "full" in text
    assert engine.now().allowance_s == pytest.approx(300 + 1000)


def test_no_qtmultimedia_and_no_playsound_backend_shows_no_sound_and_alerts_still_work(
    qtbot, window, clock, monkeypatch
):
    """No libpulse, QtMultimedia will not import and playsound3 has no backend: the window
    falls back, the NO SOUND badge appears, and the wrap-up, danger and time-up phases still
    show."""
    from runofshow._qt.sound import pulse as pulse_sound

    monkeypatch.setattr(pulse_sound, "load_libpulse", lambda: None)
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.startswith(("PySide6.QtMultimedia", "playsound3")):
            raise ImportError(f"simulated: no {name}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    window.host.load_sound()
    qtbot.waitUntil(lambda: "NO SOUND" in window.view.badges.text(), timeout=5000)
    window.host.sink.play("wrapup")  # nothing to play on: no exception either
    window.host.execute("start")
    phases = []
    for _ in range(300):
        advance(window, clock, 1)
        phases.append(window.host.controller.display.visual)
    assert {"wrapup", "danger", "overtime"} <= {str(p) for p in phases}


def test_a_sound_player_that_fails_mid_show_brings_up_no_sound(qtbot, window, monkeypatch):
    """playsound3 imports but its player fails on the first chime (device gone mid-show):
    the failure, in a worker thread, still reaches the window and NO SOUND appears."""
    import playsound3

    from runofshow._qt.sound.sinks import PlaysoundSink

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated: no audio backend")

    monkeypatch.setattr(playsound3, "playsound", broken)
    sink = PlaysoundSink(window)
    window.host.set_sink(sink)
    assert "NO SOUND" not in window.view.badges.text()
    sink.play("wrapup")
    qtbot.waitUntil(lambda: "NO SOUND" in window.view.badges.text(), timeout=5000)


@pytest.mark.qt_log_ignore("pipewire", "multimedia")
def test_no_audio_device_shows_no_sound(qtbot, window, monkeypatch, tmp_path):
    """The machine has no sound server or output (CI, a bare stage laptop): whichever sink
    this platform loads, NO SOUND is shown and chimes are dropped quietly."""
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'nobody' / 'native'}")
    window.host.load_sound()
    qtbot.waitUntil(lambda: "NO SOUND" in window.view.badges.text(), timeout=5000)
    assert not window.host.sink.available
    window.host.sink.play("timeup")


@pytest.mark.qt_log_ignore("pipewire", "multimedia")
def test_no_audio_device_shows_no_sound_with_qtmultimedia(qtbot, window, monkeypatch, tmp_path):
    """QtMultimedia (the sink on Windows, macOS and a Linux without libpulse) loads but the
    machine has no audio output: NO SOUND is shown and chimes are dropped quietly."""
    from runofshow._qt.sound.sinks import QtSoundSink

    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'nobody' / 'native'}")
    window.host.set_sink(QtSoundSink(window))
    assert not window.host.sink.available
    assert "NO SOUND" in window.view.badges.text()
    window.host.sink.play("timeup")


def test_stage_screen_unplugged_and_back_mid_show(qtbot, window, clock):
    """The confidence display's screen disappears and comes back while the show runs: the
    MC's window and its countdown carry on, the display hides and returns, nothing raises."""
    display = ConfidenceDisplay(window.tr_, QSettings())
    qtbot.addWidget(display)
    window.host.controller.display_changed.connect(display.show_display)
    display.avoid_screens = list
    screen = QGuiApplication.screens()[0]
    assert display.use_screen(0) is None
    window.host.execute("start")
    display.avoid_screens = lambda: [screen]
    display._screen_removed(screen)
    advance(window, clock, 10)
    assert not display.isVisible()
    display._screens_changed(screen)
    advance(window, clock, 10)
    assert window.isVisible() and window.host.controller.display.countdown == "4:40"


def long_agenda(count: int = 144, length_s: int = 300) -> Agenda:
    """Twelve hours of five-minute segments."""
    segments = tuple(
        Segment(index=i, id=f"s{i}", title=f"Slot {i}", duration_s=length_s, kind=Kind.TALK)
        for i in range(count)
    )
    event = Event(
        title="12 h", date=SHOW_DAY, start_s=3 * 3600, end_s=15 * 3600, timezone="Asia/Seoul"
    )
    return Agenda(path=Path("long.yaml"), event=event, defaults=Defaults(), segments=segments)


def test_twelve_hours_of_show_in_constant_memory(qtbot):
    """144 segments run over twelve simulated hours (a repaint every 20 s, a pause every
    segment, next on each, painting as it goes): after a one-hour warm-up, traced memory
    grows by no more than the journal's own few hundred actions."""
    clock = FakeClock(wall=at(3, 0))
    window = make_window(qtbot, clock)
    window.host.start_show(ShowEngine(long_agenda(), clock, mode="live"))
    window.show()
    qtbot.waitExposed(window)
    window.host.execute("start")
    tracemalloc.start()
    try:
        samples = []
        for hour in range(12):
            for _segment in range(12):
                for _ in range(14):
                    advance(window, clock, 20)
                window.host.execute("pause")
                advance(window, clock, 10)
                window.host.execute("resume")
                window.host.execute("next")
                QApplication.processEvents()
            if hour >= 1:
                samples.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    growth = samples[-1] - samples[0]
    print(f"\n-- 12 h show: traced memory {samples[0] / 1e6:.2f} MB -> {samples[-1] / 1e6:.2f} MB")
    assert window.host.controller.engine.now().index == 143
    assert growth < 600_000, [f"{s / 1e6:.2f}" for s in samples]
