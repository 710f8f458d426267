"""Loading an agenda file: bytes in, a fully validated ``Agenda`` out, or every problem at once.

Three stages, each reporting all it finds: ``yamlsource`` reads the YAML as plain text with
positions; ``schema`` validates and converts it in one pydantic pass; then the cross-segment
rules (unique ids, fixed starts that cannot be reached) run here. Every pydantic error's
``loc`` path is mapped back to the line and column where that key or value was written.
There is never a half-loaded show: ``load_agenda`` returns a complete ``Agenda`` or raises
``AgendaError``. Warnings do not stop loading; ``agenda_warnings`` lists them afterwards.
"""

from __future__ import annotations

import difflib
import functools
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import ValidationError

from runofshow.core.agenda import (
    DAY_S,
    MAX_PROGRAMME_S,
    Agenda,
    Cue,
    Defaults,
    Event,
    Group,
    Kind,
    RunMode,
    Segment,
    SourcePos,
)
from runofshow.core.agenda_file import not_a_file, read_agenda_file
from runofshow.core.durations import BadValue, format_duration, format_time
from runofshow.core.problems import AgendaError, Problem, Severity, sorted_problems
from runofshow.core.schema import (
    AGENDA,
    DEFAULTS,
    GROUP_DEFAULTS,
    GROUP_TAG,
    SEGMENT_TAG,
    AgendaModel,
    CueModel,
    DefaultsModel,
    EventModel,
    GroupDefaultsModel,
    GroupModel,
    SegmentModel,
    is_group_item,
)
from runofshow.core.timeline import planned_starts, timeline_warnings
from runofshow.core.yamlsource import (
    MAX_BYTES,
    Document,
    Located,
    Path_,
    read_document,
    too_large,
)

logger = logging.getLogger(__name__)
_TAGS = {SEGMENT_TAG, GROUP_TAG}
_GROUP_TITLE_SLIPS = ("title", "name", "titel")  # keys written where a group wants `group:`
_TITLE_SHOWN = 60  # characters of a title a message quotes
_T = TypeVar("_T")
_KEYS = {
    "event": list(EventModel.model_fields),
    "defaults": list(DefaultsModel.model_fields),
    "segment": list(SegmentModel.model_fields),
    "group": list(GroupModel.model_fields),
    "cue": list(CueModel.model_fields),
    "agenda": list(AgendaModel.model_fields),
}


def load_agenda(path: str | os.PathLike[str]) -> Agenda:
    """Read and validate the agenda at ``path``; raise ``AgendaError`` with every error."""
    file = Path(path)
    return load_agenda_bytes(_read_bytes(file), file)


def load_agenda_bytes(data: bytes, path: Path) -> Agenda:
    """Validate agenda ``data`` as if read from ``path`` (relative video paths resolve there)."""
    document = read_document(data, path)
    if not isinstance(document.data, dict):
        raise AgendaError([_not_a_mapping(document, path)])
    model = _validate(document, path)
    agenda = _build(model, document, path)
    problems = [
        *_duplicate_ids(agenda, document),
        *_broken_ties(agenda, document),
        *_unreachable_fixed_starts(agenda, document),
        *_longer_than_a_day(agenda, document),
    ]
    if problems:
        raise AgendaError(problems)
    return agenda


def agenda_warnings(agenda: Agenda) -> list[Problem]:
    """Everything worth a look before the show that does not stop it, in file order."""
    return sorted_problems(
        [*timeline_warnings(agenda), *_missing_videos(agenda), *_characters_without_font(agenda)]
    )


def agenda_notes(agenda: Agenda) -> list[Problem]:
    """What the loader decided on the author's behalf and ``check`` says, without it being
    a warning: inherited wrap-up and danger thresholds shrunk to fit a short segment."""
    return [
        Problem(
            agenda.path,
            seg.pos.line,
            seg.pos.col,
            Severity.NOTE,
            f'segment {seg.index + 1} "{seg.title}" counts down only '
            f"{format_duration(seg.countdown_s)}: its inherited thresholds are fitted to it, "
            f"wrap-up {format_duration(seg.wrapup_s)} and danger {format_duration(seg.danger_s)}",
            "give it wrapup: and danger: of its own to choose other values",
        )
        for seg in agenda.segments
        if seg.thresholds_fitted
    ]


