"""The agenda schema: which keys exist, what each value means, and which combinations make sense.

The YAML reader hands over plain text, lists and dicts; these pydantic models turn that text
into seconds, enums and dates (field validators call ``runofshow.core.durations``) and refuse
unknown keys. Checks that need the agenda's ``defaults`` (is the wrap-up threshold inside the
segment?) read them from the validation context, so one ``AGENDA.validate_python`` call over
the whole file reports every problem at once. The models are built once, at import.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shlex
import zoneinfo
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from runofshow.core.agenda import DAY_S, FIRST_DATE, LAST_DATE, Defaults, EndAction, Kind, RunMode
from runofshow.core.durations import (
    BadValue,
    format_duration,
    parse_duration,
    parse_end_of_day,
    parse_time_of_day,
)

SWITCH_WORDS = {"on": True, "true": True, "yes": True, "off": False, "false": False, "no": False}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ID = re.compile(r"\w[\w.-]*")
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # what splitlines() splits on
SEGMENT_TAG = "Segment"  # discriminator tags; capitalised so they never clash with a key
GROUP_TAG = "Group"


def _text_of(value: Any, what: str) -> str:
    """The scalar text of a value, or a ``BadValue`` saying what was written instead."""
    if isinstance(value, str):
        return value
    if value is None:
        raise BadValue(f"{what} has no value")
    shape = "a list" if isinstance(value, list) else "a mapping"
    raise BadValue(f"{what} should be a single value, not {shape}")


def _duration(value: Any) -> int:
    return parse_duration(_text_of(value, "the duration"))


def _threshold(value: Any) -> int:
    return parse_duration(_text_of(value, "the threshold"), allow_zero=True)


def _time(value: Any) -> int:
    return parse_time_of_day(_text_of(value, "the time"))


def _end_of_day(value: Any) -> int:
    return parse_end_of_day(_text_of(value, "the time"))


def _date(value: Any) -> dt.date:
    text = _text_of(value, "the date").strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise BadValue(
            f"{text!r} is not a date", "write the date as YYYY-MM-DD, e.g. 2022-11-30"
        ) from None
    if not FIRST_DATE <= date <= LAST_DATE:
        raise BadValue(
            f"{text!r} is outside the dates an agenda may use "
            f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})",
            "check the year",
        )
    return date


def _switch(value: Any) -> bool:
    text = _text_of(value, "the switch").strip().lower()
    if text not in SWITCH_WORDS:
        raise BadValue(f"{text!r} is not on or off", "write on, off, true, false, yes or no")
    return SWITCH_WORDS[text]


_CHOICES: dict[type, dict[str, Any]] = {
    enum: {member.value: member for member in enum} for enum in (Kind, EndAction, RunMode)
}


def _choice(value: Any, enum: type[Kind] | type[EndAction] | type[RunMode]) -> Any:
    choices = _CHOICES[enum]
    text = _text_of(value, "the choice").strip().lower()
    member = choices.get(text)
    if member is not None:
        return member
    allowed = list(choices)
    close = difflib.get_close_matches(text, allowed, n=1)
    guess = f"did you mean {close[0]!r}? " if close else ""
    raise BadValue(f"{text!r} is not one of: {', '.join(allowed)}", f"{guess}use one of the above")


def _kind(value: Any) -> Kind:
    member: Kind = _choice(value, Kind)
    return member


def _end_action(value: Any) -> EndAction:
    member: EndAction = _choice(value, EndAction)
    return member


def _run_mode(value: Any) -> RunMode:
    member: RunMode = _choice(value, RunMode)
    return member


def _zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise BadValue(
            f"{value!r} is not a known time zone",
            "use an IANA name such as Asia/Seoul or Europe/Berlin, or leave timezone out",
        ) from None
    return value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise BadValue("is blank", "write some text, or leave the key out")
    return value


def _one_line(value: str) -> str:
    """Titles, speakers and cue texts are drawn on one line of a window: a line break would
    push the rest of the text out of its box (or off the stage screen) mid-show."""
    if _LINE_BREAK.search(value):
        raise BadValue(
            "has a line break, but it is shown on one line",
            "write it on one line after the colon; a `|` or `>` block keeps its line breaks "
            "(`>-` folds them into one line)",
        )
    return value


def _segment_id(value: str) -> str:
    if not _ID.fullmatch(value):
        raise BadValue(
            f"{value!r} is not a usable id",
            "an id is letters, digits, '-', '_' or '.', with no spaces, e.g. keynote-1",
        )
    return value


def _command(value: Any) -> Any:
    """A command written as one string is split like a shell would, without running a shell."""
    if isinstance(value, str):
        try:
            words = shlex.split(value)
        except ValueError as exc:
            raise BadValue(f"cannot split the command: {exc}", "check the quotes") from None
        if not words:
            raise BadValue("the command is empty", "write the program and its arguments")
        return words
    return value


def _cue(value: Any) -> Any:
    """``cue: play the intro video`` is short for ``cue: {text: play the intro video}``."""
    return {"text": value} if isinstance(value, str) else value


Text = Annotated[str, AfterValidator(_non_blank)]
Line = Annotated[str, AfterValidator(_non_blank), AfterValidator(_one_line)]  # drawn on one line
Duration = Annotated[int, BeforeValidator(_duration)]
Threshold = Annotated[int, BeforeValidator(_threshold)]
TimeOfDay = Annotated[int, BeforeValidator(_time)]
EndOfDay = Annotated[int, BeforeValidator(_end_of_day)]  # a time of day, or 24:00
Switch = Annotated[bool, BeforeValidator(_switch)]
KindField = Annotated[Kind, BeforeValidator(_kind)]
EndActionField = Annotated[EndAction, BeforeValidator(_end_action)]
RunModeField = Annotated[RunMode, BeforeValidator(_run_mode)]
DateField = Annotated[dt.date, BeforeValidator(_date)]
Zone = Annotated[str, AfterValidator(_zone)]
SegmentId = Annotated[str, AfterValidator(_segment_id)]
Command = Annotated[list[str], BeforeValidator(_command), Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class EventModel(_Model):
    title: Line
    subtitle: Line | None = None
    date: DateField
    venue: Line | None = None
    start: TimeOfDay
    end: EndOfDay  # earlier than start: the next day (an event past midnight)
    timezone: Zone | None = None
    mode: RunModeField | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventModel:
        if self.end == self.start:
            raise BadValue(
                "the event ends at the time it starts",
                "end is a later time of day; an end earlier than start means the next day "
                "(an event past midnight), 24:00 means midnight",
                field="end",
            )
        return self

    @property
    def end_s(self) -> int:
        """The end in seconds since midnight of the event's date: an end earlier than the
        start is the next day's."""
        return self.end + DAY_S if self.end < self.start else self.end


