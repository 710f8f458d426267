"""Agendas and their problems as JSON: plain data that can be stored and sent, never code.

The agenda cache keeps validated agendas in the state folder, and the isolated loader's child
sends its answer back over a pipe. Both used pickle, and unpickling runs whatever the bytes
say: a file planted in the state folder (a shared folder, a USB stick) would have run code
as soon as its agenda was opened. JSON only ever decodes to numbers, strings, lists and
dicts; this module turns those back into the frozen dataclasses of ``agenda`` and
``problems``, checking every value's type on the way, and then checks the agenda against the
bounds the engine relies on (``check_bounds``). Anything else is a ``CodecError``.

Each dataclass is written as a list of its fields' values in declaration order, and the
document names every class's fields, so an entry written by a build with other fields is
refused rather than misread. The conversions are worked out once per class from the fields'
annotations, so a field added to a dataclass is carried without touching this module (a type
it does not know is refused loudly, by ``test_agenda_codec``). Imports stay light (no PyYAML,
no pydantic): the window decodes its cached agenda here before its first frame.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runofshow.core import agenda as model
from runofshow.core.agenda import (
    DAY_S,
    FIRST_DATE,
    LAST_DATE,
    MAX_DURATION_S,
    MAX_PROGRAMME_S,
    Agenda,
)
from runofshow.core.problems import AgendaError, Problem, Severity

FORMAT = "runofshow-agenda-json"
VERSION = 1
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.Agenda,
        model.Event,
        model.Defaults,
        model.Segment,
        model.Group,
        model.Cue,
        model.SourcePos,
        Problem,
    )
}
_ENUMS: dict[str, type[enum.Enum]] = {
    "Kind": model.Kind,
    "EndAction": model.EndAction,
    "RunMode": model.RunMode,
    "Severity": Severity,
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


class CodecError(ValueError):
    """Bytes that are not an agenda (or an answer) this build wrote."""


# -- the public side ---------------------------------------------------------------------------


def encode_agenda(agenda: Agenda) -> bytes:
    """``agenda`` as JSON bytes (ASCII: file names that are not valid UTF-8 survive)."""
    return _dump({"agenda": _encoder("Agenda")(agenda)})


def decode_agenda(data: bytes) -> Agenda:
    """The agenda ``encode_agenda`` wrote, checked; ``CodecError`` for anything else."""
    document = _load(data)
    agenda = _decoder("Agenda")(_member(document, "agenda"))
    if not isinstance(agenda, Agenda):
        raise CodecError("the entry does not hold an agenda")
    check_bounds(agenda)
    return agenda


def encode_answer(answer: Agenda | AgendaError) -> bytes:
    """The isolated loader's answer: an agenda, or the problems that stopped it."""
    if isinstance(answer, Agenda):
        return encode_agenda(answer)
    problems = [_encoder("Problem")(p) for p in answer.problems]
    return _dump({"problems": problems, "found": answer.found})


def decode_answer(data: bytes) -> Agenda | AgendaError:
    """What ``encode_answer`` wrote: an ``Agenda``, or an ``AgendaError`` to raise."""
    document = _load(data)
    if "agenda" in document:
        return decode_agenda(data)
    problems = _member(document, "problems")
    found = _member(document, "found")
    if type(problems) is not list or not problems or type(found) is not int:
        raise CodecError("an answer holds an agenda or a non-empty list of problems")
    decode_problem = _decoder("Problem")
    return AgendaError([decode_problem(p) for p in problems], found=max(found, len(problems)))


