"""Times, durations, dates and kinds as a spreadsheet holds them, read into the agenda's terms.

A producer's sheet holds a length as text ("5분", "1분 30초", "5'", "0:05:00", "5:00",
"4m30s"), as a number of minutes (5, 4.5), or as a time-formatted cell that the spreadsheet
stores as a fraction of a day (openpyxl hands those over as ``time``, ``timedelta`` or, for a
serial past 1, a ``datetime`` on 1899-12-30). Times of day come as "15:00", "오후 3시 30분",
"3:00 PM", a range "15:00~15:05", or a time cell. Every reader returns whole seconds or raises
``CellError`` with a message and a hint that say what was found and how to write it instead;
the importer adds the cell's name. Text "5:00" is m:ss, as in an agenda (``90:00`` is 90
minutes); a *time cell* showing 4:30 was typed into the spreadsheet as a time of day and is
4 h 30 min, which is almost never a segment's length, so it is read as such with a warning.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any, NamedTuple

from runofshow.core.agenda import Agenda, Kind
from runofshow.core.durations import BadValue, parse_duration
from runofshow.core.rundown.sheet import Formula

DURATION_HINT = "write a length as 5분, 1분 30초, 0:05:00, 5:00 (m:ss), 4m30s or 5 (minutes)"
TIME_HINT = "write a time of day as 15:00, 15:00:30, 오후 3:00 or 3:00 PM"
EXCEL_ERRORS = {"#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!"}
_EPOCHS = (dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1900, 1, 1))

_KOREAN_LENGTH = re.compile(r"(?:(\d+)\s*시간)?\s*(?:(\d+)\s*분)?\s*(?:(\d+)\s*초)?")
_WORD_LENGTH = re.compile(
    r"(?:(\d+)\s*(?:h|hr|hrs|hour|hours))?\s*,?\s*"
    r"(?:(\d+)\s*(?:m|min|mins|minute|minutes))?\s*,?\s*"
    r"(?:(\d+)\s*(?:s|sec|secs|second|seconds))?",
    re.IGNORECASE,
)
_PRIMES = re.compile(r"(?:(\d+)\s*['′’])?\s*(?:(\d+)\s*(?:\"|″|”|''))?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CLOCKS = (
    re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?"),  # 15:00, 15:00:30
    re.compile(r"(\d{1,2})\s*시(?:\s*(\d{1,2})\s*분)?(?:\s*(\d{1,2})\s*초)?"),  # 15시 30분
)
_BARE_HOUR = re.compile(r"(\d{1,2})()()")  # "3" of "3 pm"
_MERIDIEM = re.compile(
    r"^(오전|오후|am|pm|a\.m\.|p\.m\.)\s*|\s*(오전|오후|am|pm|a\.m\.|p\.m\.)$", re.I
)
_RANGE = re.compile(r"\s*(?:~|–|—|-|to|부터)\s*", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})\s*(?:[-./년]\s*)(\d{1,2})\s*(?:[-./월]\s*)(\d{1,2})\s*[.일]?")


class CellError(ValueError):
    """A cell value that cannot be read, with a hint on how to write it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Length(NamedTuple):
    """A length read from a cell, and a warning when the reading deserves a second look."""

    seconds: int
    warning: str | None = None


def read_length(value: Any, *, unit_s: int = 60) -> Length:
    """A cell's value as a length in whole seconds (> 0). Plain numbers count ``unit_s``."""
    _refuse_broken(value)
    if isinstance(value, bool):
        raise CellError(f"{shown(value)} is not a length", DURATION_HINT)
    if isinstance(value, dt.timedelta):
        return _positive(round(value.total_seconds()), value)
    if isinstance(value, dt.datetime):
        return _positive(_serial_length(value), value)
    if isinstance(value, dt.time):
        return _time_cell_length(value)
    if isinstance(value, int | float):
        return _positive(_number_length(float(value), unit_s), value)
    return _positive(_text_length(_normal(str(value)), unit_s), value)


def _positive(seconds: int, value: Any) -> Length:
    if seconds <= 0:
        raise CellError(f"{shown(value)} is not a length longer than zero", DURATION_HINT)
    return Length(seconds)


def _serial_length(value: dt.datetime) -> int:
    """A time cell holding a day or more comes as a datetime near the spreadsheet's epoch;
    a cell formatted h:mm shows only its time of day, so that is what it means here."""
    if value.date() not in _EPOCHS:
        raise CellError(f"{shown(value)} is a date, not a length", DURATION_HINT)
    return value.hour * 3600 + value.minute * 60 + value.second


