"""The installed PySide6 does not leak references to None, True or False.

PySide6 6.12.0 on CPython 3.11 drops a reference to None on every Qt call that returns
nothing and to True/False on every bool signal; a real window aborted with ``Fatal Python
error: none_dealloc`` seconds into a 60x rehearsal. pyproject.toml excludes 6.12 for that
reason; this test fails if a leaking build is ever installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class Flag(QObject):
    changed = Signal(bool)


def test_void_calls_and_bool_signals_keep_singleton_reference_counts(qtbot):
    """Thousands of repaint requests and bool emits leave None/True/False counts unchanged."""
    widget = QWidget()
    qtbot.addWidget(widget)
    flag = Flag()
    flag.changed.connect(lambda _value: None)
    before = {
        name: sys.getrefcount(obj)
        for name, obj in (("None", None), ("True", True), ("False", False))
    }
    for _ in range(2_000):
        widget.update()
        flag.changed.emit(True)
        flag.changed.emit(False)
    after = {
        name: sys.getrefcount(obj)
        for name, obj in (("None", None), ("True", True), ("False", False))
    }
    for name, count in before.items():
        assert after[name] >= count - 50, f"{name} lost {count - after[name]} references"
