"""Screenshots of the stage side on the bundled agenda, driven by a fake clock.

    python docs/screenshots/make_stage_screenshots.py [OUT_DIR]

The show runs on a ``FakeClock`` from 15:00 on the show day: pitch 2 runs 42 s over its
5:00 limit, pitches 3 and 4 make the time up, the vote starts on time at 15:28. Captured:

- ``stage-manager-standby.png``: 15:29:40, the vote has 0:20 left, the video is in standby;
- ``stage-manager-go.png``: 15:30:00, the video started: GO until acknowledged;
- ``stage-manager-video.png``: 15:31, the video running;
- ``confidence-{normal,wrapup,danger,overtime,message,blackout}.png``: the speaker's display
  during pitch 2 in each phase, with a message, and blacked out (1920×1080).

Rendered offscreen with ``QWidget.grab()``, the stage manager's window at its default size:
no screen, no window manager, same pixels.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse

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
# Seconds each segment before the vote actually ran: pitch 2 over by 0:42, 3 and 4 short.
RUN_BEFORE_VOTE = (300, 180, 120, 270, 342, 230, 238)
PITCH_2 = 4


class Shooter:
    """One show on a fake clock, with the stage side built on it, and a camera."""

    def __init__(self, out: Path) -> None:
        self.out = out
        agenda = load_agenda(default_agenda())
        zone = dt.timezone(dt.timedelta(hours=9))
        start = dt.datetime.combine(agenda.event.date, dt.time(15, 0), tzinfo=zone)
        self.clock = FakeClock(wall=start.timestamp() - 60)
        self.engine = ShowEngine(agenda, self.clock)
        self.host = ShowHost(
            Translator("ko"), WindowSettings(), load_agenda,
            lambda a, _fresh: ShowSession(ShowEngine(a, self.clock)),
        )  # fmt: skip
        options = argparse.Namespace(stage_screen=None, stage_manager=False, video_screen=None)
        slot = StageSideSlot(self.host, options)
        self.mc = McWindow(
            self.host,
            {
                "stage_manager": slot.open_manager,
                "show_stage": lambda: None,
                "open_logs": lambda: None,
            },
        )
        slot.window = self.mc
        self.host.start_show(self.engine)
        side = slot.build()
        self.stage, self.cues, self.window = side.stage, side.cues, side.manager
        self.controller = self.host.controller
        self.window.show()  # at its default size
        self.stage.resize(1920, 1080)
        self.stage.show()
        self.elapsed_in_segment = 0.0

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.elapsed_in_segment += seconds
        self.controller.refresh()
        QApplication.processEvents()

    def act(self, name: str) -> None:
        self.host.execute(name)
        self.elapsed_in_segment = 0.0
        QApplication.processEvents()

    def shoot(self, widget: QWidget, name: str) -> None:
        QApplication.processEvents()
        path = self.out / name
        widget.grab().save(str(path))
        print(f"wrote {path}")

    def run(self) -> None:
        self.advance(60)
        self.act("start")
        for index, seconds in enumerate(RUN_BEFORE_VOTE):
            if index == PITCH_2:
                self.pitch_two(seconds)
            else:
                self.advance(seconds)
            self.act("next")
        self.advance(100)  # 15:29:40: the vote has 0:20 left
        self.shoot(self.window, "stage-manager-standby.png")
        self.advance(20)
        self.act("next")  # 15:30:00: the video starts: GO
        self.shoot(self.window, "stage-manager-go.png")
        self.act("acknowledge")
        self.advance(60)
        self.shoot(self.window, "stage-manager-video.png")

    def pitch_two(self, seconds: float) -> None:
        """The confidence display through pitch 2's phases, then the rest of its run."""
        for at, name in ((60, "normal"), (250, "wrapup"), (280, "danger"), (312, "overtime")):
            self.advance(at - self.elapsed_in_segment)
            if name == "wrapup":
                self.shoot(self.stage, "confidence-wrapup.png")
                self.advance(5)
                self.host.execute("message", {"text": "마무리 부탁드립니다"})
                self.shoot(self.stage, "confidence-message.png")
                self.host.execute("clear_message")
                continue
            self.shoot(self.stage, f"confidence-{name}.png")
        self.host.execute("blackout", {"on": True})
        self.shoot(self.stage, "confidence-blackout.png")
        self.host.execute("blackout", {"on": False})
        self.advance(seconds - self.elapsed_in_segment)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    load_bundled_fonts()
    Shooter(out).run()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
