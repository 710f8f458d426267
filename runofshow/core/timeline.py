"""The planned timeline: when each segment is meant to start and end, from the agenda alone.

Segments follow each other from the event's start; a segment with a fixed start time begins
at that time or, if the one before it overruns the plan, right after it (a fixed start can
absorb slack, not create time). The show engine projects live times from the same rule.
"""

from __future__ import annotations

from runofshow.core.agenda import Agenda


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