def _read_bytes(file: Path) -> bytes:
    data = read_agenda_file(file, MAX_BYTES)  # never more than the cap in memory (a 5 GB file)
    if len(data) > MAX_BYTES:
        raise AgendaError([too_large(file, _size(file), data)])
    return data


def _size(file: Path) -> int:
    """The file's size for the "too large" message; what was read if it cannot be had."""
    try:
        return file.stat().st_size
    except OSError:
        logger.warning("could not stat %s for its size", file, exc_info=True)
        return MAX_BYTES + 1


def _not_a_mapping(document: Document, path: Path) -> Problem:
    shape = "a list" if isinstance(document.data, list) else "a single value"
    pos = document.where[()].value
    return Problem(
        path,
        pos.line,
        pos.col,
        Severity.ERROR,
        f"the agenda must be a mapping of event:, defaults: and programme:, not {shape}",
        "start the file with `event:` at the left margin — see docs/agenda-format.md",
    )


# -- validation and error mapping ----------------------------------------------------------


def _validate(document: Document, path: Path) -> AgendaModel:
    try:
        defaults = DEFAULTS.validate_python(document.data.get("defaults") or {})
    except ValidationError:
        defaults = None  # its errors are reported by the full validation below
    context = {"defaults": defaults, "groups": _group_defaults(document.data)}
    try:
        return AGENDA.validate_python(document.data, context=context)
    except ValidationError as exc:
        numbering = _Numbering(document.data)
        raise AgendaError(
            [
                _problem_from(error, document, path, numbering)
                for error in exc.errors(include_url=False)
                if not _said_by_its_title_key(error, document.data)
            ]
        ) from None


def _group_defaults(data: dict[str, Any]) -> dict[int, GroupDefaultsModel]:
    """Each group's defaults (its ``limit``, ``wrapup``…), validated on their own first, by
    the identity of each of its segments' mappings: a segment checks its thresholds against
    what its group gives it. A group whose defaults are invalid gives nothing here (the full
    validation reports them)."""
    programme = data.get("programme")
    found: dict[int, GroupDefaultsModel] = {}
    for item in programme if isinstance(programme, list) else ():
        segments = item.get("segments") if is_group_item(item) else None
        if not isinstance(segments, list):
            continue
        try:
            defaults = GROUP_DEFAULTS.validate_python(item)
        except ValidationError:
            continue
        found.update((id(segment), defaults) for segment in segments)
    return found


def _said_by_its_title_key(error: Any, data: Any) -> bool:
    """A group without ``group:`` but with ``title:`` (or ``name:``) gets one error, at that
    key, saying how a group's title is written; "missing group" would say it twice."""
    loc = _strip_tags(tuple(error["loc"]))
    if error["type"] != "missing" or len(loc) != 3 or loc[2] != "group":
        return False
    item = _value_at(data, loc[:2])
    return isinstance(item, dict) and any(str(key).lower() in _GROUP_TITLE_SLIPS for key in item)


def _strip_tags(loc: tuple[Any, ...]) -> Path_:
    """Drop the discriminator tags pydantic inserts after a programme item's index."""
    if len(loc) > 2 and loc[0] == "programme" and loc[2] in _TAGS:
        return (*loc[:2], *loc[3:])
    return loc


def _problem_from(error: Any, document: Document, path: Path, numbering: _Numbering) -> Problem:
    loc = _strip_tags(tuple(error["loc"]))
    kind = error["type"]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, BadValue) and cause.field:
        loc = (*loc, cause.field)
    owner_len = _owner_length(loc, document.data)
    if kind in ("missing", "extra_forbidden"):
        owner_len = len(loc) - 1  # the last part of the path is the key itself
    owner = _owner_label(loc[:owner_len], numbering)
    field = ".".join(str(p) for p in loc[owner_len:]) or None
    subject = f"{owner}, {field}" if field else owner
    message, hint = _describe(kind, error, cause, owner, field, subject, loc, document.data)
    pos = _position(document.where, loc, key=kind in ("extra_forbidden", "missing"))
    return Problem(path, pos.line, pos.col, Severity.ERROR, message, hint)


