"""The stage side wired to the MC's window: one show, one blackout flag, and the MC told
where the stage display went."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from qt_helpers import make_window, window_with_stage_side

from runofshow._qt.show.stage_side import _PlacementNotice
from runofshow._qt.windows.confidence_display import Placement


def opened(qtbot, engine, clock):
    """The MC's window on ``engine`` with the stage side attached (as after the first frame)."""
    return window_with_stage_side(qtbot, clock, engine)


def test_blackout_is_one_flag_for_the_mc_and_the_stage_display(qtbot, engine, clock):
    """B on the MC's window blacks out the stage display and the MC's badge says so; the
    stage manager's blackout button brings it back on both."""
    window, side = opened(qtbot, engine, clock)
    window.actions_["blackout"].trigger()
    assert side.stage.blackout and "STAGE BLACKOUT" in window.view.badges.text()
    side.manager.actions_["blackout"].trigger()
    assert not side.stage.blackout and "BLACKOUT" not in window.view.badges.text()


def test_the_stage_manager_drives_the_same_show(qtbot, engine, clock):
    """The stage manager's Next is the MC's Next: one engine, one journal, one undo."""
    window, side = opened(qtbot, engine, clock)
    side.manager.actions_["toggle"].trigger()
    clock.advance(5)
    side.manager.actions_["next"].trigger()
    assert engine.now().index == 1
    window.actions_["undo"].trigger()
    assert engine.now().index == 0


def test_a_lost_stage_screen_is_announced_on_the_mc_window(qtbot, engine, clock):
    """On a screen, then hidden (its cable pulled): the MC's notice bar says so; back on its
    screen: the notice goes."""
    window, side = opened(qtbot, engine, clock)
    side.stage.placement_changed.emit(Placement("wanted", 1))
    side.stage.placement_changed.emit(Placement("hidden"))
    assert window.view.notice.text()
    side.stage.placement_changed.emit(Placement("wanted", 1))
    assert not window.view.notice.text()


def test_a_laptop_without_a_second_screen_shows_no_stage_notice(qtbot, engine, clock):
    """Hidden from the start (one screen) is the normal state: no amber bar for it."""
    window = make_window(qtbot, clock)
    window.host.start_show(engine)
    notice = _PlacementNotice(window.host)
    notice(Placement("none"))
    assert not window.view.notice.text()
    notice(Placement("wanted", 1))
    notice(Placement("hidden"))
    assert window.view.notice.text()


def test_the_stage_menu_opens_the_stage_manager_window(qtbot, engine, clock):
    """Stage > Stage manager window (Ctrl+2) shows the second operator window."""
    window, side = opened(qtbot, engine, clock)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert any("Stage" in t for t in titles)
    opener = next(a for a in QWidget.actions(window) if a.shortcut().toString() == "Ctrl+2")
    assert opener is window.actions_["stage_manager"]
    opener.trigger()
    assert side.manager.isVisible()


def test_a_stage_screen_that_is_not_there_is_said(qtbot, engine, clock):
    """`--stage-screen 5` on a one-screen laptop: the notice bar says there is no screen 5
    and how many there are; the display is not put anywhere it was not asked."""
    window, side = opened(qtbot, engine, clock)
    side.place_stage(5)
    assert "There is no screen 5: this computer has 1 (numbered from 0)" in (
        window.view.notice.text()
    )