def _time_cell_length(value: dt.time) -> Length:
    seconds = value.hour * 3600 + value.minute * 60 + value.second + round(value.microsecond / 1e6)
    if seconds <= 0:
        raise CellError(f"{shown(value)} is not a length longer than zero", DURATION_HINT)
    if value.hour and not value.second:
        return Length(
            seconds,
            f"{value.hour}:{value.minute:02d} is a time cell, read as {value.hour} h "
            f"{value.minute} min; if you meant {value.hour} min {value.minute} s, "
            f"write 0:{value.hour:02d}:{value.minute:02d} or {value.hour}분 {value.minute}초",
        )
    return Length(seconds)


def _number_length(number: float, unit_s: int) -> int:
    if number < 0 or math.isnan(number) or math.isinf(number):
        raise CellError(f"{shown(number)} is not a length", DURATION_HINT)
    return round(number * unit_s)


def _text_length(text: str, unit_s: int) -> int:
    for reader in (_agenda_length, _korean_length, _word_length, _prime_length):
        seconds = reader(text)
        if seconds is not None:
            return seconds
    if _NUMBER.fullmatch(text):
        return _number_length(float(text), unit_s)
    if text.startswith("-"):
        raise CellError(f"{text!r} is negative", "a length is positive, such as 5분")
    raise CellError(f"{text!r} is not a length", DURATION_HINT)


def _agenda_length(text: str) -> int | None:
    try:
        return parse_duration(text)
    except BadValue:
        return None


def _units(match: re.Match[str] | None) -> int | None:
    if match is None or not any(match.groups()):
        return None
    h, m, s = (int(g) if g else 0 for g in match.groups())
    return h * 3600 + m * 60 + s


def _korean_length(text: str) -> int | None:
    return _units(_KOREAN_LENGTH.fullmatch(text)) if text else None


def _word_length(text: str) -> int | None:
    return _units(_WORD_LENGTH.fullmatch(text)) if text else None


def _prime_length(text: str) -> int | None:
    match = _PRIMES.fullmatch(text) if text else None
    if match is None or not any(match.groups()):
        return None
    m, s = (int(g) if g else 0 for g in match.groups())
    return m * 60 + s


# -- times of day ---------------------------------------------------------------------------


class TimeRange(NamedTuple):
    """A time of day and, when the cell wrote a range (15:00~15:05), where it ends."""

    start: int
    end: int | None = None


def read_time_range(value: Any) -> TimeRange:
    """A start time, or a ``15:00~15:05`` range, in seconds since midnight."""
    if isinstance(value, str):
        text = _normal(value)
        parts = [p for p in _RANGE.split(text, maxsplit=1)] if _has_range(text) else [text]
        if len(parts) == 2:
            start = read_time(parts[0])
            return TimeRange(start, read_time(parts[1]) if parts[1] else None)
    return TimeRange(read_time(value))


def _has_range(text: str) -> bool:
    """``15:00~15:05`` or ``15:00 - 15:05``, but not a bare ``-`` that means "none"."""
    return bool(re.search(r"\d\s*(?:~|–|—|-|to|부터)", text, re.IGNORECASE))


DAY_S = 86400
NEXT_DAY_END_S = 2 * DAY_S  # 47:59:59 is the latest time a sheet may write for the next day


def read_time(value: Any) -> int:
    """A cell's value as a time of day, seconds since midnight (0:00-23:59:59), or a time of
    the next day written past 24 hours (``24:15``, a ``[h]:mm`` cell), as broadcast schedules
    and our own export write a night: 86400 and more."""
    _refuse_broken(value)
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second + round(value.microsecond / 1e6)
    if isinstance(value, dt.timedelta) and 0 <= value.total_seconds() < NEXT_DAY_END_S:
        return round(value.total_seconds())
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        return round(value * 86400) % 86400  # a time cell that lost its format
    if isinstance(value, str):
        return _text_time(_normal(value))
    raise CellError(f"{shown(value)} is not a time of day", TIME_HINT)


def _text_time(text: str) -> int:
    meridiem = _MERIDIEM.search(text)
    word = (meridiem.group(1) or meridiem.group(2) or "").lower() if meridiem else ""
    clock = _MERIDIEM.sub("", text).strip() if meridiem else text
    patterns = (*_CLOCKS, _BARE_HOUR) if word else _CLOCKS
    match = next((m for m in (p.fullmatch(clock) for p in patterns) if m), None)
    if match is None:
        raise CellError(f"{text!r} is not a time of day", TIME_HINT)
    h, m, s = (int(g) if g else 0 for g in match.groups())
    if word:
        if not 1 <= h <= 12:
            raise CellError(f"{text!r}: {h} is not an hour of a 12-hour clock", TIME_HINT)
        h = h % 12 + (12 if word in ("오후", "pm", "p.m.") else 0)
    if h > 47 or m > 59 or s > 59 or (word and h > 23):
        message = f"{text!r} is not a time of day (hours 0-23, or 24-47 for the next day)"
        raise CellError(message, TIME_HINT)
    return h * 3600 + m * 60 + s