def _describe(
    kind: str,
    error: Any,
    cause: Any,
    owner: str,
    field: str | None,
    subject: str,
    loc: Path_,
    data: Any,
) -> tuple[str, str | None]:
    if kind == "missing":
        return f'{owner} is missing "{field}"', f"add `{field}: …` to it"
    if kind == "extra_forbidden":
        hint = _did_you_mean(str(loc[-1]), _owner_keys(loc, data))
        return f"{owner}: unknown key '{field}'", hint
    if isinstance(cause, BadValue):
        return f"{subject}: {cause.message}", cause.hint
    value = _value_at(data, loc)
    if kind == "string_type":
        if value is None:
            return f"{subject} has no value", "write the value after the colon, or remove the key"
        return f"{subject} should be text, not {_shape(value)}", "write it on one line"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            f"{subject} should be a mapping of keys, not {_shape(value)}",
            "indent its keys below it, one `key: value` per line",
        )
    if kind == "list_type":
        return (
            f"{subject} should be a list, not {_shape(value)}",
            "write each item on its own line starting with `- `",
        )
    if kind == "too_short":
        return f"{subject} is empty", "add at least one segment"
    if kind == "programme_item":
        return (
            f"{subject}: a programme item must be a segment or a group, not {_shape(value)}",
            "a segment has title: and duration:; a group has group: and segments:",
        )
    return f"{subject}: {error['msg']}", None


