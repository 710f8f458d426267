"""The planned timeline: when each segment is meant to start and end, from the agenda alone.

Segments follow each other from the event's start; a segment with a fixed start time begins
at that time or, if the one before it overruns the plan, right after it (a fixed start can
absorb slack, not create time). The show engine projects live times from the same rule.
``timeline_warnings`` reads the same plan for what deserves a look before the show.
"""

from __future__ import annotations

from runofshow.core.agenda import Agenda, Group, Segment, SourcePos
from runofshow.core.problems import Problem, Severity
from runofshow.core.timefmt import clock_of_day, hms


def planned_starts(agenda: Agenda) -> list[int]:
    """Planned start of every segment, in seconds since local midnight of the show day."""
    starts: list[int] = []
    cursor = agenda.event.start_s
    for segment in agenda.segments:
        if segment.fixed_start_s is not None:
            cursor = max(cursor, segment.fixed_start_s)
        starts.append(cursor)
        cursor += segment.duration_s
    return starts


def planned_end(agenda: Agenda) -> int:
    """When the last segment is planned to end, seconds since local midnight."""
    if not agenda.segments:
        return agenda.event.start_s
    return planned_starts(agenda)[-1] + agenda.segments[-1].duration_s


def planned_ends(agenda: Agenda) -> list[int]:
    """Planned end of every segment, seconds since local midnight (its start plus its slot)."""
    return [
        start + seg.duration_s
        for start, seg in zip(planned_starts(agenda), agenda.segments, strict=True)
    ]


def timeline_warnings(agenda: Agenda) -> list[Problem]:
    """What in the plan deserves a look but does not stop the show, in running order.

    A fixed start the slots before it overrun, idle gaps a fixed start leaves, a limit longer
    than its slot (if the speaker uses it all the show runs late), a group whose slots do not
    add up to its target, and a programme that ends after (or well before) the event's end.
    """
    starts = planned_starts(agenda)
    problems: list[Problem] = []
    previous_end = agenda.event.start_s
    for seg, start in zip(agenda.segments, starts, strict=True):
        problems.extend(_fixed_start_warnings(agenda, seg, start, previous_end))
        if seg.limit_s is not None and seg.limit_s > seg.duration_s:
            problems.append(_limit_warning(agenda, seg))
        previous_end = start + seg.duration_s
    problems.extend(_group_warning(g, agenda) for g in agenda.groups if _off_target(g, agenda))
    end_warning = _end_warning(agenda, previous_end)
    if end_warning:
        problems.append(end_warning)
    return problems


def _warn(agenda: Agenda, pos: SourcePos, message: str, hint: str) -> Problem:
    return Problem(agenda.path, pos.line, pos.col, Severity.WARNING, message, hint)


def _name(seg: Segment) -> str:
    return f'segment {seg.index + 1} "{seg.title}"'


def _fixed_start_warnings(
    agenda: Agenda, seg: Segment, start: int, previous_end: int
) -> list[Problem]:
    fixed = seg.fixed_start_s
    if fixed is None:
        return []
    if start > fixed:
        return [
            _warn(
                agenda,
                seg.pos,
                f"{_name(seg)}: fixed start {clock_of_day(fixed)} cannot be met; the segments "
                f"before it are planned to run until {clock_of_day(start)} "
                f"({hms(start - fixed)} late)",
                "shorten the segments before it or move its start later",
            )
        ]
    if start > previous_end:
        return [
            _warn(
                agenda,
                seg.pos,
                f"{_name(seg)}: a gap of {hms(start - previous_end)} before its fixed start "
                f"{clock_of_day(fixed)} (the segment before ends at {clock_of_day(previous_end)})",
                "fill the gap with a segment (a break?) or lengthen the one before it",
            )
        ]
    return []


def _limit_warning(agenda: Agenda, seg: Segment) -> Problem:
    assert seg.limit_s is not None
    return _warn(
        agenda,
        seg.pos,
        f"{_name(seg)}: limit {hms(seg.limit_s)} is longer than its slot {hms(seg.duration_s)}; "
        f"if the speaker uses all of it the show runs {hms(seg.limit_s - seg.duration_s)} late",
        "intended for pitches with a buffer; otherwise make the limit at most the duration",
    )


def _off_target(group: Group, agenda: Agenda) -> bool:
    return group.target_s is not None and group.target_s != _group_total(group, agenda)


def _group_total(group: Group, agenda: Agenda) -> int:
    return sum(agenda.segments[i].duration_s for i in group.segment_indexes())


def _group_warning(group: Group, agenda: Agenda) -> Problem:
    total = _group_total(group, agenda)
    assert group.target_s is not None
    return _warn(
        agenda,
        group.pos,
        f'group {group.index + 1} "{group.title}": its segments add up to {hms(total)}, '
        f"not its target {hms(group.target_s)}",
        "adjust the segments' durations or the group's target",
    )


def _end_warning(agenda: Agenda, end: int) -> Problem | None:
    declared = agenda.event.end_s
    if end > declared:
        return _warn(
            agenda,
            agenda.event.pos,
            f"the programme is planned to end at {clock_of_day(end, end=True)}, "
            f"{hms(end - declared)} after the event's declared end "
            f"{clock_of_day(declared, end=True)}",
            "shorten segments or move the event's end",
        )
    if end < declared:
        return _warn(
            agenda,
            agenda.event.pos,
            f"the programme is planned to end at {clock_of_day(end, end=True)}, "
            f"{hms(declared - end)} before the event's declared end "
            f"{clock_of_day(declared, end=True)}",
            "add a segment (or lengthen one) to fill the time, or move the event's end",
        )
    return None
