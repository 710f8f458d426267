"""Every row of the command table is reachable: by its keys, from a menu, and on the windows
that show it as a button. Adding a command is adding a row; this walks the rows."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu
from qt_helpers import window_with_stage_side

from runofshow.core.commands import COMMANDS, MC, STAGE_MANAGER, Scope


def menu_actions(window) -> set[QAction]:
    """Every action reachable through the window's menu bar, submenus included."""
    found: set[QAction] = set()
    pending = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    while pending:
        menu: QMenu = pending.pop()
        for action in menu.actions():
            if action.menu() is not None:
                pending.append(action.menu())
            else:
                found.add(action)
    return found


def test_every_row_has_its_keys_menu_and_buttons(qtbot, engine, clock):
    """Each command's action carries exactly the table's keys, sits in a menu of a window
    that shows it, and is a button on the windows its row names."""
    mc, side = window_with_stage_side(qtbot, clock, engine)
    manager = side.manager
    in_menus = {MC: menu_actions(mc), STAGE_MANAGER: menu_actions(manager)}
    buttons = {
        MC: {b.defaultAction() for b in mc.view.buttons},
        STAGE_MANAGER: {
            b.defaultAction() for b in [*manager.buttons, manager.go_button, manager.ack_button]
        },
    }
    for command in COMMANDS:
        windows = {MC: mc.actions_, STAGE_MANAGER: manager.actions_}
        homes = [w for w, actions in windows.items() if command.name in actions]
        assert homes, f"{command.name} is in no window"
        for home in homes:
            action = windows[home][command.name]
            keys = [QKeySequence(k) for k in command.keys]
            assert action.shortcuts() == keys, command.name
            if command.menu is not None and command.scope is not Scope.WINDOW:
                assert action in in_menus[MC] | in_menus[STAGE_MANAGER], command.name
        for window in command.buttons:
            assert windows[window][command.name] in buttons[window], (command.name, window)


def test_shared_commands_are_one_action_in_every_window(qtbot, engine, clock):
    """A show or app command is the same QAction in the MC's and the stage manager's
    window: one checked state, one set of keys (two would make every key ambiguous)."""
    mc, side = window_with_stage_side(qtbot, clock, engine)
    for command in COMMANDS:
        if command.scope is Scope.WINDOW:
            continue
        assert side.manager.actions_[command.name] is mc.actions_[command.name], command.name


def test_every_keyed_show_command_journals_from_its_key(qtbot, window, engine, clock):
    """Pressing a show command's first key in the MC's window runs it through the journal
    (each from a state where it applies)."""
    from PySide6.QtTest import QTest

    from runofshow.core.commands import BY_NAME

    engine.send_message("on stage")
    # acknowledge needs a cue at GO, roll a show in roll mode (the hand-built one is not):
    # test_planning_window walks R on a roll show.
    for command in COMMANDS:
        if command.scope is not Scope.SHOW or not command.keys:
            continue
        if command.name in ("acknowledge", "go", "roll"):  # need a cued / roll agenda
            continue
        for fix in (lambda: None, engine.start, engine.next, engine.pause):
            clock.advance(1)  # past the clicker-bounce guard
            fix()
            if BY_NAME[command.name].refusal(engine, engine.now(), {}) is None:
                break
        if command.name == "clear_message" and engine.now().message is None:
            engine.send_message("on stage")
        clock.advance(1)
        before = len(engine.actions)
        sequence = QKeySequence(command.keys[0])
        QTest.keySequence(window, sequence)
        assert len(engine.actions) == before + 1, command.name
