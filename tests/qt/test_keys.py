"""Keys become engine actions; window-only keys never touch the show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from qt_helpers import advance

from runofshow.core.commands import BY_NAME
from runofshow.core.engine import Status

Key = Qt.Key


def test_space_starts_pauses_and_resumes(qtbot, window, engine):
    """Space is the one key for start, pause and resume."""
    qtbot.keyClick(window, Key.Key_Space)
    assert engine.status is Status.RUNNING
    qtbot.keyClick(window, Key.Key_Space)
    assert engine.status is Status.PAUSED
    qtbot.keyClick(window, Key.Key_Space)
    assert engine.status is Status.RUNNING


def test_f5_starts_the_show(qtbot, window, engine):
    """F5 starts, as in presentation software."""
    qtbot.keyClick(window, Key.Key_F5)
    assert engine.status is Status.RUNNING


def test_every_next_key_advances(qtbot, window, engine, clock):
    """PageDown, Right, Enter and N each move to the next segment (a clicker sends PageDown)."""
    qtbot.keyClick(window, Key.Key_Space)
    for expected, key in enumerate((Key.Key_PageDown, Key.Key_Right, Key.Key_Return, Key.Key_N), 1):
        advance(window, clock, 1.0)  # past the clicker-bounce window
        qtbot.keyClick(window, key)
        assert engine.now().index == expected


def test_every_previous_key_goes_back(qtbot, window, engine, clock):
    """PageUp, Left and P each go back one segment."""
    qtbot.keyClick(window, Key.Key_Space)
    engine.goto(3)
    for expected, key in zip((2, 1, 0), (Key.Key_PageUp, Key.Key_Left, Key.Key_P), strict=True):
        qtbot.keyClick(window, key)
        assert engine.now().index == expected


def test_plus_minus_add_and_remove_time(qtbot, window, engine):
    """+ adds a minute, - removes one; with Shift, ten seconds."""
    qtbot.keyClick(window, Key.Key_Space)
    base = engine.now().remaining_s
    qtbot.keyClick(window, Key.Key_Plus)
    assert engine.now().remaining_s == base + 60
    qtbot.keyClick(window, Key.Key_Plus, Qt.KeyboardModifier.ShiftModifier)
    assert engine.now().remaining_s == base + 70
    qtbot.keyClick(window, Key.Key_Minus)
    assert engine.now().remaining_s == base + 10
    qtbot.keyClick(window, Key.Key_Minus, Qt.KeyboardModifier.ShiftModifier)
    assert engine.now().remaining_s == base


def test_ctrl_z_undoes_an_accidental_next(qtbot, window, engine, clock):
    """Ctrl+Z takes back a Next: the speaker is back with their elapsed time intact."""
    qtbot.keyClick(window, Key.Key_Space)
    advance(window, clock, 42)
    qtbot.keyClick(window, Key.Key_PageDown)
    assert engine.now().index == 1
    qtbot.keyClick(window, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    now = engine.now()
    assert now.index == 0
    assert now.elapsed_s == 42
    assert window.view.countdown.text() == "4:18"


def test_blackout_keys_flip_the_flag_and_signal(qtbot, window, engine):
    """B and '.' (what clickers send for a black screen) toggle the stage blackout, a show
    action in the journal like every key."""
    qtbot.keyClick(window, Key.Key_B)
    assert engine.now().blackout and engine.actions[-1].name == "blackout"
    assert window.actions_["blackout"].isChecked()
    assert "STAGE BLACKOUT" in window.view.badges.text()
    qtbot.keyClick(window, Key.Key_Period)
    assert not engine.now().blackout
    assert "BLACKOUT" not in window.view.badges.text()


def test_m_mutes_and_unmutes(qtbot, window):
    """M mutes the chimes and says so on screen."""
    qtbot.keyClick(window, Key.Key_M)
    assert window.host.muted and window.host.controller.policy.muted
    assert "MUTED" in window.view.badges.text()
    qtbot.keyClick(window, Key.Key_M)
    assert not window.host.muted


def test_escape_leaves_full_screen_and_never_stops_the_show(qtbot, window, engine):
    """Esc is pressed in panic; it may only leave full screen, never stop or pause the show."""
    qtbot.keyClick(window, Key.Key_Space)
    qtbot.keyClick(window, Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert window.actions_["fullscreen"].isChecked()
    qtbot.keyClick(window, Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    for _ in range(3):
        qtbot.keyClick(window, Key.Key_Escape)
    assert engine.status is Status.RUNNING


def test_f1_and_question_mark_toggle_the_key_list(qtbot, window):
    """F1 or ? shows the keys over the show; Esc closes them."""
    qtbot.keyClick(window, Key.Key_F1)
    assert window.help.isVisible()
    assert "PgDown" in window.help.label.text()
    qtbot.keyClick(window, Key.Key_Escape)
    assert not window.help.isVisible()
    qtbot.keyClick(window, Key.Key_Question)
    assert window.help.isVisible()


def test_every_action_shows_its_shortcut(window):
    """Menus and buttons name each action's key, so the MC can learn them (every command
    of the table that has keys; some, like pause or goto, are menu or network only)."""
    for name, action in window.actions_.items():
        if not BY_NAME[name].keys:
            continue
        assert action.shortcuts(), name
        assert "[" in action.iconText() and "(" in action.toolTip(), name


def test_buttons_never_take_the_keyboard_focus(window):
    """Space and Enter must reach the show actions, not activate a focused button."""
    for button in window.view.buttons:
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
