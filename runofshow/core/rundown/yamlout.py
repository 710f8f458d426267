"""Writing an imported rundown as the agenda YAML a person would have written by hand.

Values are plain where YAML allows (``title: 개회 및 국민의례``, ``start: 15:00``, ``duration:
4m30s``) and quoted only where YAML needs it (``title: "Keynote: …"``): each candidate is
parsed back with PyYAML's no-guessing loader and quoted if it would not read as itself. After
each value a comment names the cell it came from, and what the cell said when it was
rewritten (``duration: 4m30s  # Sheet1!C7 (4분 30초)``), so the agenda can be checked against
the sheet line by line. ``render`` also returns which cell each line came from, so that a
problem the agenda loader finds on line 12 can be reported as the cell the user must fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from runofshow.core.cells import cell_width
from runofshow.core.rundown.problems import Where

COMMENT_COLUMN_MAX = 52  # comments line up within a block, but never further right than this


@dataclass(frozen=True, slots=True)
class Value:
    """One YAML value: its text, the comment saying where it came from, and that cell."""

    text: str
    comment: str | None = None
    where: Where | None = None


@dataclass(slots=True)
class DraftSegment:
    fields: dict[str, Value]  # in the order they are written


@dataclass(slots=True)
class DraftGroup:
    fields: dict[str, Value]  # group, subtitle, target
    segments: list[DraftSegment] = field(default_factory=list)


@dataclass(slots=True)
class Draft:
    """An agenda before it is written: the event, the programme, and what was assumed."""

    heading: list[str]  # the file's opening comment lines
    event: dict[str, Value]
    programme: list[DraftSegment | DraftGroup]


@dataclass(slots=True)
class Rendered:
    text: str
    origins: dict[int, Where]  # 1-based line -> the cell its value came from


def render(draft: Draft) -> Rendered:
    """The agenda's YAML text and the cell behind each line."""
    out = _Lines()
    for line in draft.heading:
        out.add(f"# {line}".rstrip())
    out.add("")
    end = draft.event.get("end")
    out.add("event:", end.where if end else None)  # the loader's "ends after end" warning
    out.block(draft.event, indent="  ")
    out.add("")
    out.add("programme:")
    for item in draft.programme:
        if isinstance(item, DraftGroup):
            out.block(item.fields, indent="    ", first="  - ")
            out.add("    segments:")
            for segment in item.segments:
                out.block(segment.fields, indent="        ", first="      - ")
        else:
            out.block(item.fields, indent="    ", first="  - ")
        out.add("")
    return Rendered("\n".join(out.lines).rstrip("\n") + "\n", out.origins)


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origins: dict[int, Where] = {}

    def add(self, line: str, where: Where | None = None) -> None:
        self.lines.append(line)
        if where is not None:
            self.origins[len(self.lines)] = where

    def block(self, fields: dict[str, Value], *, indent: str, first: str | None = None) -> None:
        """One mapping, its comments aligned; ``first`` starts a list item (``- ``)."""
        heads = []
        for i, (key, value) in enumerate(fields.items()):
            lead = first if first is not None and i == 0 else indent
            multi = "\n" in value.text
            heads.append(f"{lead}{key}: {'|-' if multi else scalar(value.text)}")
        fitting = [cell_width(h) for h in heads if cell_width(h) + 2 <= COMMENT_COLUMN_MAX]
        column = max(fitting, default=0) + 2
        for head, value in zip(heads, fields.values(), strict=True):
            comment = ""
            if value.comment:
                gap = max(2, column - cell_width(head))
                comment = " " * gap + f"# {value.comment}"
            self.add(head + comment, value.where)
            if "\n" in value.text:
                for line in value.text.splitlines():
                    self.add(f"{indent}  {line}".rstrip(), value.where)


def scalar(text: str) -> str:
    """``text`` as a one-line YAML scalar: plain when it reads back as itself, else quoted."""
    if _plain_ok(text):
        return text
    if '"' in text and "'" not in text and "\\" not in text:
        return f"'{text}'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return f'"{escaped}"'


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or any(ch in text for ch in "\t\r\n"):
        return False
    try:
        return bool(yaml.load(f"k: {text}", Loader=yaml.BaseLoader) == {"k": text})
    except yaml.YAMLError:
        return False


def duration_text(seconds: int) -> str:
    """``270`` -> ``4m30s``, ``3600`` -> ``1h``: the agenda's own way of writing a length."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    text = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return text or "0s"


def time_text(seconds_of_day: int) -> str:
    """``54000`` -> ``15:00``, ``32400`` -> ``9:00``, ``54030`` -> ``15:00:30``; a time of
    the next day counts on past 24 hours, as a night's rundown writes it: ``24:15``."""
    h, rest = divmod(seconds_of_day, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}" + (f":{s:02d}" if s else "")


def agenda_time_text(seconds: int, *, end: bool = False) -> str:
    """A time as the agenda writes it: a time of the next day as its time of day (``0:15``
    after a start of 23:30 is a quarter past midnight: docs/agenda-format.md), and the
    midnight that ends an event as ``24:00`` (``end``)."""
    if end and seconds == 86400:
        return "24:00"
    return time_text(seconds % 86400)
