"""Start-up: slow work queued at launch waits for the window's first frame."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from runofshow._qt.app.main import AfterFirstFrame


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


OFF_THE_FIRST_FRAME = (
    "yaml",  # an agenda is validated in a child process, or comes from the cache
    "pydantic",
    "runofshow.core.loader",
    "PySide6.QtMultimedia",  # the sound output is connected after the first frame
    "runofshow._qt.sound.sinks",
    "runofshow._qt.sound.pulse",
    "runofshow._qt.show.stage_side",  # the stage side is attached after it
    "runofshow._qt.windows.stage_manager",
    "runofshow._qt.widgets.help_overlay",  # built on first F1
    "runofshow._qt.widgets.problems_page",  # built only for an agenda with errors
    "_hashlib",  # OpenSSL: 9 ms of a cold start (core.digest)
    "runofshow.core.font_coverage",  # read only for check's warnings
    "runofshow._qt.peers",  # a show shared by several laptops: only once the network is on
    "zeroconf",
)


def test_the_first_frame_imports_only_what_it_draws(tmp_path):
    """A fresh process that builds and paints the MC's window of the bundled agenda (never
    opened before, then again from the cache) has not imported the validator, the audio
    stack, the stage side or the pages it does not show: they cost start-up time and memory
    and come after the first frame."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from runofshow._qt.app import main as m\n"
        f"args = m.parse_args(['--state-dir', {str(tmp_path)!r}, '--mute'])\n"
        "app = m.application([])\n"
        "window = m.create_window(args)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.host.controller is not None, 'no show opened'\n"
        f"print(sorted(name for name in {OFF_THE_FIRST_FRAME!r} if name in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _run in ("agenda never opened", "agenda from the cache"):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip().splitlines()[-1] == "[]", _run


def test_the_quicker_pyside_module_scan_answers_as_pyside_does():
    """PySide6 asks of every module imported after it whether its source mentions PySide6
    (for its ``__feature__`` switches). Our quicker scan, installed before any of our
    modules is imported, gives PySide6's own answer for our modules, the standard library's,
    a built-in one and a compiled extension."""
    import json
    import sys

    import PySide6.QtCore

    import runofshow._qt.app.main
    import runofshow.core.engine

    scan = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    assert getattr(scan, "byte_scan", False), "not installed by runofshow._qt"
    modules = (runofshow._qt.app.main, runofshow.core.engine, json, sys, PySide6.QtCore)
    assert [scan(m) for m in modules] == [scan.original(m) for m in modules]
    assert [scan(m) for m in modules[:2]] == [True, False]
