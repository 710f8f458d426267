"""The stage manager's window and stage messages: the MC's keys drive the same engine (its
own actions, or the MC window's very QActions), Enter in the message box sends instead of
advancing the show, Delete clears, presets fill in the next speaker, A acknowledges GO, and
every stage word exists in both languages."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qt_helpers import FakeSink, window_with_stage_side

from runofshow._qt.i18n import CATALOGUE, Translator
from runofshow._qt.widgets.stage_messages import preset_text
from runofshow._qt.windows.stage_manager import StageManagerWindow
from runofshow.core.agenda import Agenda, Cue
from runofshow.core.clock import FakeClock
from runofshow.core.commands import MAX_MESSAGE_CHARS, one_line
from runofshow.core.cues import CueState
from runofshow.core.engine import ShowEngine


def cued(agenda: Agenda) -> Agenda:
    segments = list(agenda.segments)
    segments[3] = dataclasses.replace(segments[3], cue=Cue("play 소개 영상"))
    return dataclasses.replace(agenda, segments=tuple(segments))


@pytest.fixture
def side(qtbot, agenda: Agenda, clock: FakeClock) -> StageManagerWindow:
    """The stage manager's window over the show of a cued agenda (the MC's window behind
    it), shown and active, English."""
    engine = ShowEngine(cued(agenda), clock)
    _mc, stage_side = window_with_stage_side(qtbot, clock, engine)
    stage_side.host.set_sink(FakeSink())
    window = stage_side.manager
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_show_keys_drive_the_engine(qtbot, side: StageManagerWindow, clock: FakeClock) -> None:
    """Space starts, PgDown moves on, + adds a minute, Ctrl+Z undoes it: the same key map as
    the MC's window, and the table follows."""
    engine = side.host.engine
    qtbot.keyClick(side, Qt.Key.Key_Space)
    assert engine.now().status.value == "running"
    clock.advance(10)
    qtbot.keyClick(side, Qt.Key.Key_PageDown)
    assert engine.now().index == 1
    qtbot.keyClick(side, Qt.Key.Key_Plus)
    assert engine.timeline().segments[1].added_s == 60
    qtbot.keyClick(side, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert engine.timeline().segments[1].added_s == 0
    assert side.model.data(side.model.index(1, 0), Qt.ItemDataRole.UserRole + 1) == "current"


def test_enter_in_the_message_box_sends(qtbot, side: StageManagerWindow) -> None:
    """Typing a message and pressing Enter puts it on stage and does not press "next";
    Delete (outside the box) takes it off."""
    engine = side.host.engine
    side.host.execute("start")
    qtbot.keyClick(side, Qt.Key.Key_T)
    assert side.composer.line.hasFocus()
    qtbot.keyClicks(side.composer.line, "Mic check")
    qtbot.keyClick(side.composer.line, Qt.Key.Key_Return)
    message = engine.now().message
    assert message is not None and message.text == "Mic check"
    assert engine.now().index == 0
    assert side.stage.message.text() == "Mic check"
    side.table.setFocus()
    qtbot.keyClick(side, Qt.Key.Key_Delete)
    assert engine.now().message is None and side.stage.message.text() == ""


def test_presets_and_flash(side: StageManagerWindow) -> None:
    """The next-speaker preset names the next segment's speaker; Flash ticked flashes it."""
    side.host.execute("start")
    side.composer.flash.setChecked(True)
    side.composer.presets["next_speaker"].click()
    message = side.host.engine.now().message
    assert message is not None and message.text == "Next: 김발표" and message.flash
    side.composer.presets["wrap_up"].click()
    assert side.host.engine.now().message.text == "WRAP UP"


def test_preset_words_in_korean(engine: ShowEngine) -> None:
    """In Korean the presets read as the MC would say them; the last segment has no next."""
    ko = Translator("ko")
    assert preset_text("wrap_up", ko, engine) == "마무리 부탁드립니다"
    assert preset_text("next_speaker", ko, engine) == "다음: 김발표"
    engine.start()
    engine.goto(4)
    assert preset_text("next_speaker", ko, engine) == "마지막 순서입니다"


def test_one_message_at_a_time(qtbot, side: StageManagerWindow) -> None:
    """Sending replaces; sending blank text clears; a long paste is folded to one short
    line."""
    composer = side.composer
    for text in ("WRAP UP", "Mic check"):
        composer.line.setText(text)
        composer.send_typed()
    assert side.host.engine.now().message.text == "Mic check"
    assert side.stage.message.text() == "Mic check"
    composer.line.setText("   ")
    composer.send_typed()
    assert side.host.engine.now().message is None
    assert not side.host.execute("clear_message").applied
    assert one_line("a\n  b\tc") == "a b c"
    assert len(one_line("x" * 500)) == MAX_MESSAGE_CHARS


def test_cue_banner_and_acknowledge(qtbot, side: StageManagerWindow, clock: FakeClock) -> None:
    """Pitch 2 with 0:20 of its slot left: the banner reads STANDBY — VIDEO in 0:20; at the
    slot's end it holds, due now, while the pitch runs over (no GO yet: the vote, the pitch,
    is still on); when the video's segment starts it reads GO, A acknowledges it, and the
    banner shows the video on stage."""
    controller = side.host.controller
    side.host.execute("start")
    for seconds in (300, 270):
        clock.advance(seconds)
        side.host.execute("next")
    clock.advance(250)
    controller.refresh()
    assert side.banner_main.text() == "STANDBY — VIDEO in 0:20"
    assert side.banner_cue.text() == "4. play 소개 영상"
    assert not side.ack_button.isEnabled() and side.go_button.isEnabled()
    clock.advance(40)
    controller.refresh()
    assert side.cues.status.state is CueState.STANDBY
    assert side.banner_main.text() == "STANDBY — VIDEO due now (G gives the GO)"
    side.host.execute("next")
    assert side.cues.status.state is CueState.GO
    assert side.banner_main.text().startswith("GO — VIDEO")
    assert side.ack_button.isEnabled()
    qtbot.keyClick(side, Qt.Key.Key_A)
    assert side.cues.status is None
    assert side.banner_main.text() == "ON STAGE — VIDEO"


def test_g_gives_the_go(qtbot, side: StageManagerWindow, clock: FakeClock) -> None:
    """In standby, G (the stage manager's GO) starts the video's segment at once: the MC's
    countdown follows, and the banner says GO."""
    side.host.execute("start")
    for seconds in (300, 270):
        clock.advance(seconds)
        side.host.execute("next")
    clock.advance(255)
    side.host.controller.refresh()
    qtbot.keyClick(side, Qt.Key.Key_G)
    now = side.host.engine.now()
    assert now.index == 3 and side.cues.status.state is CueState.GO


def test_a_reaches_go_not_the_message_box(qtbot, side: StageManagerWindow, clock) -> None:
    """The message box does not take the keyboard when the window opens: A pressed wherever
    the focus is acknowledges GO, as the banner says (it used to type "a" into the box, and
    Enter then sent "a" to the speaker's screen). Esc in the box leaves it."""
    controller = side.host.controller
    side.host.execute("start")
    for seconds in (300, 270):
        clock.advance(seconds)
        side.host.execute("next")
    clock.advance(300)
    side.host.execute("next")  # the video starts: GO
    controller.refresh()
    assert side.cues.status.state is CueState.GO
    assert not side.composer.line.hasFocus()
    qtbot.keyClick(QApplication.focusWidget() or side, Qt.Key.Key_A)
    assert side.cues.status is None and side.composer.line.text() == ""
    qtbot.keyClick(side, Qt.Key.Key_T)
    assert side.composer.line.hasFocus()
    qtbot.keyClick(side.composer.line, Qt.Key.Key_Escape)
    assert not side.composer.line.hasFocus()


def test_blackout_and_placement_are_shown(qtbot, side: StageManagerWindow) -> None:
    """B blacks out the stage display from the stage manager's window, and its status line
    says so, with where the display is."""
    qtbot.keyClick(side, Qt.Key.Key_B)
    assert side.stage.is_blackout() and side.actions_["blackout"].isChecked()
    assert "STAGE BLACKOUT" in side.stage_line.text()
    side.stage.avoid_screens = list
    side.stage.use_screen(0)
    assert side.stage_line.text().startswith("Stage display on screen 0")
    qtbot.keyClick(side, Qt.Key.Key_Period)
    assert not side.stage.is_blackout()


def test_shares_the_mc_windows_actions(qtbot, engine, clock) -> None:
    """The stage manager's window holds the very same QAction objects as the MC's: PgDown
    in it is the MC's "next", and one undo history serves both."""
    window, stage_side = window_with_stage_side(qtbot, clock, engine)
    side = stage_side.manager
    assert side.actions_["next"] is window.actions_["next"]
    side.show()
    qtbot.waitExposed(side)
    side.activateWindow()
    qtbot.waitUntil(side.isActiveWindow)
    engine = window.host.engine
    qtbot.keyClick(side, Qt.Key.Key_Space)
    qtbot.keyClick(side, Qt.Key.Key_PageDown)
    assert engine.now().index == 1
    window.actions_["undo"].trigger()
    assert engine.now().index == 0


def test_every_word_has_the_same_placeholders_in_both_languages() -> None:
    """No word is missing a language, and the placeholders match across languages."""
    for key, texts in CATALOGUE.items():
        assert set(texts) == {"en", "ko"}, key
        fields = [sorted(p.split("}")[0] for p in text.split("{")[1:]) for text in texts.values()]
        assert fields[0] == fields[1], key


def test_a_hidden_stage_manager_catches_up_when_shown(
    qtbot, side: StageManagerWindow, clock: FakeClock
) -> None:
    """Closed, the stage manager's window does no drawing while the show runs (the MC's
    laptop is not kept busy by a window nobody sees); opened again, it shows the present
    second and the current row at once, not what it showed when it was closed."""
    controller = side.host.controller
    side.host.execute("start")
    side.hide()
    shown_before = side.countdown.text()
    clock.advance(42)
    side.host.execute("next")
    assert side.countdown.text() == shown_before  # nothing drawn while hidden
    side.show()
    qtbot.waitExposed(side)
    assert side.countdown.text().startswith(controller.display.countdown)
    current = side.model.row_of_segment(1)
    assert side.model.data(side.model.index(current, 0), Qt.ItemDataRole.UserRole + 1) == "current"


def test_titles_and_cues_read_whole_at_the_default_size(qtbot, clock) -> None:
    """The bundled (Korean) agenda in the stage manager's window at its default size: no
    horizontal scrolling, and the title column holds a pitch's whole title (it showed five
    characters); the overrun is said once in the header strip."""
    from runofshow._qt.widgets.running_order_model import Column
    from runofshow.core.loader import load_agenda
    from runofshow.resources import default_agenda

    engine = ShowEngine(load_agenda(default_agenda()), clock)
    _mc, stage_side = window_with_stage_side(qtbot, clock, engine)
    manager = stage_side.manager
    manager.show()
    qtbot.waitExposed(manager)
    table = manager.table
    assert table.horizontalScrollBarPolicy() is Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    title = "② 중소기업 전용 기술보호 정책보험"
    assert table.columnWidth(Column.TITLE) >= table.fontMetrics().horizontalAdvance(title)
    assert table.columnWidth(Column.CUE) >= 150
    manager.host.execute("start")
    clock.advance(5 * 60 + 32)
    manager.host.controller.refresh()
    assert manager.countdown.text() == "+0:32 OVER"


def test_a_shared_shows_notice_has_a_row_of_its_own_above_the_strip(qtbot, clock, engine):
    """On a follower's laptop (docs/two-machines.md) the stage manager must see at once that
    the MC's laptop is not connected: the notice is drawn in amber in a row of its own, above
    the status strip, never under it; other notices stay on the MC's notice bar."""
    mc, side = window_with_stage_side(qtbot, clock, engine)
    manager = side.manager
    manager.resize(1920, 1080)
    manager.show()
    qtbot.waitExposed(manager)
    mc.host.post_notice("stage", "The stage display moved")
    assert not manager.peer_line.isVisible()
    mc.host.post_notice("peer", "NOT CONNECTED to mc-laptop since 15:21:02")
    qtbot.waitUntil(lambda: manager.peer_line.isVisible())
    manager.centralWidget().layout().activate()
    assert manager.peer_line.text() == "NOT CONNECTED to mc-laptop since 15:21:02"
    assert manager.peer_line.geometry().bottom() < manager.strip.geometry().top()
    assert manager.peer_line.height() >= 30
    mc.host.clear_notice("peer")
    qtbot.waitUntil(lambda: not manager.peer_line.isVisible())


def test_a_group_header_is_repainted_whole_when_its_end_moves(qtbot, clock: FakeClock) -> None:
    """In overtime the second part's header ("ends 15:35:43") moves on every second. Its one
    cell spans the table and the end time sits at its right: a view repaints only the columns
    a change names, so the header's update must name every column, or the stage manager
    keeps reading the end from before the overrun (seen on the rig: "ends 15:33:26" under an
    "End 15:34:14")."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QRegion

    from runofshow.core.loader import load_agenda
    from runofshow.resources import default_agenda

    engine = ShowEngine(load_agenda(default_agenda()), clock)
    _mc, stage_side = window_with_stage_side(qtbot, clock, engine)
    stage_side.host.set_sink(FakeSink())
    side = stage_side.manager
    side.resize(1400, 900)
    side.show()
    qtbot.waitExposed(side)
    host = side.host
    host.execute("start")
    for _ in range(7):  # on to the vote, two minutes long
        clock.advance(20)
        host.execute("next")
    clock.advance(200)  # 1:20 over
    host.controller.refresh()
    qtbot.wait(50)

    class Painted(QObject):
        region = QRegion()

        def eventFilter(self, _watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.region = self.region.united(event.region())
            return False

    painted = Painted()
    side.table.viewport().installEventFilter(painted)
    header = side.model.group_rows()[1]
    before = side.model.data(side.model.index(header, 0))
    clock.advance(1)
    host.controller.refresh()
    qtbot.wait(50)
    assert side.model.data(side.model.index(header, 0)) != before  # its end moved
    span = side.table.visualRect(side.model.index(header, 0))
    assert span.width() > side.table.viewport().width() * 0.9  # the header spans the table
    unpainted = QRegion(span).subtracted(painted.region)  # (QRegion.contains: any overlap)
    assert unpainted.isEmpty(), (span, list(painted.region))
