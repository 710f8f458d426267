"""Helpers shared by the Qt tests: show-day times, a hand-built agenda, a fake sound sink,
and a window factory. (Kept out of conftest.py so that tests can import them by name.)"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from runofshow._qt.app.host import ShowHost
from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.i18n import Translator
from runofshow._qt.windows.mc_window import McWindow
from runofshow.core.agenda import Agenda, Defaults, Event, Kind, Segment
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine
from runofshow.core.loader import load_agenda
from runofshow.core.session import ShowSession

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
SHOW_DAY = dt.date(2022, 11, 30)


def at(hh: int, mm: int, ss: int = 0) -> float:
    """Epoch seconds of a time of day on the show day, in Seoul."""
    return dt.datetime.combine(SHOW_DAY, dt.time(hh, mm, ss), tzinfo=SEOUL).timestamp()


class FakeSink:
    """Records chime names instead of playing them."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.played: list[str] = []

    def play(self, name: str) -> None:
        self.played.append(name)


def hand_agenda(path: Path = Path("hand.yaml")) -> Agenda:
    """A small show: an opening, two five-minute pitches (the second with sounds off), a
    video and a close, 15:00 to 15:25 in Seoul."""

    def seg(i: int, title: str, duration: int, kind: Kind, **extra) -> Segment:
        return Segment(index=i, id=f"s{i}", title=title, duration_s=duration, kind=kind, **extra)

    segments = (
        seg(0, "개회", 300, Kind.CEREMONY, subtitle="Opening", speaker="사회자"),
        seg(1, "① 첫 피칭", 270, Kind.PITCH, subtitle="Pitch 1", speaker="김발표", limit_s=300),
        seg(2, "② 조용한 피칭", 270, Kind.PITCH, speaker="이발표", limit_s=300, sounds=False),
        seg(3, "[영상] 소개 영상", 300, Kind.VIDEO, subtitle="Video"),
        seg(4, "폐회", 360, Kind.CEREMONY, speaker="사회자"),
    )
    event = Event(
        title="테스트 행사",
        date=SHOW_DAY,
        start_s=15 * 3600,
        end_s=15 * 3600 + 25 * 60,
        timezone="Asia/Seoul",
    )
    return Agenda(path=path, event=event, defaults=Defaults(), segments=segments)


def make_host(clock: FakeClock, lang: str = "en") -> ShowHost:
    """A host whose agendas load in-process and whose shows run on ``clock`` in memory."""
    return ShowHost(
        Translator(lang),
        WindowSettings(),
        load_agenda,
        lambda agenda, _fresh: ShowSession(ShowEngine(agenda, clock, mode="live")),
    )


def host_for(engine: ShowEngine, lang: str = "en") -> ShowHost:
    """A host running ``engine``'s show (no window): for the stage side's tests."""
    host = make_host(engine.clock, lang)  # type: ignore[arg-type]
    host.start_show(engine)
    return host


def make_window(qtbot, clock: FakeClock, lang: str = "en") -> McWindow:
    window = McWindow(make_host(clock, lang), STAGE_HANDLERS)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    return window


# What the stage side's app commands do in a window with no stage side.
STAGE_HANDLERS = {
    "stage_manager": lambda: None,
    "show_stage": lambda: None,
    "open_logs": lambda: None,
}


def advance(window: McWindow, clock: FakeClock, seconds: float) -> None:
    """Time passes, then the repaint timer fires (the tests fire it by hand: no sleeping)."""
    clock.advance(seconds)
    window.host.controller.refresh()


def opened(qtbot, window: McWindow, path: Path) -> bool:
    """Open ``path`` as Ctrl+O does (checked off the GUI thread) and wait for the answer;
    whether the show now runs that file."""
    host = window.host
    with qtbot.waitSignal(host.checks.checked, timeout=30_000, check_params_cb=_answer("open")):
        host.open_agenda(path)
    return host.has_show and host.engine.agenda.path == path


def _answer(*purposes: str):
    """Waits for the answer to this check, not for another that happens to finish first (the
    file watcher's check of a file just written, a slow check asked before)."""
    return lambda answer: answer.purpose in purposes


def reloaded(qtbot, window: McWindow) -> bool:
    """Ctrl+R, waited for; whether no agenda problem is on the notice bar afterwards."""
    host = window.host
    with qtbot.waitSignal(
        host.checks.checked, timeout=30_000, check_params_cb=_answer("reload", "waiting")
    ):
        host.reload_agenda()
    return "agenda" not in host.notices


def _answer(*purposes: str):
    """Waits for the answer to this request: the watcher's check of a file written just
    before (purpose "saved") can answer first, and was taken for it (a flaky hostile test:
    the notice read was the previous answer's)."""
    return lambda answer: answer.purpose in purposes


def window_with_stage_side(qtbot, clock: FakeClock, engine: ShowEngine):
    """The MC's window on ``engine`` with the stage side built as main() builds it after the
    first frame; returns (window, stage side)."""
    import argparse

    from runofshow._qt.app.main import StageSideSlot

    host = make_host(clock)
    options = argparse.Namespace(stage_screen=None, stage_manager=False, video_screen=None)
    slot = StageSideSlot(host, options)
    window = McWindow(
        host,
        {
            "stage_manager": slot.open_manager,
            "show_stage": slot.toggle_stage,
            "open_logs": lambda: None,
        },
    )
    slot.window = window
    window.stage_slot = slot
    qtbot.addWidget(window)
    window.resize(1366, 768)
    host.start_show(engine)
    side = slot.build()
    qtbot.addWidget(side.manager)
    qtbot.addWidget(side.stage)
    return window, side
