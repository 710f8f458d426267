"""Screenshots of planning the show as it runs, in the stage manager's window (Korean).

    python docs/screenshots/make_planning_screenshots.py [OUT_DIR]

The bundled seed runs on a ``FakeClock`` from 15:00: pitch 2 talks 4:00 past its slot, and
at 15:20:30 (pitch 3 under way) the show is four minutes behind. Captured:

- ``stage-manager-landing-plan.png``: the plan to land on 16:00, before it is applied;
- ``stage-manager-what-if.png``: what if the live vote took a minute more, not applied.

Rendered offscreen with ``QWidget.grab()`` (no screen needed); settings go to a temporary
folder, the show's journal to memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from runofshow._qt.app.host import ShowHost
from runofshow._qt.app.main import StageSideSlot
from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.fonts import load_bundled_fonts
from runofshow._qt.i18n import Translator
from runofshow._qt.windows.mc_window import McWindow
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine
from runofshow.core.loader import load_agenda
from runofshow.core.session import ShowSession
from runofshow.resources import default_agenda

HERE = Path(__file__).resolve().parent
PITCH_2 = 4


def stage_manager(clock: FakeClock, lang: str = "ko"):
    """The MC's window and the stage manager's on the seed's show, on ``clock``."""
    agenda = load_agenda(default_agenda())
    host = ShowHost(
        Translator(lang),
        WindowSettings(),
        load_agenda,
        lambda agenda, _fresh: ShowSession(ShowEngine(agenda, clock)),
    )
    options = argparse.Namespace(stage_screen=None, stage_manager=False, video_screen=None)
    slot = StageSideSlot(host, options)
    handlers = {"stage_manager": slot.open_manager, "show_stage": slot.toggle_stage}
    window = McWindow(host, {**handlers, "open_logs": lambda: None})
    slot.window = window
    host.start_show(ShowEngine(agenda, clock))
    side = slot.build()
    assert side is not None
    side.manager.resize(1600, 1000)
    side.manager.show()
    return host, side.manager


def shoot(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path}")


def plan_worked_out(manager) -> None:
    """The landing plan follows the table a moment after its repaint: wait for it."""
    deadline = time.monotonic() + 5
    manager.host.controller.refresh()
    landing = manager.landing
    while landing.plan is None or landing.pending:
        if time.monotonic() > deadline:
            raise SystemExit("the landing plan was not worked out within 5 s")
        QApplication.processEvents()
        time.sleep(0.01)
    if not landing.state.text():
        raise SystemExit("the landing plan says nothing")


def run(out: Path) -> None:
    zone = dt.timezone(dt.timedelta(hours=9))
    agenda = load_agenda(default_agenda())
    start = dt.datetime.combine(agenda.event.date, dt.time(15, 0), tzinfo=zone).timestamp()
    clock = FakeClock(wall=start)
    host, manager = stage_manager(clock)
    host.execute("start")
    for segment in agenda.segments[:6]:
        over = 240 if segment.index == PITCH_2 else 0
        clock.advance(segment.duration_s + over)
        host.execute("next")
    clock.advance(30)
    plan_worked_out(manager)
    shoot(manager, out / "stage-manager-landing-plan.png")
    manager.what_if.segment.setCurrentIndex(7)
    manager.what_if.length.setText("+1m")
    manager.what_if.try_length()
    host.controller.refresh()
    shoot(manager, out / "stage-manager-what-if.png")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    settings = tempfile.mkdtemp(prefix="runofshow-shots-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    app = QApplication.instance() or QApplication([])
    load_bundled_fonts()
    run(out)
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
