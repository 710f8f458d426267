"""What a rundown says about the event above its table: title, date, venue, times.

A producer's sheet usually opens with the event's name in the first cell and a few labelled
lines (``일시 | 2022. 11. 30.(수) 15:00~16:00``, ``장소 | 서울 팁스타운``) before the header row;
``runofshow export`` writes the same (``Date | 2022-11-30``). A label is the first cell of a
row (or ``label: value`` in one cell) and its value the next filled cell. Any other text is a
candidate for the title, and a date written anywhere above the table is the event's date
when nothing better says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from runofshow.core.rundown.columns import normalise
from runofshow.core.rundown.problems import Where
from runofshow.core.rundown.sheet import Sheet
from runofshow.core.rundown.values import find_date

LABELS: dict[str, tuple[str, ...]] = {
    "title": ("행사명", "행사", "행사 제목", "제목", "event", "event title", "title", "타이틀"),
    "subtitle": ("부제", "부제목", "subtitle"),
    "date": ("날짜", "일자", "일시", "행사일", "행사 일시", "date", "day"),
    "venue": ("장소", "행사장", "venue", "place", "location", "where"),
    "start": ("시작", "시작 시간", "시작 시각", "start", "starts", "begin"),
    "end": ("종료", "종료 시간", "종료 시각", "end", "ends", "finish"),
    "timezone": ("시간대", "표준시간대", "timezone", "time zone", "tz"),
}
_LABEL = {normalise(word): name for name, words in LABELS.items() for word in words}
_TIME_RANGE = re.compile(r"(\d{1,2}:\d{2})\s*(?:~|-|–|—)\s*(\d{1,2}:\d{2})")


@dataclass(frozen=True, slots=True)
class Found:
    """A value found above the table and the cell it is in."""

    value: Any
    where: Where


@dataclass(slots=True)
class Preamble:
    labelled: dict[str, Found] = field(default_factory=dict)  # by LABELS name
    title: Found | None = None  # the first free text: the event's name, most likely
    date: Found | None = None  # the first date written anywhere above the table
    times: tuple[Found, Found] | None = None  # "15:00~16:00" next to the date


def read_preamble(sheet: Sheet, header_row: int) -> Preamble:
    """Everything the rows above the header say about the event."""
    found = Preamble()
    for row in range(1, header_row):
        cells = [(c, sheet.raw(row, c)) for c in range(1, sheet.col_count + 1)]
        cells = [(c, v) for c, v in cells if v is not None]
        if cells:
            _read_row(found, sheet.where, row, cells)
    return found


def _read_row(found: Preamble, where: Where, row: int, cells: list[tuple[int, Any]]) -> None:
    col, first = cells[0]
    label = _label_of(first)
    if label is not None and len(cells) > 1:
        value_col, value = cells[1]
        _keep(found, label, Found(value, where.at(row, value_col)))
        return
    if isinstance(first, str) and label is None:
        split = _split_label(first)
        if split is not None:
            _keep(found, split[0], Found(split[1], where.at(row, col)))
            return
    for c, value in cells:
        _free_value(found, Found(value, where.at(row, c)))


def _label_of(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return _LABEL.get(normalise(value.strip().rstrip(":：")))


def _split_label(text: str) -> tuple[str, str] | None:
    """``일시: 2022. 11. 30.`` -> ("date", "2022. 11. 30."); a bare ``15:00`` is no label."""
    head, sep, rest = text.replace("：", ":").partition(":")
    label = _LABEL.get(normalise(head)) if sep else None
    return (label, rest.strip()) if label and rest.strip() else None


def _keep(found: Preamble, label: str, value: Found) -> None:
    found.labelled.setdefault(label, value)
    if label == "date" and isinstance(value.value, str):
        _times_in(found, value)


def _free_value(found: Preamble, value: Found) -> None:
    text = value.value if isinstance(value.value, str) else None
    if text is None:
        if found.date is None and hasattr(value.value, "year"):
            found.date = value
        return
    if found.date is None and find_date(text):
        found.date = value
        _times_in(found, value)
        if _only_a_date(text):
            return
    if found.title is None:
        found.title = value


def _times_in(found: Preamble, value: Found) -> None:
    match = _TIME_RANGE.search(value.value)
    if match and found.times is None:
        found.times = (Found(match.group(1), value.where), Found(match.group(2), value.where))


def _only_a_date(text: str) -> bool:
    """A cell that holds a date and times but no words (``2022. 11. 30.(수) 15:00``)."""
    rest = re.sub(r"[\d\s:~.\-/()년월일]|[월화수목금토일]요일|\([월화수목금토일]\)", "", text)
    return not rest.strip()
