"""The stage side wired to the MC's window: one show, one blackout flag, and the MC told
where the stage display went."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from qt_helpers import make_window

from runofshow._qt.show.stage_side import _PlacementNotice, attach_stage_side
from runofshow._qt.windows.confidence_display import Placement


def opened(qtbot, engine, clock):
    """The MC's window on ``engine`` with the stage side attached (as after the first frame)."""
    window = make_window(qtbot, clock)
    window.start_show(engine)
    side = attach_stage_side(window)
    qtbot.addWidget(side.manager)
    qtbot.addWidget(side.stage)
    return window, side


def test_blackout_is_one_flag_for_the_mc_and_the_stage_display(qtbot, engine, clock):
    """B on the MC's window blacks out the stage display; the stage side's own toggle shows
    on the MC's window."""
    window, side = opened(qtbot, engine, clock)
    window.set_blackout(True)
    assert side.stage.blackout
    side.stage.set_blackout(False)
    assert not window.blackout


def test_the_stage_manager_drives_the_same_show(qtbot, engine, clock):
    """The stage manager's Next is the MC's Next: one engine, one journal, one undo."""
    window, side = opened(qtbot, engine, clock)
    side.manager.actions_["toggle"].trigger()
    clock.advance(5)
    side.manager.actions_["next"].trigger()
    assert engine.now().index == 1
    window.actions["undo"].trigger()
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
    window.start_show(engine)
    notice = _PlacementNotice(window)
    notice(Placement("hidden"))
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
    assert opener is window.actions["stage_manager"]
    opener.trigger()
    assert side.manager.isVisible()