@dataclass(frozen=True, slots=True)
class Fitted:
    """A segment's wrap-up and danger thresholds once they fit its countdown."""

    wrapup: int
    danger: int
    shrunk: bool  # an inherited value was made smaller to fit (``check`` notes it)


@dataclass(frozen=True, slots=True)
class Inherited:
    """What a segment takes from its group and the agenda's ``defaults`` when it does not
    say: the countdown and threshold values the fit check needs."""

    wrapup: int
    danger: int
    limit: int | None = None


def fit_thresholds(
    countdown: int,
    wrapup: int | None,
    danger: int | None,
    inherited: Inherited,
    *,
    limit_is_own: bool,
) -> Fitted:
    """The thresholds a segment counts with, or a ``BadValue`` for an explicit one that does
    not fit. Inherited values (from ``defaults`` or the group) shrink to fit a short
    segment: a 30-second sponsor clip is not an error because the default wrap-up is a
    minute. The wrap-up shrinks to half the countdown, the danger to half the wrap-up."""
    shrunk = False
    fitted_wrapup = inherited.wrapup if wrapup is None else wrapup
    if fitted_wrapup > countdown:
        if wrapup is not None:
            raise _wrapup_too_long(countdown, wrapup, inherited, limit_is_own)
        fitted_wrapup, shrunk = countdown // 2, True
    fitted_danger = inherited.danger if danger is None else danger
    if fitted_danger > 0 and fitted_danger >= fitted_wrapup:
        if danger is not None:
            _check_thresholds(fitted_wrapup, danger, "danger", shrunk=shrunk)
        fitted_danger, shrunk = fitted_wrapup // 2, True
    return Fitted(fitted_wrapup, fitted_danger, shrunk)


