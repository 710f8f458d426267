"""Agendas built in code for the engine's tests, so that they test the engine alone (the
loader has its own tests and corpus), and ``at()`` for times of day on the show day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from runofshow.core.agenda import Agenda, Defaults, EndAction, Event, Group, Kind, Segment
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import ShowStore
from runofshow.core.resume import open_show

SEOUL = dt.timezone(dt.timedelta(hours=9))
SHOW_DAY = dt.date(2022, 11, 30)


def at(hhmmss: str, day: dt.date = SHOW_DAY) -> float:
    """Epoch seconds of a time of day on the show day in Seoul."""
    h, m, *s = (int(x) for x in hhmmss.split(":"))
    return dt.datetime(
        day.year, day.month, day.day, h, m, s[0] if s else 0, tzinfo=SEOUL
    ).timestamp()


def make_agenda(
    rows: list[dict],
    *,
    start: str = "15:00",
    end: str = "16:00",
    groups: list[tuple[str, int, int]] = (),
) -> Agenda:
    """An agenda from plain rows: each row is Segment keyword arguments (title and
    duration_s at least); groups are (title, first, last)."""
    h, m = (int(x) for x in start.split(":"))
    eh, em = (int(x) for x in end.split(":"))
    group_of = {i: g for g, (_, first, last) in enumerate(groups) for i in range(first, last + 1)}
    segments = tuple(
        Segment(index=i, id=row.pop("id", f"s{i}"), group=group_of.get(i), **row)
        for i, row in enumerate(dict(r) for r in rows)
    )
    return Agenda(
        path=Path("test.yaml"),
        event=Event(
            title="Test",
            date=SHOW_DAY,
            start_s=h * 3600 + m * 60,
            end_s=eh * 3600 + em * 60,
            timezone="Asia/Seoul",
        ),
        defaults=Defaults(),
        segments=segments,
        groups=tuple(
            Group(index=g, title=t, first=f, last=last) for g, (t, f, last) in enumerate(groups)
        ),
    )


def pitch(n: int) -> dict:
    return dict(
        title=f"Pitch {n}",
        kind=Kind.PITCH,
        duration_s=270,
        limit_s=300,
        wrapup_s=60,
        danger_s=30,
        speaker=f"Speaker {n}",
    )


SEED_ROWS = [
    dict(title="Opening", kind=Kind.CEREMONY, duration_s=300, speaker="MC"),
    dict(title="Greeting", kind=Kind.SPEECH, duration_s=180),
    dict(title="Congratulations", kind=Kind.SPEECH, duration_s=120),
    pitch(1),
    pitch(2),
    pitch(3),
    pitch(4),
    dict(title="Live vote", kind=Kind.VOTE, duration_s=120),
    dict(title="Video", kind=Kind.VIDEO, duration_s=300),
    dict(title="Honorary officials", kind=Kind.TALK, duration_s=600),
    dict(title="Awards", kind=Kind.CEREMONY, duration_s=600),
    dict(title="Closing remarks", kind=Kind.SPEECH, duration_s=120),
    dict(title="Hand-over", kind=Kind.HANDOVER, duration_s=120),
    dict(title="Close", kind=Kind.CEREMONY, duration_s=60),
]


__all__ = ["SEED_ROWS", "EndAction", "at", "make_agenda", "pitch"]


def engine_on(store: ShowStore, agenda: Agenda, clock: FakeClock) -> ShowEngine:
    """An engine on the show ``open_show`` picks for this agenda (resumed or new)."""
    opened = open_show(store, agenda, clock)
    return ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)


def start_at_three(engine: ShowEngine, clock: FakeClock) -> None:
    clock.advance(at("15:00:00") - clock.wall())
    assert engine.start()
