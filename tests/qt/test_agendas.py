"""Opening, reloading and waiting for agendas: errors never cost the MC the running show."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qt_helpers import at, make_window, opened

from runofshow.core.clock import FakeClock
from runofshow.core.engine import Status
from runofshow.resources import default_agenda

GOOD = """\
event:
  title: 작은 행사
  date: 2022-11-30
  start: 15:00
  end: 15:10
  timezone: Asia/Seoul
programme:
  - title: 개회
    duration: 5m
  - title: {second}
    duration: 5m
"""

BROKEN = GOOD.replace("duration: 5m\n  - title", "duration: banana\n  - title")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def replace_like_an_editor(path: Path, text: str) -> None:
    """Save as vim and VS Code do: write a new file, rename it over the old one."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def shown_window(qtbot, clock):
    window = make_window(qtbot, clock)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_bundled_agenda_opens_with_its_korean_titles(qtbot):
    """The default agenda loads and its programme fills the running order."""
    window = shown_window(qtbot, FakeClock(wall=at(14, 55)))
    assert opened(qtbot, window, default_agenda())
    assert window.view.title.text() == "개회 및 국민의례"
    assert len(window.view.order.rows()) == 14
    assert window.view.next_line.text().startswith("NEXT: 중소벤처기업부 차관 — 인사말")


def test_broken_agenda_opened_during_a_show_keeps_the_show(qtbot, tmp_path):
    """Errors appear on the notice bar as file:line:col, with no dialog over the countdown;
    the running show carries on untouched."""
    clock = FakeClock(wall=at(15, 0))
    window = shown_window(qtbot, clock)
    opened(qtbot, window, write(tmp_path / "good.yaml", GOOD.format(second="폐회")))
    engine = window.host.controller.engine
    engine.start()
    broken = write(tmp_path / "broken.yaml", BROKEN.format(second="폐회"))
    assert not opened(qtbot, window, broken)
    assert QApplication.activeModalWidget() is None
    assert f"{broken}:9:15: error:" in window.view.notice.text()
    assert window.host.controller.engine is engine
    assert engine.status is Status.RUNNING


def test_reload_keeps_position_and_refuses_a_broken_file(qtbot, tmp_path):
    """Ctrl+R with errors shows them and changes nothing; fixed, it takes the edit in place."""
    clock = FakeClock(wall=at(15, 0))
    window = shown_window(qtbot, clock)
    path = write(tmp_path / "show.yaml", GOOD.format(second="폐회"))
    opened(qtbot, window, path)
    engine = window.host.controller.engine
    engine.start()
    clock.advance(1)
    window.host.execute("next")
    write(path, BROKEN.format(second="폐회식"))
    with qtbot.waitSignal(window.host.checks.checked, timeout=30_000):
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None
    assert f"{path}:9:15: error:" in window.view.notice.text()
    assert window.view.title.text() == "폐회"
    write(path, GOOD.format(second="폐회식"))
    with qtbot.waitSignal(window.host.checks.checked, timeout=30_000):
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.host.controller.engine is engine
    assert engine.now().index == 1
    assert window.view.title.text() == "폐회식"


def test_started_on_a_broken_agenda_lists_errors_then_reloads_when_fixed(qtbot, tmp_path):
    """With no show to keep, the errors fill the window; saving the file fixed (even by
    replacing it, as editors do) starts the show by itself."""
    window = shown_window(qtbot, FakeClock(wall=at(15, 0)))
    path = write(tmp_path / "show.yaml", BROKEN.format(second="폐회"))
    assert not window.host.open_first(path)
    assert window.stack.currentWidget() is window.problems_page
    assert f"{path}:9:15: error:" in window.problems_page.listing.toPlainText()
    replace_like_an_editor(path, GOOD.format(second="폐회"))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.view, timeout=5000)
    assert window.host.controller is not None
    assert window.view.title.text() == "개회"


def test_in_place_save_is_noticed_too(qtbot, tmp_path):
    """An editor that rewrites the file in place triggers the reload as well."""
    window = shown_window(qtbot, FakeClock(wall=at(15, 0)))
    path = write(tmp_path / "show.yaml", BROKEN.format(second="폐회"))
    window.host.open_first(path)
    write(path, GOOD.format(second="폐회"))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.view, timeout=5000)
