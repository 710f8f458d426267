"""The interpreter survives a whole show's worth of Qt calls (PySide6 refcount bug guard)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from runofshow._qt.refcount_guard import guard_singletons


class Flag(QObject):
    changed = Signal(bool)


def test_none_and_bools_outlive_many_void_calls_and_bool_signals(qtbot):
    """Two hours of repaints at 60 wakes a second, and as many bool emits, leave None, True
    and False with plenty of references (unguarded, PySide6 6.12 on 3.11 would abort)."""
    guard_singletons()
    widget = QWidget()
    qtbot.addWidget(widget)
    flag = Flag()
    flag.changed.connect(lambda _value: None)
    for _ in range(60 * 60 * 2 * 60 // 100):
        widget.update()
        flag.changed.emit(True)
        flag.changed.emit(False)
    for singleton in (None, True, False):
        assert sys.getrefcount(singleton) > 1_000_000


def test_guard_is_applied_once():
    """Importing the package already guarded the singletons; a second call does nothing."""
    assert guard_singletons() is False