def _shape(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text {value!r}"


def _owner_length(loc: Path_, data: Any) -> int:
    """How much of ``loc`` names the object (segment, group, cue…) that owns the problem."""
    if not loc:
        return 0
    if loc[0] != "programme":
        return 1 if loc[0] in ("event", "defaults") and len(loc) > 1 else 0
    size = 1
    if len(loc) > 1:
        size = 2
    if len(loc) > 3 and loc[2] == "segments" and isinstance(loc[3], int):
        size = 4
    if len(loc) > size + 1 and loc[size] == "cue":
        size += 1
    return size


def _owner_keys(loc: Path_, data: Any) -> list[str]:
    owner = loc[:-1]
    if not owner:
        return _KEYS["agenda"]
    if owner[0] in ("event", "defaults"):
        return _KEYS[str(owner[0])]
    if owner[-1] == "cue":
        return _KEYS["cue"]
    item = _value_at(data, owner)
    is_group = len(owner) == 2 and is_group_item(item)
    return _KEYS["group"] if is_group else _KEYS["segment"]


def _did_you_mean(key: str, allowed: list[str]) -> str:
    return _closest_key(key, tuple(allowed))


@functools.lru_cache(maxsize=256)  # a file of errors repeats one misspelling thousands of times
def _closest_key(key: str, allowed: tuple[str, ...]) -> str:
    if "group" in allowed and key.lower() in _GROUP_TITLE_SLIPS:
        return "a group's title is written as `group: <title>`"
    close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "the keys allowed here are: " + ", ".join(allowed)


class _Numbering:
    """Each programme item's segment and group numbers as a reader counts them, worked out
    once per file: a walk of the programme for each error made 20,000 errors take 43 s."""

    def __init__(self, data: Any) -> None:
        programme = data.get("programme") if isinstance(data, dict) else None
        self.programme: list[Any] = programme if isinstance(programme, list) else []
        self.segments_before: list[int] = []
        self.group_number: list[int] = []  # 1-based, of the item or of the group before it
        segments = groups = 0
        for item in self.programme:
            self.segments_before.append(segments)
            groups += is_group_item(item)
            self.group_number.append(groups)
            segments += _segment_count(item)


def _owner_label(owner: Path_, numbering: _Numbering) -> str:
    if not owner:
        return "the agenda"
    if owner[0] != "programme":
        return str(owner[0])
    if len(owner) == 1:
        return "programme"
    label = _item_label(owner, numbering)
    return f"{label} cue" if owner[-1] == "cue" else label


def _item_label(owner: Path_, numbering: _Numbering) -> str:
    """``segment 5 "축사"`` or ``group 1 "Programme 1"``, numbered as a reader counts them."""
    index = owner[1]
    if not isinstance(index, int) or not 0 <= index < len(numbering.programme):
        return f"programme item {index}"
    item = numbering.programme[index]
    before = numbering.segments_before[index]
    if is_group_item(item):
        if len(owner) >= 4 and isinstance(owner[3], int):
            segs = item.get("segments")
            seg = segs[owner[3]] if isinstance(segs, list) and owner[3] < len(segs) else None
            return _titled(f"segment {before + owner[3] + 1}", seg)
        return _titled(f"group {numbering.group_number[index]}", item, key="group")
    return _titled(f"segment {before + 1}", item)


def _segment_count(item: Any) -> int:
    if is_group_item(item):
        segments = item.get("segments")
        return len(segments) if isinstance(segments, list) else 0
    return 1


def _titled(label: str, item: Any, key: str = "title") -> str:
    """The label with the item's title when it has a usable one: a message is one line, so a
    title with a line break is left out, and a very long one is shortened."""
    title = item.get(key) if isinstance(item, dict) else None
    if not isinstance(title, str) or not title.strip() or len(title.splitlines()) != 1:
        return label
    shown = title if len(title) <= _TITLE_SHOWN else title[: _TITLE_SHOWN - 1] + "…"
    return f'{label} "{shown}"'


def _value_at(data: Any, loc: Path_) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _position(where: dict[Path_, Located], loc: Path_, *, key: bool) -> SourcePos:
    """The recorded position of ``loc``, or of its nearest recorded parent."""
    located = where.get(loc)
    if located is not None:
        return located.key if key else located.value
    for size in range(len(loc) - 1, -1, -1):
        located = where.get(loc[:size])
        if located is not None:
            return located.value
    return SourcePos(1, 1)


# -- building the dataclasses ---------------------------------------------------------------


def _build(model: AgendaModel, document: Document, path: Path) -> Agenda:
    where = document.where
    event = _event(model.event, where[("event",)])
    build = _Build(path, where, model.defaults, event, _IdMaker(model))
    segments: list[Segment] = []
    groups: list[Group] = []
    for i, item in enumerate(model.programme):
        if isinstance(item, GroupModel):
            first = len(segments)
            for j, seg in enumerate(item.segments):
                at = _SegmentPlace(len(segments), len(groups), ("programme", i, "segments", j))
                segments.append(_segment(seg, at, build, item))
            place = where[("programme", i)]
            groups.append(_group(item, len(groups), first, len(segments) - 1, place))
        else:
            at = _SegmentPlace(len(segments), None, ("programme", i))
            segments.append(_segment(item, at, build, None))
    return Agenda(
        path=path,
        event=event,
        defaults=build.defaults,
        segments=tuple(segments),
        groups=tuple(groups),
    )


def _defaults(model: DefaultsModel) -> Defaults:
    return Defaults(
        wrapup_s=model.wrapup,
        danger_s=model.danger,
        end_action=model.end_action,
        sounds=model.sounds,
        standby_s=model.standby,
    )


def _event(model: EventModel, located: Located) -> Event:
    return Event(
        title=model.title,
        date=model.date,
        start_s=model.start,
        end_s=model.end_s,
        venue=model.venue,
        subtitle=model.subtitle,
        timezone=model.timezone,
        pos=located.key,
        roll=model.mode is RunMode.ROLL,
    )


def _group(model: GroupModel, index: int, first: int, last: int, located: Located) -> Group:
    return Group(
        index=index,
        title=model.group,
        first=first,
        last=last,
        subtitle=model.subtitle,
        target_s=model.target,
        pos=located.value,
        roll=None if model.mode is None else model.mode is RunMode.ROLL,
    )


class _IdMaker:
    """Derives ``<slug>-<n>`` ids that never clash with an id written in the file."""

    def __init__(self, model: AgendaModel) -> None:
        self.taken: set[str] = set()
        for item in model.programme:
            members = item.segments if isinstance(item, GroupModel) else [item]
            self.taken.update(seg.id for seg in members if seg.id)

    def derive(self, title: str, index: int) -> str:
        base = f"{_slug(title)}-{index + 1}"
        seg_id, n = base, 1
        while seg_id in self.taken:
            n += 1
            seg_id = f"{base}-{n}"
        self.taken.add(seg_id)
        return seg_id


class _SegmentPlace(NamedTuple):
    position: int  # flat position in the running order (not ``index``: tuple has one)
    group: int | None
    path: Path_  # where its mapping is in the document


class _Build:
    """What every segment is built with: the file, its positions, the defaults, the event."""

    def __init__(
        self,
        path: Path,
        where: dict[Path_, Located],
        defaults: DefaultsModel,
        event: Event,
        ids: _IdMaker,
    ) -> None:
        self.path, self.where, self.event, self.ids = path, where, event, ids
        self.defaults_model = defaults
        self.defaults = _defaults(defaults)


def _segment(
    model: SegmentModel, at: _SegmentPlace, build: _Build, group: GroupModel | None
) -> Segment:
    defaults, where = build.defaults, build.where
    cue_where = where.get((*at.path, "cue"))
    cue = _cue(model.cue, cue_where.value, defaults) if model.cue and cue_where else None
    folder = build.path.parent
    video = (folder / Path(model.video).expanduser()).resolve() if model.video else None
    inherit = group.defaults if group is not None else None
    fitted = model.inherited_fit(build.defaults_model, inherit)
    given = inherit if inherit is not None else GroupDefaultsModel()  # what the group says
    mode = group.mode if group is not None and group.mode is not None else None
    return Segment(
        index=at.position,
        id=model.id or build.ids.derive(model.title, at.position),
        title=model.title,
        duration_s=model.duration,
        kind=_or(model.kind, _or(given.kind, Kind.TALK)),
        subtitle=model.subtitle,
        speaker=_or(model.speaker, given.speaker),
        limit_s=_or(model.limit, given.limit),
        fixed_start_s=_fixed_start(model.fixed_start, build.event),
        wrapup_s=fitted.wrapup,
        danger_s=fitted.danger,
        end_action=_or(
            model.end_action,
            _or(given.end_action, defaults.end_action),
        ),
        sounds=_or(model.sounds, defaults.sounds),
        notes=model.notes,
        cue=cue,
        video=video,
        group=at.group,
        pos=where[at.path].value,
        min_s=model.min,
        fixed=model.fixed,
        roll=build.event.roll if mode is None else mode is RunMode.ROLL,
        tied_next=model.then is not None,
        thresholds_fitted=fitted.shrunk,
    )


def _fixed_start(at: int | None, event: Event) -> int | None:
    """``at:`` as seconds since midnight of the event's date: in an event that runs past
    midnight, a time before its start and up to its end is the next day's (``at: 0:30`` in
    a 22:00-02:00 night). Any other time before the start is an error found later."""
    if at is None or at >= event.start_s or not event.crosses_midnight:
        return at
    return at + DAY_S if at + DAY_S <= event.end_s else at


def _or(value: _T | None, inherited: _T) -> _T:
    return inherited if value is None else value


def _cue(model: CueModel, pos: SourcePos, defaults: Defaults) -> Cue:
    return Cue(
        text=model.text,
        standby_s=_or(model.standby, defaults.standby_s),
        command=tuple(model.command) if model.command else None,
        timeout_s=model.timeout,
        detach=model.detach,
        pos=pos,
    )


def _slug(title: str) -> str:
    return re.sub(r"[\W_]+", "-", title.lower()).strip("-")[:40].strip("-") or "segment"


# -- rules across segments ------------------------------------------------------------------


def _duplicate_ids(agenda: Agenda, document: Document) -> list[Problem]:
    problems: list[Problem] = []
    first_use: dict[str, int] = {}
    for seg, item_path in zip(agenda.segments, _segment_paths(document), strict=True):
        id_where = document.where.get((*item_path, "id"))
        if id_where is None:
            continue
        if seg.id in first_use:
            problems.append(
                _error(
                    agenda.path,
                    id_where.value,
                    f'segment {seg.index + 1} "{seg.title}", id: {seg.id!r} is already the id of '
                    f"segment {first_use[seg.id] + 1}",
                    "ids must be unique: change one of them, or leave id out to derive one",
                )
            )
        else:
            first_use[seg.id] = seg.index
    return problems


def _unreachable_fixed_starts(agenda: Agenda, document: Document) -> list[Problem]:
    """A fixed start earlier than the last anchored segment before it can possibly end."""
    problems = []
    anchor_start, anchor = agenda.event.start_s, None  # the event start anchors segment 1
    paths = _segment_paths(document)
    for seg in agenda.segments:
        fixed = seg.fixed_start_s
        if fixed is not None:
            pos = _fixed_start_where(document, paths[seg.index])
            key = _fixed_start_key(document, paths[seg.index])
            problem = _fixed_start_problem(agenda, seg, fixed, anchor_start, anchor, key)
            if problem:
                problems.append(_error(agenda.path, pos, *problem))
        if fixed is not None or anchor is None:
            anchor_start, anchor = max(fixed or 0, anchor_start), seg
    return problems


def _fixed_start_where(document: Document, path: Path_) -> SourcePos:
    located = document.where.get((*path, "at")) or document.where[(*path, "start")]
    return located.value


def _fixed_start_key(document: Document, path: Path_) -> str:
    return "at" if (*path, "at") in document.where else "start"


def _fixed_start_problem(
    agenda: Agenda, seg: Segment, fixed: int, anchor_start: int, anchor: Segment | None, key: str
) -> tuple[str, str] | None:
    name = f'segment {seg.index + 1} "{seg.title}", {key}'
    event = agenda.event
    if fixed < event.start_s:
        hint = "a fixed start must fall within the event"
        if event.crosses_midnight:
            hint += (
                f"; after midnight, a time up to the event's end ({format_time(event.end_s)})"
                " is the next day's"
            )
        return (
            f"{name}: fixed start {format_time(fixed)} is before the event starts "
            f"({format_time(event.start_s)})",
            hint,
        )
    if anchor is None:
        return None
    earliest = anchor_start + anchor.duration_s
    if fixed >= earliest:
        return None
    return (
        f"{name}: fixed start {format_time(fixed)} is before segment {anchor.index + 1} "
        f'"{anchor.title}" can end ({format_time(anchor_start)} + '
        f"{format_duration(anchor.duration_s)} = {format_time(earliest)})",
        f"move the start to {format_time(earliest)} or later, or shorten the segments before it",
    )


def _broken_ties(agenda: Agenda, document: Document) -> list[Problem]:
    """``then:`` ties a segment to the one right after it (a pitch and its Q&A): one item
    with two timers, in one group. Anything else it names is an error at the ``then:``."""
    problems = []
    paths = _segment_paths(document)
    for seg in agenda.segments:
        if not seg.tied_next:
            continue
        located = document.where[(*paths[seg.index], "then")]
        target = _value_at(document.data, (*paths[seg.index], "then"))
        trouble = _tie_trouble(agenda, seg, str(target))
        if trouble is not None:
            problems.append(_error(agenda.path, located.value, *trouble))
    return problems


def _tie_trouble(agenda: Agenda, seg: Segment, target: str) -> tuple[str, str] | None:
    name = f'segment {seg.index + 1} "{seg.title}", then'
    after = agenda.segments[seg.index + 1] if seg.index + 1 < len(agenda.segments) else None
    if after is None or after.id != target:
        named = next((s for s in agenda.segments if s.id == target), None)
        if named is None:
            hint = f"no segment has the id {target!r}"
        elif named.index == seg.index:
            hint = "a segment is tied to the one after it, not to itself"
        else:
            hint = f'move segment {named.index + 1} "{named.title}" right after this one'
        if after is not None:
            hint += f"; the segment after this one has the id {after.id!r}"
        return f"{name}: {target!r} is not the segment right after this one", hint
    if after.group != seg.group:
        return (
            f"{name}: {target!r} is in another group; a pair stays in one group",
            "move both into the same group (or both out of groups)",
        )
    if after.tied_next:
        return (
            f"{name}: {target!r} is tied to the segment after it as well; a pair is two timers",
            "tie the pitch to its Q&A only, or make the three separate segments",
        )
    return None


def _longer_than_a_day(agenda: Agenda, document: Document) -> list[Problem]:
    """A programme planned to run more than a day past the event's start, blamed on the
    segment whose slot crosses that line: each slot fits a day, but their sum must too, or
    every time of day on screen wraps past midnight and means nothing."""
    start = agenda.event.start_s
    for seg, seg_start in zip(agenda.segments, planned_starts(agenda), strict=True):
        end = seg_start + seg.duration_s
        if end - start <= MAX_PROGRAMME_S:
            continue
        path = _segment_paths(document)[seg.index]
        pos = document.where[(*path, "duration")].value
        message = (
            f'segment {seg.index + 1} "{seg.title}", duration: the programme would run '
            f"{format_duration(end - start)} by the end of this segment, more than a day "
            f"({format_duration(MAX_PROGRAMME_S)}) from the event's start"
        )
        hint = "an agenda is one day's event: check the durations, or write one agenda per day"
        return [_error(agenda.path, pos, message, hint)]
    return []


def _segment_paths(document: Document) -> list[Path_]:
    paths: list[Path_] = []
    for i, item in enumerate(document.data["programme"]):
        if is_group_item(item):
            paths.extend(("programme", i, "segments", j) for j in range(len(item["segments"])))
        else:
            paths.append(("programme", i))
    return paths


def _error(path: Path, pos: SourcePos, message: str, hint: str) -> Problem:
    return Problem(path, pos.line, pos.col, Severity.ERROR, message, hint)


def _missing_videos(agenda: Agenda) -> list[Problem]:
    """A video that is not there, or is a folder (or a FIFO, a device) rather than a file."""
    problems = []
    for seg in agenda.segments:
        if seg.video is None:
            continue
        trouble = _video_trouble(seg.video)
        if trouble is not None:
            message, hint = trouble
            problems.append(
                Problem(
                    agenda.path,
                    seg.pos.line,
                    seg.pos.col,
                    Severity.WARNING,
                    f'segment {seg.index + 1} "{seg.title}": {message}',
                    hint,
                )
            )
    return problems


def _video_trouble(video: Path) -> tuple[str, str] | None:
    try:
        kind = not_a_file(video.stat().st_mode)
    except FileNotFoundError:
        return (
            f"video file not found: {video}",
            "the path is relative to the agenda's folder; copy the file there before the show",
        )
    except OSError as exc:  # said as a warning; logged for whoever reads the log
        logger.warning("could not look at video %s: %s", video, exc)
        return f"video file cannot be read: {video} ({exc.strerror or exc})", "check the path"
    if kind is None:
        return None
    what, _ = kind
    return f"{video} is {what}, not a video file", "name the file itself, e.g. media/clip.mp4"


def _characters_without_font(agenda: Agenda) -> list[Problem]:
    """Text the bundled fonts cannot draw (emoji, Thai, Arabic…), field by field. Imported
    here: loading an agenda (the window's fallback when its child cannot) reads no fonts."""
    from runofshow.core.font_coverage import bundled_coverage, missing_characters

    covered = bundled_coverage()
    if covered is None:  # the fonts could not be read (logged): no guesses
        return []
    problems = []
    for owner, pos, field, text in _shown_texts(agenda):
        missing = missing_characters(text, covered)
        if missing:
            problems.append(
                Problem(
                    agenda.path,
                    pos.line,
                    pos.col,
                    Severity.WARNING,
                    f"{owner}, {field}: the bundled fonts have no {_listed(missing)}",
                    "they show in a system font if the show computer has one, else as empty "
                    "boxes: check on that computer, or write them another way",
                )
            )
    return problems


def _shown_texts(agenda: Agenda) -> Iterator[tuple[str, SourcePos, str, str]]:
    """(whose, where, which field, the text) of every text the windows draw."""
    event = agenda.event
    for field in ("title", "subtitle", "venue"):
        yield "event", event.pos, field, getattr(event, field) or ""
    for group in agenda.groups:
        owner = f"group {group.index + 1}"
        yield owner, group.pos, "group", group.title
        yield owner, group.pos, "subtitle", group.subtitle or ""
    for seg in agenda.segments:
        owner = _titled(f"segment {seg.index + 1}", {"title": seg.title})
        for field in ("title", "subtitle", "speaker", "notes"):
            yield owner, seg.pos, field, getattr(seg, field) or ""
        if seg.cue is not None:
            yield f"{owner} cue", seg.cue.pos, "text", seg.cue.text


def _listed(chars: list[str], most: int = 8) -> str:
    """``🎤 (U+1F3A4), ไ (U+0E44)`` and how many more."""
    shown = ", ".join(f"{char} (U+{ord(char):04X})" for char in chars[:most])
    return shown if len(chars) <= most else f"{shown} and {len(chars) - most} more"
