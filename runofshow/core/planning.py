"""Planning the show as it runs: what-if assumptions, and a plan to land on time.

A show four minutes behind needs a decision: which segments give the time back? Two tools
answer it, both on the engine's own projection (``ShowEngine.assuming`` replays the show with
other slots, nothing journaled), so what they promise is what the running order, the report
and every view will show once the plan is applied:

- **What if** (``parse_assumptions``): ``pitch-2=6m`` or ``vote=+1m`` as the crew says it;
  ``runofshow check --assume`` and the stage manager's what-if mode read the new end time and
  every later start off ``engine.assuming(slots)``.
- **A plan to land** (``landing_plan``): the cut (or the extra time, when ahead) spread over
  the segments still to come by each one's room to give: never below its ``min:`` (half its
  slot when it says none), never touching ``fixed: true`` segments or videos (a file has its
  length), never a segment whose cut a fixed start would only swallow. Applied, it is one
  journaled ``plan`` action (``ShowEngine.apply_plan``), undone as one.

Amounts are whole seconds, shared out by largest remainder so that they add up exactly.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from runofshow.core.agenda import DAY_S, Agenda, Kind, Segment
from runofshow.core.durations import BadValue, format_duration, parse_duration, parse_time_of_day
from runofshow.core.engine import ShowEngine, Status, Timeline
from runofshow.core.timefmt import hms

MAX_ROUNDS = 50  # spreading converges in a few rounds; a bound keeps a pathological one finite

__all__ = [
    "AssumptionError",
    "Change",
    "LandingPlan",
    "PlanningError",
    "assumed_slots",
    "changes_text",
    "landing_for",
    "landing_plan",
    "parse_assumptions",
    "room_to_give",
    "target_of",
]


# -- what if -------------------------------------------------------------------------------


class PlanningError(ValueError):
    """A what-if or a landing time that cannot be read, with a hint on how to write it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(f"{message}: {hint}" if hint else message)
        self.message, self.hint = message, hint


class AssumptionError(PlanningError):
    """An assumption (``pitch-2=6m``) that cannot be read."""


def assumed_slots(engine: ShowEngine, text: str) -> dict[int, float]:
    """The slots ``text`` (``pitch-2=6m, vote=+1m``) gives, relative ones from the show's
    slots now; ``PlanningError`` when it names nothing or cannot be read."""
    slots = parse_assumptions([text], engine.agenda, engine.slot)
    if not slots:
        raise AssumptionError("no lengths given", "write SEGMENT=LENGTH, e.g. pitch-2=6m")
    return slots


def target_of(engine: ShowEngine, text: str) -> float:
    """The wall time of a time of day to land on (``16:00``): the show's date, or the next
    day's for a time before the start of an event that runs past midnight."""
    try:
        seconds = parse_time_of_day(text)
    except BadValue as exc:
        raise PlanningError(f"{text!r} is not a time of day", exc.hint or "") from None
    event = engine.agenda.event
    if event.crosses_midnight and seconds < event.start_s:
        seconds += DAY_S
    return engine.instant_of_day(seconds)


def landing_for(engine: ShowEngine, at: object = None) -> LandingPlan:
    """The landing plan for the ``land`` command: on the planned end, or at ``at``."""
    text = "" if at is None else str(at).strip()
    return landing_plan(engine, target_of(engine, text) if text else None)


SlotOf = Callable[[int], float]


def parse_assumptions(
    texts: Iterable[str], agenda: Agenda, slot_of: SlotOf | None = None
) -> dict[int, float]:
    """``["pitch-2=6m", "vote=+1m, 3=-30s"]`` -> ``{index: slot seconds}``.

    A segment is named by its id or its number (1 is the first); a length is absolute
    (``6m``, ``5:30``) or relative to its slot now (``+1m``, ``-30s``), taken from
    ``slot_of`` (a live show's ``ShowEngine.slot``) or else the planned ``duration``."""
    slot_now = slot_of or (lambda index: float(agenda.segments[index].duration_s))
    slots: dict[int, float] = {}
    for text in texts:
        for part in (p.strip() for p in text.split(",")):
            if part:
                index, seconds = _assumption(part, agenda, slot_now)
                slots[index] = seconds
    return slots


def _assumption(text: str, agenda: Agenda, slot_of: SlotOf) -> tuple[int, float]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise AssumptionError(
            f"{text!r} is not an assumption", "write SEGMENT=LENGTH, e.g. pitch-2=6m or vote=+1m"
        )
    segment = _segment_named(name.strip(), agenda)
    value = value.strip()
    sign = value[0] if value[0] in "+-" else ""
    try:
        seconds = float(parse_duration(value[1:] if sign else value))
    except BadValue as exc:
        raise AssumptionError(f"{text!r}: {exc.message}", exc.hint or "") from None
    if sign:
        now = slot_of(segment.index)
        seconds = now + seconds if sign == "+" else now - seconds
    if seconds < 1:
        raise AssumptionError(
            f'{text!r} leaves segment {segment.index + 1} "{segment.title}" no time',
            f"its slot is {hms(slot_of(segment.index))}: remove less, or skip the segment instead",
        )
    return segment.index, seconds