def check_bounds(agenda: Agenda) -> None:
    """What the loader guarantees and the engine relies on; ``CodecError`` if it does not
    hold (a stored agenda is data from a folder anyone may have written to)."""
    event = agenda.event
    _require(FIRST_DATE <= event.date <= LAST_DATE, "the date is out of range")
    _require(0 <= event.start_s < DAY_S, "the event's start is out of range")
    _require(
        event.start_s < event.end_s <= event.start_s + DAY_S, "the event's end is out of range"
    )
    _require(len(agenda.segments) > 0, "there are no segments")
    defaults = agenda.defaults
    for value in (defaults.wrapup_s, defaults.danger_s, defaults.standby_s):
        _require(0 <= value <= MAX_DURATION_S, "a default threshold is out of range")
    cursor = event.start_s
    for i, seg in enumerate(agenda.segments):
        _require(seg.index == i, "segments are out of order")
        _check_segment(seg, len(agenda.groups))
        if seg.fixed_start_s is not None:
            cursor = max(cursor, seg.fixed_start_s)
        cursor += seg.duration_s
    _require(cursor - event.start_s <= MAX_PROGRAMME_S, "the programme is longer than a day")
    for i, group in enumerate(agenda.groups):
        _require(group.index == i, "groups are out of order")
        _require(0 <= group.first <= group.last < len(agenda.segments), "a group is out of range")
        _require(_within(group.target_s, 1), "a group's target is out of range")


# -- checks ------------------------------------------------------------------------------------


def _check_segment(seg: model.Segment, groups: int) -> None:
    _require(_within(seg.duration_s, 1), "a slot is out of range")
    _require(seg.limit_s is None or _within(seg.limit_s, 1), "a limit is out of range")
    _require(_within(seg.wrapup_s, 0) and _within(seg.danger_s, 0), "a threshold is out of range")
    fixed = seg.fixed_start_s
    _require(fixed is None or 0 <= fixed < 2 * DAY_S, "a fixed start is out of range")
    _require(seg.min_s is None or 1 <= seg.min_s <= seg.duration_s, "a minimum is out of range")
    _require(seg.group is None or 0 <= seg.group < groups, "a segment's group is out of range")
    cue = seg.cue
    if cue is not None:
        _require(_within(cue.standby_s, 0) and _within(cue.timeout_s, 1), "a cue is out of range")
        _require(cue.command is None or len(cue.command) > 0, "a cue's command is empty")


def _within(value: int | None, low: int) -> bool:
    return value is None or low <= value <= MAX_DURATION_S


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise CodecError(reason)


# -- the document ------------------------------------------------------------------------------


def _dump(body: dict[str, Any]) -> bytes:
    document = {"format": FORMAT, "version": VERSION, "fields": _field_names(), **body}
    return json.dumps(document, separators=(",", ":")).encode("ascii")


