"""Drift on the fake clock: a 60-minute show replayed in-process in milliseconds.

The controller's loop is reproduced exactly: read ``engine.poll()``, show ``countdown_text``,
arm a whole-millisecond wake for ``next_change_in``, advance the fake clock by that wake. Each
flip's lateness is measured from its true boundary (start + k seconds); the drift is how far
the last flips' lateness moved from the first ones'. Nothing is counted, so it must be 0.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from live import Flip, drift_ms, lateness_stats, shown_step, steps_ok

from runofshow._qt.show.display import next_change_in
from runofshow.core.agenda import Agenda, Defaults, Event, Segment
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine
from runofshow.core.timefmt import countdown_text

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def one_segment_show(seconds: int) -> Agenda:
    event = Event(
        title="drift", date=dt.date(2022, 11, 30), start_s=15 * 3600, end_s=15 * 3600 + seconds
    )
    segment = Segment(index=0, id="s0", title="long", duration_s=seconds)
    return Agenda(path=None, event=event, defaults=Defaults(), segments=(segment,))  # type: ignore[arg-type]


def fake_clock_drift(show_s: int = 3600, overtime_s: int = 60) -> dict:
    """Run ``show_s`` seconds of countdown and ``overtime_s`` of overtime on a FakeClock."""
    wall = dt.datetime(2022, 11, 30, 15, 0, tzinfo=SEOUL).timestamp()
    clock = FakeClock(wall=wall)
    engine = ShowEngine(one_segment_show(show_s), clock)
    engine.start()
    zero = clock.monotonic() + show_s
    shown, seq, wakes = countdown_text(engine.now().remaining_s), [], 0
    while clock.monotonic() < zero + overtime_s:
        now = engine.poll()
        clock.advance(max(1, round(next_change_in(now) * 1000)) / 1000)
        wakes += 1
        text = countdown_text(engine.poll().remaining_s)
        if text != shown:
            shown = text
            step = shown_step(text)
            seq.append(Flip(clock.monotonic(), step, (clock.monotonic() - (zero + step)) * 1000))
    skipped, doubled = steps_ok(seq)
    return {
        **lateness_stats(seq),
        "drift_ms": drift_ms(seq),
        "skipped": skipped,
        "doubled": doubled,
        "wakes": wakes,
        "show_s": show_s + overtime_s,
    }
