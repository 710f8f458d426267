"""Fixtures for the Qt shell's tests: offscreen Qt, a private settings folder, a hand-built
agenda on a FakeClock, and a fake sound sink that records what it was asked to play.

The environment is set before pytest-qt creates the QApplication, so no test needs a screen,
an audio device or the user's settings.
"""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="runofshow-xdg-")
os.environ.pop("RUNOFSHOW_TRACE", None)

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QMessageBox
from qt_helpers import FakeSink, at, hand_agenda, make_window

from runofshow._qt.fonts import load_bundled_fonts
from runofshow._qt.windows.mc_window import McWindow
from runofshow.core.agenda import Agenda
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine


@pytest.fixture(scope="session", autouse=True)
def bundled_fonts(qapp) -> list[str]:
    """Register NanumSquare once, as main() does before the first window."""
    return load_bundled_fonts()


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Path:
    """QSettings in a temporary folder: no test reads or writes a real profile."""
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The show journal in a temporary folder: no test resumes or writes a real show."""
    folder = tmp_path / "state"
    monkeypatch.setenv("RUNOFSHOW_STATE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def yes_to_questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every yes/no question answers Yes (a blocking dialog would hang a test); the texts asked
    are recorded so that tests can check a question was (or was not) asked."""
    asked: list[str] = []

    def answer(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


@pytest.fixture
def agenda() -> Agenda:
    return hand_agenda()


@pytest.fixture
def clock() -> FakeClock:
    """15:00:00 on the show day."""
    return FakeClock(wall=at(15, 0))


@pytest.fixture
def engine(agenda: Agenda, clock: FakeClock) -> ShowEngine:
    return ShowEngine(agenda, clock, mode="live")


@pytest.fixture
def sink() -> FakeSink:
    return FakeSink()


@pytest.fixture
def window(qtbot, engine: ShowEngine, clock: FakeClock, sink: FakeSink) -> McWindow:
    """The MC's window on the hand-built show, shown, active, with the fake sink."""
    win = make_window(qtbot, clock)
    win.host.start_show(engine)
    win.host.set_sink(sink)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


@pytest.fixture(autouse=True)
def release_qt_objects_between_tests(qapp):
    """After each test, delete what it left for deferred deletion and collect its garbage,
    while nothing else runs.

    Without this, the Qt objects of earlier tests were freed by Python's garbage collector at
    an arbitrary moment, and once (1 run in 3 here) a timer then fired on a freed object: a
    segfault in QTimerInfoList::activateTimers right after the long subprocess test of
    test_torture_process.py. Releasing them at a known, idle point removed it (0 in 7 runs).
    """
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.processEvents()
