"""Helpers shared by the Qt tests: show-day times, a hand-built agenda, a fake sound sink,
and a window factory. (Kept out of conftest.py so that tests can import them by name.)"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from runofshow._qt.app.settings import WindowSettings
from runofshow._qt.i18n import Translator
from runofshow._qt.windows.mc_window import McWindow
from runofshow.core.agenda import Agenda, Defaults, Event, Kind, Segment
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine
from runofshow.core.loader import load_agenda

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


def make_window(qtbot, clock: FakeClock, lang: str = "en") -> McWindow:
    window = McWindow(
        Translator(lang),
        WindowSettings(),
        load_agenda,
        lambda agenda: ShowEngine(agenda, clock, mode="live"),
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    return window


def advance(window: McWindow, clock: FakeClock, seconds: float) -> None:
    """Time passes, then the repaint timer fires (the tests fire it by hand: no sleeping)."""
    clock.advance(seconds)
    window.controller.refresh()
