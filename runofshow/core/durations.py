"""Durations and times of day as people write them in an agenda.

Durations: ``90s``, ``5m``, ``1h``, ``1m30s``, ``1h 30m`` (units h, m, s in that order, each
at most once, spaces between them allowed) or clock style ``5:00`` (m:ss) and ``1:05:00``
(h:mm:ss). A bare number is refused because nobody can tell whether ``5`` meant seconds or
minutes. Times of day: ``15:00`` or ``15:00:30``, 24-hour clock. Every parser takes text and
returns whole seconds, raising ``BadValue`` (a ``ValueError`` carrying a fix hint) otherwise.

No duration may be longer than a day (``MAX_DURATION_S``): an event is at most a day long, so
a longer slot, threshold or timeout is a typo (``99999h``), and an unbounded one reaches the
engine's date arithmetic and the GUI's timers as a number they cannot hold.
"""

from __future__ import annotations

import functools
import re

from runofshow.core.agenda import MAX_DURATION_S
from runofshow.core.timefmt import clock_of_day, hms

DURATION_HINT = "write a duration as 90s, 5m, 1m30s, 1h30m, or clock style 5:00 (m:ss) / 1:05:00"
TIME_HINT = "write a time of day as 15:00 or 15:00:30 (24-hour clock)"
_MAX_DIGITS = 9  # more digits than this is over a day in any unit (and int() stays cheap)

_UNITS = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?")
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_BARE_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_WORDED = re.compile(r"(\d+)\s*(hours?|hrs?|minutes?|mins?|seconds?|secs?)", re.IGNORECASE)


class BadValue(ValueError):
    """A value that cannot be read, with a one-line hint on how to write it instead."""

    def __init__(self, message: str, hint: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field  # the key a whole-mapping check blames, so we can point at it


@functools.lru_cache(maxsize=1024)  # an agenda repeats a handful of values
def parse_duration(text: str, *, allow_zero: bool = False) -> int:
    """``"1m30s"`` -> ``90``; ``"5:00"`` -> ``300``; ``"1:05:00"`` -> ``3900``."""
    value = text.strip()
    shown = _shortened(text)
    if value.startswith("-"):
        raise BadValue(f"{shown!r} is negative", "a duration is a positive length such as 5m")
    seconds = _units_seconds(value)
    if seconds is None:
        seconds = _clock_seconds(value)
    if seconds is None:
        raise BadValue(f"{shown!r} is not a duration", _duration_hint(value))
    if seconds == 0 and not allow_zero:
        raise BadValue(f"{shown!r} is zero", "a duration must be longer than 0s")
    if seconds > MAX_DURATION_S:
        raise BadValue(
            f"{shown!r} is longer than a day",
            f"nothing in an agenda lasts more than {hms(MAX_DURATION_S)}: check the unit "
            "(5m, not 5h?)",
        )
    return seconds


def _shortened(text: str) -> str:
    """A value quoted in a message: 5,000 digits would bury the message itself."""
    return text if len(text) <= 24 else f"{text[:10]}…{text[-10:]}"


def _number(digits: str | None) -> int:
    """A group of digits as a number; one too long for any duration counts as a day too many,
    so ``int()`` never parses thousands of digits (Python refuses past 4,300)."""
    if not digits:
        return 0
    return int(digits) if len(digits) <= _MAX_DIGITS else MAX_DURATION_S + 1


def _units_seconds(value: str) -> int | None:
    match = _UNITS.fullmatch(value)
    if not value or match is None or not any(match.groups()):
        return None
    h, m, s = (_number(g) for g in match.groups())
    return h * 3600 + m * 60 + s


def _clock_seconds(value: str) -> int | None:
    match = _CLOCK.fullmatch(value)
    if match is None:
        return None
    first, second, third = match.groups()
    if third is None:  # m:ss
        return _number(first) * 60 + int(second)
    return _number(first) * 3600 + int(second) * 60 + int(third)  # h:mm:ss


def _duration_hint(value: str) -> str:
    if _BARE_NUMBER.fullmatch(value):
        shown = _shortened(value)
        return f"a bare number has no unit: write {shown}s or {shown}m"
    worded = _WORDED.fullmatch(value)
    if worded:
        number, unit = worded.groups()
        return f"write {number}{unit[0].lower()}, not {value!r}; units are h, m and s"
    return DURATION_HINT


@functools.lru_cache(maxsize=1024)
def parse_time_of_day(text: str) -> int:
    """``"15:00"`` -> ``54000``; ``"15:00:30"`` -> ``54030``. Hours 0-23."""
    match = _TIME_OF_DAY.fullmatch(text.strip())
    if match is None:
        raise BadValue(f"{text!r} is not a time of day", TIME_HINT)
    h, m, s = (int(g) if g else 0 for g in match.groups())
    if h > 23 or m > 59 or s > 59:
        raise BadValue(f"{text!r} is not a time of day (hours 0-23, minutes 0-59)", TIME_HINT)
    return h * 3600 + m * 60 + s


def parse_end_of_day(text: str) -> int:
    """An event's end: a time of day, or ``24:00`` (``24:00:00``) for the midnight that ends
    the day (``86400``)."""
    if text.strip() in ("24:00", "24:00:00"):
        return 24 * 3600
    try:
        return parse_time_of_day(text)
    except BadValue as exc:
        raise BadValue(exc.message, f"{TIME_HINT}; 24:00 for midnight") from None


def format_duration(seconds: int) -> str:
    """How messages show a duration: the same ``m:ss`` the countdown shows."""
    return hms(seconds)


def format_time(seconds_of_day: int, *, end: bool = False) -> str:
    """How messages show a time of day: ``15:00:00`` (``00:30:00 +1`` the next day)."""
    return clock_of_day(seconds_of_day, end=end)