def _load(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, absurdly nested
        raise CodecError(f"not JSON: {exc}") from None
    if type(document) is not dict:
        raise CodecError("not a JSON object")
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise CodecError("not an agenda in this format and version")
    if document.get("fields") != _field_names():
        raise CodecError("written by a build whose agenda has other fields")
    return document


def _member(document: dict[str, Any], name: str) -> Any:
    if name not in document:
        raise CodecError(f"no {name!r} in the document")
    return document[name]


@functools.cache
def _field_names() -> dict[str, list[str]]:
    return {name: [f.name for f in dataclasses.fields(cls)] for name, cls in _CLASSES.items()}


# -- conversions, worked out once per class from its annotations --------------------------------


@functools.cache
def _encoder(name: str) -> Encoder:
    cls = _CLASSES[name]
    fields = [(f.name, _value_encoder(str(f.type))) for f in dataclasses.fields(cls)]

    def encode(obj: Any) -> list[Any]:
        return [encode_value(getattr(obj, field)) for field, encode_value in fields]

    return encode


@functools.cache
def _decoder(name: str) -> Decoder:
    cls = _CLASSES[name]
    decoders = [_value_decoder(str(f.type)) for f in dataclasses.fields(cls)]
    size = len(decoders)

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != size:
            raise CodecError(f"a {name} is not a list of {size} fields")
        try:
            return cls(*[convert(v) for convert, v in zip(decoders, value, strict=True)])
        except CodecError:
            raise
        except (TypeError, ValueError) as exc:  # a value its own class refuses
            raise CodecError(f"a bad {name}: {exc}") from None

    return decode


def _parts(annotation: str) -> tuple[str, bool]:
    """``"int | None"`` -> ``("int", True)``."""
    parts = [p.strip() for p in annotation.split("|")]
    optional = "None" in parts
    rest = [p for p in parts if p != "None"]
    if len(rest) != 1:
        raise TypeError(f"the agenda codec cannot carry a field of type {annotation!r}")
    return rest[0], optional


def _value_encoder(annotation: str) -> Encoder:
    kind, optional = _parts(annotation)
    encode = _plain_encoder(kind)
    if not optional:
        return encode
    return lambda value: None if value is None else encode(value)


def _plain_encoder(kind: str) -> Encoder:
    if kind in ("int", "str", "bool"):
        return _same
    if kind in ("Path", "dt.date"):
        return str if kind == "Path" else dt.date.isoformat
    if kind in _ENUMS:
        return lambda member: member.value
    if kind.startswith("tuple[") and kind.endswith(", ...]"):
        item = _plain_encoder(kind[len("tuple[") : -len(", ...]")])
        return lambda items: [item(v) for v in items]
    if kind in _CLASSES:
        return _encoder(kind)
    raise TypeError(f"the agenda codec cannot carry a field of type {kind!r}")


def _value_decoder(annotation: str) -> Decoder:
    kind, optional = _parts(annotation)
    if optional and kind in _OPTIONAL_SIMPLE:  # one call, not two: most fields are these
        return _OPTIONAL_SIMPLE[kind]
    decode = _plain_decoder(kind)
    if not optional:
        return decode
    return lambda value: None if value is None else decode(value)


def _plain_decoder(kind: str) -> Decoder:
    simple = {"int": _int, "str": _str, "bool": _bool, "Path": _path, "dt.date": _date}
    if kind in simple:
        return simple[kind]
    if kind in _ENUMS:
        return _enum_decoder(_ENUMS[kind])
    if kind.startswith("tuple[") and kind.endswith(", ...]"):
        item = _plain_decoder(kind[len("tuple[") : -len(", ...]")])
        return lambda items: tuple(item(v) for v in _list(items))
    if kind in _CLASSES:
        return _decoder(kind)  # the dataclasses do not contain themselves: no cycle
    raise TypeError(f"the agenda codec cannot carry a field of type {kind!r}")


def _same(value: Any) -> Any:
    return value


def _int(value: Any) -> int:
    if type(value) is not int:  # bool is an int subclass, and not a number here
        raise CodecError(f"expected a whole number, not {type(value).__name__}")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise CodecError(f"expected text, not {type(value).__name__}")
    return value


def _optional_int(value: Any) -> int | None:
    return value if value is None or type(value) is int else _int(value)


def _optional_str(value: Any) -> str | None:
    return value if value is None or type(value) is str else _str(value)


def _optional_bool(value: Any) -> bool | None:
    return value if value is None or type(value) is bool else _bool(value)


_OPTIONAL_SIMPLE: dict[str, Decoder] = {
    "int": _optional_int,
    "str": _optional_str,
    "bool": _optional_bool,
}


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise CodecError(f"expected true or false, not {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise CodecError(f"expected a list, not {type(value).__name__}")
    return value


def _path(value: Any) -> Path:
    text = _str(value)
    if not text or "\0" in text:
        raise CodecError("expected a file path")
    return Path(text)


def _date(value: Any) -> dt.date:
    text = _str(value)
    if not _DATE.fullmatch(text):
        raise CodecError("expected a date as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CodecError(f"{text!r} is not a date") from None


def _enum_decoder(enum_type: type[enum.Enum]) -> Decoder:
    members = {member.value: member for member in enum_type}

    def decode(value: Any) -> Any:
        member = members.get(_str(value))
        if member is None:
            raise CodecError(f"{value!r} is not a {enum_type.__name__}")
        return member

    return decode