# -- dates, kinds, text ---------------------------------------------------------------------


def read_date(value: Any) -> dt.date:
    """A date cell, or text such as 2022-11-30, 2022. 11. 30. or 2022년 11월 30일."""
    _refuse_broken(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    found = find_date(str(value)) if isinstance(value, str) else None
    if found is None:
        raise CellError(f"{shown(value)} is not a date", "write the date as 2022-11-30")
    return found


def find_date(text: str) -> dt.date | None:
    """The first year-month-day date written anywhere in ``text``."""
    match = _DATE.search(_normal(text))
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


KIND_WORDS: dict[str, Kind] = {
    **{kind.value: kind for kind in Kind},
    **dict.fromkeys(("발표", "강연", "강의", "토크", "세미나", "기조연설", "keynote"), Kind.TALK),
    **dict.fromkeys(("피칭", "피치", "pitching"), Kind.PITCH),
    **dict.fromkeys(("투표", "현장투표", "voting"), Kind.VOTE),
    **dict.fromkeys(("영상", "동영상", "vcr", "film", "clip"), Kind.VIDEO),
    **dict.fromkeys(
        ("의식", "식순", "개회", "폐회", "시상", "시상식", "수여식", "국민의례", "의례", "award"),
        Kind.CEREMONY,
    ),
    **dict.fromkeys(
        ("연설", "인사", "인사말", "축사", "환영사", "격려사", "개회사", "폐회사", "address"),
        Kind.SPEECH,
    ),
    **dict.fromkeys(("패널", "토론", "대담", "좌담", "discussion"), Kind.PANEL),
    **dict.fromkeys(("질의응답", "질의", "질문", "q&a", "q and a"), Kind.QA),
    **dict.fromkeys(
        ("휴식", "쉬는시간", "브레이크", "점심", "식사", "coffee", "lunch"), Kind.BREAK
    ),
    **dict.fromkeys(("공연", "축하공연", "show", "music"), Kind.PERFORMANCE),
    **dict.fromkeys(("전달", "인계", "이양", "hand-over", "hand over"), Kind.HANDOVER),
    **dict.fromkeys(("기타", "etc"), Kind.OTHER),
}
KOREAN_KIND: dict[Kind, str] = {
    Kind.TALK: "발표",
    Kind.PITCH: "피칭",
    Kind.VOTE: "투표",
    Kind.VIDEO: "영상",
    Kind.CEREMONY: "의식",
    Kind.SPEECH: "연설",
    Kind.PANEL: "패널",
    Kind.QA: "질의응답",
    Kind.BREAK: "휴식",
    Kind.PERFORMANCE: "공연",
    Kind.HANDOVER: "전달",
    Kind.OTHER: "기타",
}


def guess_lang(agenda: Agenda) -> str:
    """``ko`` when the event's title is written in Hangul: its crew reads Korean headings."""
    return "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in agenda.event.title) else "en"


def read_kind(value: Any) -> Kind:
    """A kind in English (pitch) or Korean (피칭), any case."""
    text = read_text(value)
    kind = KIND_WORDS.get(" ".join((text or "").lower().split()))
    if kind is None:
        words = ", ".join(k.value for k in Kind)
        raise CellError(
            f"{text!r} is not a kind of segment",
            f"write one of {words} (or in Korean: 발표, 피칭, 영상, 축사, 휴식, …); "
            "a column of section names can be mapped as the group with --map group=COLUMN",
        )
    return kind


def read_text(value: Any) -> str | None:
    """A cell as text (numbers without a trailing .0, times as 15:00), or None when empty."""
    _refuse_broken(value)
    if value is None:
        return None
    text = value if isinstance(value, str) else shown(value)
    text = "\n".join(line.strip() for line in text.strip().splitlines())
    return text or None


def one_line(text: str) -> str:
    """A title written on two lines of a cell (Alt+Enter) is one title: join with spaces."""
    return " ".join(text.split())


def shown(value: Any) -> str:
    """A value the way the spreadsheet shows it, for messages and YAML comments."""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if not value.second else "%H:%M:%S")
    if isinstance(value, dt.timedelta):
        total = round(value.total_seconds())
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _refuse_broken(value: Any) -> None:
    if isinstance(value, Formula):
        raise CellError(
            f"the formula {value.text} has no saved result",
            "the file was saved by a program that does not calculate formulas: open it in "
            "Excel or LibreOffice and save it again, or type the value",
        )
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise CellError(
            f"holds the spreadsheet error {value.strip()}",
            "fix the formula in the spreadsheet (a deleted row or column?)",
        )


def _normal(text: str) -> str:
    """Full-width digits and colons (１５：００) as ASCII; no surrounding space."""
    return unicodedata.normalize("NFKC", text).strip()