def _wrapup_too_long(
    countdown: int, wrapup: int, inherited: Inherited, limit_is_own: bool
) -> BadValue:
    hint = f"give this segment a smaller wrapup: (at most {format_duration(countdown)})"
    if limit_is_own or inherited.limit is None:
        return BadValue(
            f"{format_duration(countdown)} is shorter than the wrap-up threshold "
            f"{format_duration(wrapup)}",
            hint,
            field="limit" if limit_is_own else "duration",
        )
    return BadValue(
        f"{format_duration(wrapup)} is longer than the countdown {format_duration(countdown)} "
        "(the limit its group gives it)",
        hint,
        field="wrapup",
    )


def _check_thresholds(wrapup: int, danger: int, danger_field: str, *, shrunk: bool = False) -> None:
    if danger > 0 and danger >= wrapup:
        why = " (the inherited wrap-up, shrunk to fit this short segment)" if shrunk else ""
        raise BadValue(
            f"{format_duration(danger)} must be shorter than the wrap-up threshold "
            f"{format_duration(wrapup)}{why}",
            "danger is the last stretch of the wrap-up time: make it the smaller of the two",
            field=danger_field,
        )


_BUILT_IN = Defaults()


class DefaultsModel(_Model):
    wrapup: Threshold = _BUILT_IN.wrapup_s
    danger: Threshold = _BUILT_IN.danger_s
    end_action: EndActionField = _BUILT_IN.end_action
    sounds: Switch = _BUILT_IN.sounds
    standby: Threshold = _BUILT_IN.standby_s

    @model_validator(mode="after")
    def _danger_inside_wrapup(self) -> DefaultsModel:
        _check_thresholds(self.wrapup, self.danger, "danger")
        return self


class CueModel(_Model):
    text: Line
    standby: Threshold | None = None
    command: Command | None = None
    timeout: Duration = 10
    detach: Switch = False


class SegmentModel(_Model):
    id: SegmentId | None = None
    title: Line
    subtitle: Line | None = None
    speaker: Line | None = None
    kind: KindField | None = None
    duration: Duration
    limit: Duration | None = None
    at: TimeOfDay | None = None
    start: TimeOfDay | None = None  # the older spelling of ``at``
    wrapup: Threshold | None = None
    danger: Threshold | None = None
    end_action: EndActionField | None = None
    sounds: Switch | None = None
    notes: Text | None = None
    cue: Annotated[CueModel | None, BeforeValidator(_cue)] = None
    video: Text | None = None
    min: Duration | None = None
    fixed: Switch = False
    then: SegmentId | None = None

    @property
    def fixed_start(self) -> int | None:
        """``at:`` (or its older spelling ``start:``)."""
        return self.at if self.at is not None else self.start

    @model_validator(mode="before")
    @classmethod
    def _not_a_nested_group(cls, data: Any) -> Any:
        if isinstance(data, dict) and "group" in data:
            raise BadValue(
                "groups do not nest: this group is inside another group's segments",
                "move it to the top level of programme:",
                field="group",
            )
        return data

    @model_validator(mode="wrap")
    @classmethod
    def _fits(
        cls, data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> SegmentModel:
        """The segment's own values, then the checks across them. Its group's defaults come
        from the validation context, keyed by the identity of the segment's mapping in the
        document (the loader validates each group's defaults first: ``group_defaults``)."""
        model: SegmentModel = handler(data)
        context = info.context or {}
        group: GroupDefaultsModel | None = context.get("groups", {}).get(id(data))
        model._check_shape()
        model.inherited_fit(context.get("defaults") or DEFAULT_DEFAULTS, group)
        return model

    def _check_shape(self) -> None:
        if self.at is not None and self.start is not None:
            raise BadValue(
                "the fixed start is given twice, as at: and as start:",
                "keep at: (start: is its older spelling)",
                field="start",
            )
        if self.min is not None and self.fixed:
            raise BadValue(
                "a fixed segment has no minimum: it never gives time",
                "keep fixed: true, or min:, not both",
                field="min",
            )
        if self.min is not None and self.min > self.duration:
            raise BadValue(
                f"{format_duration(self.min)} is longer than the slot "
                f"{format_duration(self.duration)}",
                "min is the least this segment may shrink to: at most its duration",
                field="min",
            )

    def inherited_fit(self, defaults: DefaultsModel, group: GroupDefaultsModel | None) -> Fitted:
        """The thresholds this segment counts with, inheriting from its group and the
        defaults (``BadValue`` for one of its own that does not fit)."""
        inherited = group_inheritance(defaults, group)
        limit = self.limit if self.limit is not None else inherited.limit
        countdown = limit if limit is not None else self.duration
        return fit_thresholds(
            countdown, self.wrapup, self.danger, inherited, limit_is_own=self.limit is not None
        )


class GroupDefaultsModel(_Model):
    """What a group may set for its segments (each can still say otherwise)."""

    model_config = ConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)
    limit: Duration | None = None
    wrapup: Threshold | None = None
    danger: Threshold | None = None
    kind: KindField | None = None
    speaker: Line | None = None
    end_action: EndActionField | None = None
    mode: RunModeField | None = None