def _segment_named(name: str, agenda: Agenda) -> Segment:
    segments = agenda.segments
    if name.isdigit() and 1 <= int(name) <= len(segments):
        return segments[int(name) - 1]
    found = next((seg for seg in segments if seg.id == name), None)
    if found is not None:
        return found
    close = difflib.get_close_matches(name, [seg.id for seg in segments], n=1)
    guess = f"did you mean {close[0]!r}? " if close else ""
    raise AssumptionError(
        f"no segment {name!r}",
        f"{guess}name a segment by its id or its number (1 to {len(segments)}); "
        "`runofshow check` lists them",
    )


# -- landing on time -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One segment's slot under the plan."""

    index: int
    before_s: float
    after_s: float

    @property
    def delta_s(self) -> float:
        return self.after_s - self.before_s


@dataclass(frozen=True, slots=True)
class LandingPlan:
    """How to land on ``target`` (wall time), and where the show ends with it."""

    target: float
    projected_end: float  # without the plan
    ends_at: float  # with the plan, as the engine projects it
    changes: tuple[Change, ...]

    @property
    def slots(self) -> dict[int, float]:
        return {change.index: change.after_s for change in self.changes}

    @property
    def miss_s(self) -> int:
        """How far the plan still ends from the target in whole seconds (positive: late).

        Cuts are whole seconds and round up, so a plan that reaches its target ends up to a
        second early: that fraction is on target, not "a second late" (truncated, not
        rounded)."""
        return math.trunc(self.ends_at - self.target)

    @property
    def needed(self) -> bool:
        """Whether the show is off its target by a second or more."""
        return round(self.projected_end - self.target) != 0


@dataclass(slots=True)
class _Item:
    """A segment still to come, as the spreading sees it."""

    index: int
    slot: float
    room: int  # whole seconds it can give
    grow: int  # whole seconds' weight when there is time to give out (0: it takes none)
    pin: float | None  # the wall time it cannot start before


def room_to_give(segment: Segment, slot_s: float, *, media: bool = False) -> int:
    """Whole seconds ``segment`` can give from its slot now: down to its ``min:``, or to
    half its planned slot when it names none; nothing when it is ``fixed: true``, a video
    (without a ``min:``), or a file whose real length is known."""
    if segment.fixed or media:
        return 0
    if segment.min_s is not None:
        floor = segment.min_s
    elif segment.kind is Kind.VIDEO or segment.video is not None:
        return 0
    else:
        floor = math.ceil(segment.duration_s / 2)
    return max(0, math.floor(slot_s - floor))


def landing_plan(engine: ShowEngine, target: float | None = None) -> LandingPlan:
    """The plan that lands the show on ``target`` (wall time; default: the planned end)."""
    now = engine.now()
    goal = now.planned_end if target is None else target
    base = LandingPlan(goal, now.projected_end, now.projected_end, ())
    need = math.ceil(now.projected_end - goal - 0.5)  # whole seconds, to the nearest
    if now.status is Status.ENDED or need == 0:
        return base
    cursor, items = _chain(engine, engine.timeline())
    if need > 0:
        amounts = _spread_cut(cursor, items, goal)
        sign = -1
    else:
        amounts = _spread_extra(items, -need)
        sign = 1
    changes = tuple(
        Change(item.index, item.slot, item.slot + sign * amounts[item.index])
        for item in items
        if amounts.get(item.index)
    )
    if not changes:
        return base
    ends_at = engine.assuming({c.index: c.after_s for c in changes}).now().projected_end
    return LandingPlan(goal, now.projected_end, ends_at, changes)


def _chain(engine: ShowEngine, timeline: Timeline) -> tuple[float, list[_Item]]:
    """Where the chain of segments to come starts, and those segments: after the one
    running, or from the one that has not started yet (its own start is the chain's)."""
    pins = engine.pins()
    media = engine.media_known()
    agenda = engine.agenda
    items: list[_Item] = []
    cursor = timeline.projected_end
    for row in timeline.segments:
        if row.state == "past":
            continue
        if row.state == "current":
            if row.actual_start is not None:  # running or paused: it stays the MC's
                cursor = row.projected_end
                continue
            cursor = row.projected_start
        segment = agenda.segments[row.index]
        pin = None if row.state == "current" else pins.get(row.index)
        room = room_to_give(segment, row.slot_s, media=row.index in media)
        grows = not (segment.fixed or segment.kind is Kind.VIDEO or segment.video is not None)
        items.append(_Item(row.index, row.slot_s, room, round(row.slot_s) if grows else 0, pin))
    return cursor, items


