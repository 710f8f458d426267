"""What the operator must be told appears on the MC's window: a journal that cannot be
written, a wall-clock jump, a show resumed after a restart."""

from __future__ import annotations

from qt_helpers import STAGE_HANDLERS, advance, load_agenda

from runofshow._qt.app.host import ShowHost
from runofshow._qt.app.main import create_window, parse_args
from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.i18n import Translator
from runofshow._qt.windows.mc_window import McWindow
from runofshow.core.actions import MemoryJournal
from runofshow.core.engine import ShowEngine
from runofshow.core.session import ShowSession
from runofshow.resources import default_agenda


class FullDiskJournal(MemoryJournal):
    def append(self, action):
        raise OSError(28, "No space left on device", "/media/usb/journal.sqlite3")


def window_with(qtbot, clock, journal) -> McWindow:
    host = ShowHost(
        Translator("en"),
        WindowSettings(),
        load_agenda,
        lambda agenda, _fresh: ShowSession(ShowEngine(agenda, clock, journal, mode="live")),
    )
    window = McWindow(host, STAGE_HANDLERS)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    host.open_first(default_agenda())
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_a_full_disk_is_shown_and_the_show_keeps_timing(qtbot, clock):
    """The first action that cannot be saved puts a NOT SAVED bar naming the file on screen."""
    window = window_with(qtbot, clock, FullDiskJournal())
    assert not window.view.notice.isVisibleTo(window)
    qtbot.keyClick(window, " ")
    advance(window, clock, 30)
    text = window.view.notice.text()
    assert window.view.notice.isVisibleTo(window)
    assert "NOT SAVED" in text and "/media/usb/journal.sqlite3" in text
    assert window.host.controller.display.countdown == "4:30"


def test_a_wall_clock_jump_is_announced_and_the_countdown_stays(qtbot, clock):
    """NTP moves the clock an hour: a notice says so, the countdown does not move."""
    window = window_with(qtbot, clock, MemoryJournal())
    qtbot.keyClick(window, " ")
    advance(window, clock, 10)
    before = window.host.controller.display.countdown
    clock.jump_wall(3600)
    advance(window, clock, 0)
    assert window.host.controller.display.countdown == before
    assert "+1:00:00" in window.view.notice.text()


def test_restarting_the_app_resumes_and_says_so(qtbot, tmp_path):
    """A second window on the same state folder picks the show up where it was."""
    args = parse_args(["--state-dir", str(tmp_path / "state")])
    first = create_window(args)
    qtbot.addWidget(first)
    first.host.execute("start")
    first.host.execute("next")
    first.close()
    second = create_window(args)
    qtbot.addWidget(second)
    assert second.host.engine.now().index == 1
    assert "Resumed the show at segment 2" in second.view.notice.text()


def test_a_resumed_show_is_announced_in_the_operators_language(qtbot, tmp_path):
    """In Korean, the resumed-show notice is Korean too."""
    args = parse_args(["--state-dir", str(tmp_path / "state"), "--lang", "ko"])
    first = create_window(args)
    qtbot.addWidget(first)
    first.host.execute("start")
    first.close()
    second = create_window(args)
    qtbot.addWidget(second)
    assert "1번 순서에서 행사를 이어 갑니다" in second.view.notice.text()


def test_relaunching_a_crashed_rehearsal_offers_it_back(qtbot, tmp_path, yes_to_questions):
    """`--rehearse 15:09:30` crashed after a few keys; the same command again asks whether
    to resume it (Yes: the same rehearsal, where it was), instead of silently starting
    rehearsal number two. A different time starts a new one without asking."""
    state = tmp_path / "state"
    command = [str(default_agenda()), "--state-dir", str(state), "--rehearse", "15:09:30"]
    first = create_window(parse_args([*command, "--speed", "10"]))
    qtbot.addWidget(first)
    first.host.execute("start")
    first.host.execute("next")
    show_id = first.host.session.show_id
    first.host.controller.stop()  # the crash: nothing is closed or marked
    yes_to_questions.clear()
    again = create_window(parse_args(command))
    qtbot.addWidget(again)
    assert any("was not finished (2 actions" in text for text in yes_to_questions)
    assert again.host.session.show_id == show_id and again.host.engine.now().index == 1
    yes_to_questions.clear()
    other = create_window(parse_args([*command[:-1], "15:20"]))
    qtbot.addWidget(other)
    assert yes_to_questions == [] and other.host.session.show_id != show_id