def group_inheritance(defaults: DefaultsModel, group: GroupDefaultsModel | None) -> Inherited:
    """The countdown values a segment of ``group`` inherits: the group's, else the agenda's."""
    if group is None:
        return Inherited(defaults.wrapup, defaults.danger)
    return Inherited(
        defaults.wrapup if group.wrapup is None else group.wrapup,
        defaults.danger if group.danger is None else group.danger,
        group.limit,
    )


class GroupModel(_Model):
    group: Line
    subtitle: Line | None = None
    target: Duration | None = None
    limit: Duration | None = None
    wrapup: Threshold | None = None
    danger: Threshold | None = None
    kind: KindField | None = None
    speaker: Line | None = None
    end_action: EndActionField | None = None
    mode: RunModeField | None = None
    segments: Annotated[list[SegmentModel], Field(min_length=1)]

    @model_validator(mode="after")
    def _own_values_agree(self) -> GroupModel:
        if self.wrapup is not None and self.danger is not None:
            _check_thresholds(self.wrapup, self.danger, "danger")
        if self.limit is not None and self.wrapup is not None and self.limit < self.wrapup:
            raise BadValue(
                f"{format_duration(self.limit)} is shorter than the group's wrap-up threshold "
                f"{format_duration(self.wrapup)}",
                f"give the group a smaller wrapup: (at most {format_duration(self.limit)})",
                field="limit",
            )
        return self

    @property
    def defaults(self) -> GroupDefaultsModel:
        return GroupDefaultsModel.model_construct(
            **{key: getattr(self, key) for key in GroupDefaultsModel.model_fields}
        )


def is_group_item(item: Any) -> bool:
    """Whether a programme item is (meant as) a group: it has ``group:``, or it has
    ``segments:`` and no ``duration:`` (a group titled with ``title:`` by mistake, which is
    then told how a group's title is written instead of being called a segment without a
    duration). The loader's error labels use the same rule as validation."""
    if not isinstance(item, dict):
        return False
    return "group" in item or ("segments" in item and "duration" not in item)


def _item_tag(item: Any) -> str | None:
    if isinstance(item, dict):
        return GROUP_TAG if is_group_item(item) else SEGMENT_TAG
    return None


ProgrammeItem = Annotated[
    Annotated[SegmentModel, Tag(SEGMENT_TAG)] | Annotated[GroupModel, Tag(GROUP_TAG)],
    Discriminator(
        _item_tag,
        custom_error_type="programme_item",
        custom_error_message="a programme item must be a segment or a group mapping",
    ),
]


class AgendaModel(_Model):
    event: EventModel
    defaults: DefaultsModel = Field(default_factory=lambda: DefaultsModel())
    programme: Annotated[list[ProgrammeItem], Field(min_length=1)]


DEFAULT_DEFAULTS = DefaultsModel()
AGENDA = TypeAdapter(AgendaModel)
DEFAULTS = TypeAdapter(DefaultsModel)
GROUP_DEFAULTS = TypeAdapter(GroupDefaultsModel)