def _end(cursor: float, items: list[_Item], cuts: Mapping[int, int]) -> float:
    """The projected end with ``cuts`` taken out: the engine's chaining rule (a segment
    starts when the one before it ends, never before its pin)."""
    for item in items:
        if item.pin is not None:
            cursor = max(cursor, item.pin)
        cursor += item.slot - cuts.get(item.index, 0)
    return cursor


def _spread_cut(cursor: float, items: list[_Item], goal: float) -> dict[int, int]:
    """Cuts, by room, over the segments whose cut moves the end: those after the last fixed
    start the show would reach early (a cut before it is only waited out). Round by round,
    as a fixed start stops binding once enough is cut before it; a cut it would swallow is
    handed back."""
    cuts = {item.index: 0 for item in items}
    for _ in range(MAX_ROUNDS):
        remaining = math.ceil(_end(cursor, items, cuts) - goal - 1e-6)
        useful = [i for i in _moving(cursor, items, cuts) if i.room > cuts[i.index]]
        if remaining <= 0 or not useful:
            break
        rooms = {i.index: i.room - cuts[i.index] for i in useful}
        for index, amount in _share(min(remaining, sum(rooms.values())), rooms).items():
            cuts[index] += amount
        _hand_back_swallowed(cursor, items, cuts)
    return cuts


def _moving(cursor: float, items: list[_Item], cuts: Mapping[int, int]) -> list[_Item]:
    """The segments from the last pin the show reaches on time or early (a cut before it
    only adds to the wait), to the end."""
    first = 0
    for position, item in enumerate(items):
        if item.pin is not None and cursor <= item.pin:
            first = position
        if item.pin is not None:
            cursor = max(cursor, item.pin)
        cursor += item.slot - cuts.get(item.index, 0)
    return items[first:]


def _hand_back_swallowed(cursor: float, items: list[_Item], cuts: dict[int, int]) -> None:
    """Before each pin the show would now reach early, give back what the wait swallows."""
    block: list[_Item] = []
    for item in items:
        if item.pin is not None:
            wait = math.floor(item.pin - cursor)
            given = {b.index: cuts[b.index] for b in block if cuts[b.index] > 0}
            if wait > 0 and given:
                back = _share(min(wait, sum(given.values())), given)
                for index, amount in back.items():
                    cuts[index] -= amount
                    cursor += amount
            cursor = max(cursor, item.pin)
            block = []
        block.append(item)
        cursor += item.slot - cuts.get(item.index, 0)


def _spread_extra(items: list[_Item], amount: int) -> dict[int, int]:
    """Time to give out (the show runs ahead), by slot, over the segments after the last
    pin (before it, extra time would only shorten a wait)."""
    last_pin = max((p for p, item in enumerate(items) if item.pin is not None), default=0)
    weights = {item.index: item.grow for item in items[last_pin:] if item.grow > 0}
    return _share(amount, weights) if weights else {}


def _share(amount: int, weights: Mapping[int, int]) -> dict[int, int]:
    """``amount`` whole seconds shared in proportion to ``weights`` (largest remainder):
    they add up to ``amount`` exactly, and no share exceeds its weight when ``amount`` is at
    most their sum (a cut never takes more than a segment's room)."""
    total = sum(weights.values())
    if amount <= 0 or total <= 0:
        return {}
    exact = {index: amount * weight / total for index, weight in weights.items()}
    shares = {index: math.floor(value) for index, value in exact.items()}
    left = amount - sum(shares.values())
    by_remainder = sorted(exact, key=lambda index: (shares[index] - exact[index], index))
    for index in by_remainder[:left]:
        shares[index] += 1
    return {index: share for index, share in shares.items() if share}


def changes_text(agenda: Agenda, changes: Iterable[Change], *, limit: int = 0) -> str:
    """``vote -1:00, closing remarks -0:30`` (the first ``limit`` when given, and how many
    more)."""
    parts = [
        f"{agenda.segments[c.index].title} {_signed(c.delta_s)}"
        for c in changes
        if round(c.delta_s)
    ]
    if limit and len(parts) > limit:
        return ", ".join(parts[:limit]) + f" … (+{len(parts) - limit})"
    return ", ".join(parts)


def _signed(seconds: float) -> str:
    whole = round(seconds)
    return f"{'-' if whole < 0 else '+'}{format_duration(abs(whole))}"
