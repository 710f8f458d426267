"""Lengths and times of day the way spreadsheets hold them, read into whole seconds."""

from __future__ import annotations

import datetime as dt

import pytest

from runofshow.core.agenda import Kind
from runofshow.core.rundown.columns import recognise
from runofshow.core.rundown.sheet import Formula
from runofshow.core.rundown.values import (
    CellError,
    find_date,
    read_kind,
    read_length,
    read_time,
    read_time_range,
)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("5분", 300), ("1분 30초", 90), ("30초", 30), ("1시간 30분", 5400), ("５분", 300),
        ("0:05:00", 300), ("5:00", 300), ("90:00", 5400), ("4m30s", 270), ("1h", 3600),
        ("5 min", 300), ("1 hour 30 min", 5400), ("90 sec", 90), ("5'", 300), ("4'30\"", 270),
        ("5", 300), ("4.5", 270), (5, 300), (4.5, 270), (dt.time(0, 5), 300),
        (dt.timedelta(minutes=48, seconds=30), 2910), (dt.datetime(1899, 12, 30, 0, 10), 600),
    ],
)  # fmt: skip
def test_lengths(value, seconds):
    assert read_length(value).seconds == seconds


def test_a_header_unit_counts_plain_numbers():
    """분량(초) holds seconds, 시간(분) is a length in minutes (not a time of day)."""
    assert read_length("90", unit_s=recognise("분량(초)").unit_s).seconds == 90
    assert recognise("시간(분)").field == "duration" and recognise("시간").field == "start"
    assert recognise("Start Time").field == "start" and recognise("비 고").field == "notes"


def test_a_time_cell_read_as_a_length_is_flagged():
    """4:30 typed into a spreadsheet becomes 04:30 o'clock: 4 h 30 min, with a warning."""
    length = read_length(dt.time(4, 30))
    assert length.seconds == 16200
    assert "if you meant 4 min 30 s, write 0:04:30 or 4분 30초" in (length.warning or "")


@pytest.mark.parametrize("value", ["5 mins please", "-5분", 0, "0:00", True, "", "#REF!"])
def test_bad_lengths_say_how_to_write_one(value):
    with pytest.raises(CellError) as excinfo:
        read_length(value)
    assert excinfo.value.hint


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("15:00", 54000), ("15:00:30", 54030), ("9:05", 32700), ("15시", 54000),
        ("15시 30분", 55800), ("오후 3:00", 54000), ("오후 3시 30분", 55800), ("오전 9:30", 34200),
        ("3:00 PM", 54000), ("3 pm", 54000), ("12:30 am", 1800), (dt.time(15, 0), 54000),
        (dt.datetime(2022, 11, 30, 15, 0), 54000), (0.625, 54000),
        ("24:15", 87300), ("25:30", 91800), (dt.timedelta(hours=24, minutes=5), 86700),
    ],
)  # fmt: skip
def test_times_of_day(value, seconds):
    assert read_time(value) == seconds


def test_ranges_give_a_start_and_an_end():
    assert read_time_range("15:00~15:05") == (54000, 54300)
    assert read_time_range("15:00 - 15:05") == (54000, 54300)
    assert read_time_range("15:00~") == (54000, None)


@pytest.mark.parametrize(
    "value", ["48:00", "24:60", "오후 13:00", "15", "noon", "13 pm", Formula("=B2+C2")]
)
def test_bad_times(value):
    with pytest.raises(CellError):
        read_time(value)


def test_dates_and_kinds_in_korean_and_english():
    assert find_date("일시: 2022. 11. 30.(수) 15:00~16:00") == dt.date(2022, 11, 30)
    assert find_date("2022년 11월 30일") == dt.date(2022, 11, 30)
    assert [read_kind(w) for w in ("피칭", "축사", "Q&A", "영상", "Break")] == [
        Kind.PITCH,
        Kind.SPEECH,
        Kind.QA,
        Kind.VIDEO,
        Kind.BREAK,
    ]
