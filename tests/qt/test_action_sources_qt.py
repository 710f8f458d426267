"""The journal says whether a show command came from a key or from a menu item or button
(``Action.source``), so the report and a post-mortem can tell a clicker from a mouse."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest


def test_a_key_journals_key_and_a_menu_or_button_journals_menu(qtbot, window, engine, clock):
    QTest.keySequence(window, QKeySequence("F5"))  # start, by its key
    clock.advance(1)
    window.actions_["add_minute"].trigger()  # as a menu item or a button does
    clock.advance(1)
    QTest.keySequence(window, QKeySequence("B"))
    next(b for b in window.view.buttons if b.defaultAction().objectName() == "undo").click()
    sources = [(a.name, a.source) for a in engine.actions]
    assert sources == [
        ("start", "key"), ("add_time", "menu"), ("blackout", "key"), ("undo", "menu")
    ]  # fmt: skip
