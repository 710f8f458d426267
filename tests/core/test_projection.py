"""The row-by-row projection agrees with the whole timeline, and says which rows moved.

``ShowEngine.projection()`` answers any one row without walking the others (the windows paint
a screenful of a 20,000-row agenda from it); ``timeline()`` walks every row. Random shows on a
fake clock (pauses, overtime, time added and taken, going back, goto, undo, video lengths,
automatic ends, reloads, fixed starts, wall-clock jumps) check after every step that:

- every row, group, the projected end and the drift agree with ``timeline()`` (times to well
  under a microsecond: the projection adds the same slots in another order);
- the slot sums the engine keeps up to date equal sums made afresh;
- every row that reads differently from the previous projection is one that
  ``changes_since`` names (the stage manager's table repaints only those).
"""

from __future__ import annotations

import dataclasses
import math
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_shows import act, random_agenda
from show_builders import at, make_agenda

from runofshow.core.clock import FakeClock
from runofshow.core.engine import Projection, RowChanges, SegmentTimes, ShowEngine, Status
from runofshow.core.slots import SlotSums, changed_indices

TIME_FIELDS = ("projected_start", "projected_end")
TOLERANCE_S = 1e-6


def same_row(row: SegmentTimes, expected: SegmentTimes) -> bool:
    for field in dataclasses.fields(SegmentTimes):
        a, b = getattr(row, field.name), getattr(expected, field.name)
        if field.name in TIME_FIELDS:
            if not math.isclose(a, b, rel_tol=0.0, abs_tol=TOLERANCE_S):
                return False
        elif a != b:
            return False
    return True


def check_against_timeline(engine: ShowEngine) -> Projection:
    """Every row, group and total of the projection against the timeline of one instant."""
    projection = engine.projection()
    timeline = engine.timeline()
    assert projection.count == len(timeline.segments)
    for i, expected in enumerate(timeline.segments):
        row = projection.segment(i)
        assert same_row(row, expected), (i, row, expected)
    for g, expected in enumerate(timeline.groups):
        got = projection.group(g)
        assert got.index == expected.index and got.planned_end == expected.planned_end
        assert math.isclose(got.projected_end, expected.projected_end, abs_tol=TOLERANCE_S)
    assert math.isclose(projection.projected_end, timeline.projected_end, abs_tol=TOLERANCE_S)
    assert math.isclose(projection.drift_s, timeline.drift_s, abs_tol=TOLERANCE_S)
    assert projection.planned_end == timeline.planned_end
    return projection


def check_sums(engine: ShowEngine) -> None:
    """The sums kept up to date from action to action equal sums made afresh, and a walk."""
    kept = engine._slot_prefix()
    fresh = SlotSums.of(engine._base)
    walked = 0.0
    for i in range(len(engine.agenda.segments) + 1):
        assert kept[i] == fresh[i]
        assert math.isclose(kept[i], walked, abs_tol=TOLERANCE_S)
        if i < len(engine.agenda.segments):
            walked += engine._base.slot(i)


def covered(changes: RowChanges, i: int, old: SegmentTimes, new: SegmentTimes) -> bool:
    """Whether ``changes`` names row ``i``, which moved from ``old`` to ``new``."""
    if changes.everything or i in changes.rows:
        return True
    if changes.restated is not None and changes.restated[0] <= i <= changes.restated[1]:
        return True
    in_shift = any(first <= i <= last for first, last in changes.shifted)
    only_times = dataclasses.replace(old, projected_start=0.0, projected_end=0.0) == (
        dataclasses.replace(new, projected_start=0.0, projected_end=0.0)
    )
    return in_shift and only_times and old.state == new.state == "future"


def check_changes(old: Projection, new: Projection) -> None:
    changes = new.changes_since(old)
    if changes.everything:
        return
    for i in range(new.count):
        a, b = old.segment(i), new.segment(i)
        if a != b:
            assert covered(changes, i, a, b), (i, a, b, changes)


def run_show(seed: int, count: int, steps: int) -> None:
    rng = random.Random(seed)
    clock = FakeClock(wall=at("14:58:30") + rng.random(), mono=10_000.0)
    engine = ShowEngine(random_agenda(rng, count), clock)
    previous = check_against_timeline(engine)
    for _ in range(steps):
        act(engine, clock, rng)
        for _ in range(rng.choice((1, 1, 2))):
            clock.advance(rng.choice((0.0, 0.3, 1.0, 7.25, 59.0, 301.0)))
            projection = check_against_timeline(engine)
            check_changes(previous, projection)
            previous = projection
        check_sums(engine)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 14), steps=st.integers(1, 40))
def test_projection_agrees_with_the_timeline_and_names_every_moved_row(seed, count, steps):
    """300 random shows of up to 14 segments and 40 actions each (every step's rows, groups,
    end, drift, slot sums and changed rows checked)."""
    run_show(seed, count, steps)


def test_a_long_show_agrees_row_by_row():
    """2,000 segments with fixed starts, 150 random actions: the same checks on every row."""
    run_show(seed=14, count=2000, steps=150)


def test_a_second_of_overtime_shifts_one_run_of_rows_and_names_the_current_one(seed_like, clock):
    """In overtime a second later the current row is named and the rows still to come form
    one shifted run; the same instant again changes nothing."""
    engine = ShowEngine(seed_like, clock)
    engine.start()
    clock.advance(310)  # the opening's 5:00 slot is over
    before = engine.projection()
    clock.advance(1)
    after = engine.projection()
    changes = after.changes_since(before)
    assert changes == RowChanges(rows=(0,), shifted=((1, 13),))
    assert engine.projection().changes_since(after) == RowChanges(rows=(0,))


def test_a_next_restates_two_rows_and_a_fixed_start_absorbs_the_shift(clock):
    """A "next" two minutes early: the old and new current rows are restated and the rows
    after them move two minutes earlier, up to a fixed start that holds the show back."""
    agenda = make_agenda(
        [
            dict(title="A", duration_s=300),
            dict(title="B", duration_s=300),
            dict(title="C", duration_s=300),
            dict(title="Lunch", duration_s=3600, fixed_start_s=15 * 3600 + 1800),
            dict(title="D", duration_s=300),
        ]
    )
    engine = ShowEngine(agenda, clock)
    clock.advance(60)  # 15:00
    engine.start()
    clock.advance(180)
    before = engine.projection()
    engine.next()
    after = engine.projection()
    changes = after.changes_since(before)
    assert changes.restated == (0, 1)
    assert changes.shifted == ((2, 2),)  # lunch still starts at 15:30, and D after it
    assert after.segment(2).projected_start == before.segment(2).projected_start - 120
    assert after.segment(3).projected_start == at("15:30:00")


def test_changed_indices_finds_differing_records_among_shared_ones():
    shared = [object() for _ in range(1000)]
    other = list(shared)
    other[3], other[700], other[999] = object(), object(), object()
    assert changed_indices(shared, other) == [3, 700, 999]
    assert changed_indices(shared, list(shared)) == []
    assert changed_indices(shared, shared) == []


def test_an_ended_show_projects_its_real_end(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    engine.start()
    clock.advance(100)
    engine.end_show()
    clock.advance(500)
    projection = check_against_timeline(engine)
    assert projection.status is Status.ENDED
    assert projection.projected_end == at("14:59:00") + 100
