"""The agenda model: an event, its defaults, its groups and its segments, as loaded.

These are plain frozen dataclasses, built only by the loader (``runofshow.core.loader``) after
validation, so every other module may trust them: durations are positive whole seconds, times
of day are seconds since local midnight, thresholds fit inside the segment. Every object
remembers where in the YAML file it came from (``SourcePos``) so that warnings found later (the
timeline check, the video probe) can still name file, line and column.

The bounds below are what the loader guarantees and the engine relies on; the agenda cache
checks a stored agenda against them too, since a file in the state folder is not trusted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

DAY_S = 24 * 3600
MAX_DURATION_S = DAY_S  # no slot, limit, threshold, timeout or target is longer than a day
MAX_PROGRAMME_S = DAY_S  # the planned programme ends at most a day after the event's start
# Times of day are seconds since midnight of the event's date. An event that runs past midnight
# (``end`` earlier than ``start``, or ``end: 24:00``) ends, and its fixed starts after midnight
# begin, a day later: up to ``start + DAY_S``, so a time may reach (not pass) ``2 * DAY_S``.
# The event's date is turned into timestamps (midnight in its zone, a rehearsal's anchor a
# minute before the start, the programme's end up to a day later). Within these years that
# works everywhere: the timestamps stay positive in every zone (Windows' fromtimestamp refuses
# negative ones, and an anchor before 1970-01-01 would be one), and a day past the last date
# is still before 3001, where Windows' localtime stops; datetime itself ends at 9999-12-31,
# so year 9999 (or 1, a minute before midnight) fails outright. Real events fit easily.
FIRST_DATE = dt.date(1971, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)


@dataclass(frozen=True, slots=True)
class SourcePos:
    """A 1-based line and column in an agenda file."""

    line: int
    col: int


NOWHERE = SourcePos(1, 1)


class Kind(StrEnum):
    """What sort of segment this is; the GUI shows it and the report groups by it."""

    TALK = "talk"
    PITCH = "pitch"
    VOTE = "vote"
    VIDEO = "video"
    CEREMONY = "ceremony"
    SPEECH = "speech"
    PANEL = "panel"
    QA = "qa"
    BREAK = "break"
    PERFORMANCE = "performance"
    HANDOVER = "handover"
    OTHER = "other"


class EndAction(StrEnum):
    """What happens when a segment's time runs out."""

    HOLD = "hold"  # stay on the segment and count overtime up
    ADVANCE = "advance"  # start the next segment at zero


class RunMode(StrEnum):
    """Who starts segments: the operator's keys, or the clock (``mode: roll``)."""

    MANUAL = "manual"
    ROLL = "roll"


@dataclass(frozen=True, slots=True)
class Cue:
    """Something the stage manager must prepare and fire when its segment starts."""

    text: str
    standby_s: int = 30
    command: tuple[str, ...] | None = None  # argv run when the segment starts
    timeout_s: int = 10
    pos: SourcePos = NOWHERE
    detach: bool = False  # a long-running player: the timeout bounds its start, not its run


@dataclass(frozen=True, slots=True)
class Defaults:
    """Per-segment settings that every segment inherits unless it overrides them."""

    wrapup_s: int = 60
    danger_s: int = 30
    end_action: EndAction = EndAction.HOLD
    sounds: bool = True
    standby_s: int = 30


@dataclass(frozen=True, slots=True)
class Event:
    """The event as a whole: what, when and where."""

    title: str
    date: dt.date
    start_s: int  # time of day, seconds since local midnight
    end_s: int  # past ``DAY_S`` when the event runs past midnight (24:00 is ``DAY_S``)
    venue: str | None = None
    subtitle: str | None = None
    timezone: str | None = None  # IANA name; None means the machine's local zone
    pos: SourcePos = NOWHERE
    roll: bool = False  # ``mode: roll``: segments start at their planned time without a key

    @property
    def crosses_midnight(self) -> bool:
        """Whether the event ends after the midnight that follows its start."""
        return self.end_s > DAY_S


@dataclass(frozen=True, slots=True)
class Segment:
    """One line of the running order."""

    index: int  # position in the flat running order, 0-based
    id: str  # stable identity across reloads (explicit ``id:`` or derived from the title)
    title: str
    duration_s: int  # the planned slot
    kind: Kind = Kind.TALK
    subtitle: str | None = None
    speaker: str | None = None
    limit_s: int | None = None  # the hard maximum the speaker sees (a pitch's 5 minutes)
    fixed_start_s: int | None = None  # ``at:``, seconds since midnight (next day: + DAY_S)
    wrapup_s: int = 60
    danger_s: int = 30
    end_action: EndAction = EndAction.HOLD
    sounds: bool = True
    notes: str | None = None
    cue: Cue | None = None
    video: Path | None = None  # a file to play for a video segment (resolved to absolute)
    group: int | None = None  # index into ``Agenda.groups``
    pos: SourcePos = NOWHERE
    min_s: int | None = None  # ``min:``: the least a landing plan may shrink its slot to
    fixed: bool = False  # ``fixed: true``: a landing plan never changes its length
    roll: bool = False  # in roll mode (event's or group's ``mode: roll``): starts by itself
    tied_next: bool = False  # ``then:``: the next segment is tied to it (one item, two timers)
    thresholds_fitted: bool = False  # inherited wrap-up/danger shrunk to fit a short countdown

    @property
    def countdown_s(self) -> int:
        """What the speaker counts down to: the limit when there is one, else the slot."""
        return self.limit_s if self.limit_s is not None else self.duration_s

    def countdown_for_slot(self, slot_s: float) -> float:
        """The countdown when a plan gives this segment ``slot_s`` instead of ``duration``:
        a limit within the slot stays (cut to the slot when the slot is shorter); a limit
        past the slot keeps its margin over it (a 4:30 pitch with 5:00 cut to 3:30 counts
        down 4:00)."""
        if self.limit_s is None:
            return slot_s
        if self.limit_s <= self.duration_s:
            return min(float(self.limit_s), slot_s)
        return slot_s + (self.limit_s - self.duration_s)


@dataclass(frozen=True, slots=True)
class Group:
    """A titled run of consecutive segments (``Programme 1``), optionally with a target length."""

    index: int
    title: str
    first: int  # index of its first segment
    last: int  # index of its last segment (inclusive)
    subtitle: str | None = None
    target_s: int | None = None
    pos: SourcePos = NOWHERE
    roll: bool | None = None  # ``mode:`` of the group; None: the event's

    def segment_indexes(self) -> range:
        return range(self.first, self.last + 1)


@dataclass(frozen=True, slots=True)
class Agenda:
    """A whole validated agenda file."""

    path: Path
    event: Event
    defaults: Defaults
    segments: tuple[Segment, ...]
    groups: tuple[Group, ...] = field(default=())

    def group_of(self, segment: Segment) -> Group | None:
        return None if segment.group is None else self.groups[segment.group]

    @property
    def planned_total_s(self) -> int:
        return sum(s.duration_s for s in self.segments)

    @property
    def rolls(self) -> bool:
        """Whether any segment runs in roll mode (the show can be taken over by a key)."""
        return any(s.roll for s in self.segments)

    def tied_to_previous(self, segment: Segment) -> bool:
        """Whether ``segment`` is the second timer of a pair (``then:`` on the one before)."""
        return segment.index > 0 and self.segments[segment.index - 1].tied_next
