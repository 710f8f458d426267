"""Start-up: slow work queued at launch waits for the window's first frame."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from runofshow._qt.main import AfterFirstFrame


def test_callback_runs_once_after_the_first_paint(qtbot):
    """Nothing runs before the widget has painted; after it, exactly once, from the loop."""
    calls: list[int] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    AfterFirstFrame(widget, lambda: calls.append(1))
    QApplication.processEvents()
    assert calls == []
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: calls == [1])
    widget.repaint()
    QApplication.processEvents()
    assert calls == [1]
