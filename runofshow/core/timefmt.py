"""How times are shown: one place, so the MC's window, the stage view and `check` agree.

A countdown shows whole seconds rounded *up* (5:00 stays on screen until a full second has
run, and 0:00 appears only when time is really up); overtime counts up rounded *down*
(``+0:00`` for the first second over). ``seconds_until_flip`` tells a repaint scheduler how
long until the shown value changes, so a window repaints exactly at second boundaries instead
of polling.
"""

from __future__ import annotations

import math


def hms(seconds: float) -> str:
    """``3725`` -> ``1:02:05``, ``65`` -> ``1:05``; whole seconds, no sign."""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def countdown_seconds(remaining: float) -> int:
    """The whole seconds a countdown shows: remaining rounded up, or overtime rounded down."""
    if remaining > 0:
        return math.ceil(remaining - 1e-9)
    return math.floor(-remaining + 1e-9)


def countdown_text(remaining: float) -> str:
    """``299.2`` -> ``5:00``; ``-12.5`` -> ``+0:12``."""
    shown = countdown_seconds(remaining)
    return hms(shown) if remaining > 0 else f"+{hms(shown)}"


def seconds_until_flip(remaining: float, speed: float = 1.0) -> float:
    """Real seconds until ``countdown_text(remaining)`` changes while the clock runs."""
    # Counting down, the value flips when ``remaining`` crosses the next whole second below;
    # counting up (remaining <= 0), when overtime crosses the next whole second above. Both
    # are the fractional part of ``remaining`` measured from below.
    frac = remaining - math.floor(remaining)
    show_s = frac if frac > 1e-9 else 1.0
    return show_s / speed


def signed_duration(seconds: float) -> str:
    """``130`` -> ``+2:10``, ``-65`` -> ``-1:05``, rounded to whole seconds."""
    whole = round(seconds)
    sign = "+" if whole > 0 else "-" if whole < 0 else "±"
    return f"{sign}{hms(abs(whole))}"


def drift_text(drift_s: float) -> str:
    """The show against its plan in words: ``2:10 behind``, ``1:05 ahead``, ``on time``."""
    whole = round(drift_s)
    if whole == 0:
        return "on time"
    return f"{hms(abs(whole))} {'behind' if whole > 0 else 'ahead'}"


DAY_S = 86400


def clock_of_day(seconds_of_day: float, *, end: bool = False) -> str:
    """``54000`` -> ``15:00:00``; a time on the next day (an event past midnight) is marked:
    ``88200`` -> ``00:30:00 +1``. An ``end`` exactly at the following midnight reads
    ``24:00:00``, as a programme says it ends at midnight."""
    day, total = divmod(int(seconds_of_day), DAY_S)
    if end and day > 0 and total == 0:
        day, total = day - 1, DAY_S
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{text} +{day}" if day > 0 else text


def day_mark(days: int) -> str:
    """`` +1`` after a time of day that falls on the day after the show's date, else ``""``:
    the suffix ``clock_of_day`` uses, for displays that format real datetimes."""
    return f" +{days}" if days > 0 else ""
