"""Durations and times of day are read the way people write them, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from runofshow.core.durations import BadValue, parse_duration, parse_time_of_day


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5m", 300),
        ("90s", 90),
        ("1m30s", 90),
        ("1h", 3600),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("4m30s", 270),
        ("00:05:00", 300),
        ("5:00", 300),
        ("0:45", 45),
        ("90:00", 5400),
        ("1:05:00", 3900),
    ],
)
def test_written_durations_become_seconds(text, seconds):
    """Every documented way of writing a duration gives the right number of seconds."""
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "hint_part"),
    [
        ("5 mins", "write 5m"),
        ("300", "a bare number has no unit"),
        ("1.5m", "write a duration as"),
        ("5:60", "write a duration as"),
        ("m", "write a duration as"),
        ("", "write a duration as"),
        ("30s1m", "write a duration as"),
    ],
)
def test_unreadable_durations_are_refused_with_a_hint(text, hint_part):
    """Ambiguous or misspelt durations are refused and the hint shows how to write them."""
    with pytest.raises(BadValue) as caught:
        parse_duration(text)
    assert hint_part in (caught.value.hint or "")


def test_zero_and_negative_durations_are_refused():
    """A slot of no time or negative time is a mistake, not a segment."""
    for text in ("0m", "0:00", "-5m"):
        with pytest.raises(BadValue):
            parse_duration(text)


def test_thresholds_may_be_zero():
    """A zero wrap-up or danger threshold switches that phase off."""
    assert parse_duration("0s", allow_zero=True) == 0


@pytest.mark.parametrize(
    ("text", "seconds"), [("15:00", 54000), ("9:05", 32700), ("15:00:30", 54030), ("0:00", 0)]
)
def test_times_of_day_become_seconds_since_midnight(text, seconds):
    """Times of day are 24-hour clock readings, with or without seconds."""
    assert parse_time_of_day(text) == seconds


@pytest.mark.parametrize("text", ["25:00", "15:60", "1500", "3pm", "15:00:61", "24:00"])
def test_impossible_times_of_day_are_refused(text):
    """Hours past 23, minutes past 59 and unseparated digits are not times of day."""
    with pytest.raises(BadValue):
        parse_time_of_day(text)


@given(st.integers(min_value=0, max_value=23), st.integers(0, 59), st.integers(0, 59))
def test_clock_style_duration_matches_unit_style(h, m, s):
    """``h:mm:ss`` and ``XhYmZs`` spell the same length of time."""
    total = h * 3600 + m * 60 + s
    assume(total > 0)
    assert parse_duration(f"{h}:{m:02d}:{s:02d}") == total == parse_duration(f"{h}h{m}m{s}s")
