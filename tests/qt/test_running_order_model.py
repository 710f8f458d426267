"""The stage manager's running-order table model: its rows and group headers, the roles that
highlight, dim and mark overruns, projected times after actions, and updates by dataChanged
(never a reset) on a 2,000-row agenda."""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from qt_helpers import at, hand_agenda

from runofshow._qt.i18n import Translator
from runofshow._qt.widgets.running_order_model import (
    CURRENT_BACKGROUND,
    OVER_TEXT,
    PAST_TEXT,
    ROW_STATE_ROLE,
    SEGMENT_INDEX_ROLE,
    Column,
    RunningOrderModel,
)
from runofshow.core.agenda import Agenda, Cue, Group, Kind, Segment
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from random_shows import act, random_agenda  # the core tests' random shows

DISPLAY = Qt.ItemDataRole.DisplayRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole


def grouped(agenda: Agenda) -> Agenda:
    """The hand-built show in two parts, the video cued and noted."""
    segments = list(agenda.segments)
    segments[3] = dataclasses.replace(
        segments[3], cue=Cue("play 소개 영상"), notes="file on the desktop", group=1
    )
    segments = [dataclasses.replace(s, group=0 if s.index < 3 else 1) for s in segments]
    groups = (Group(0, "1부", 0, 2), Group(1, "2부", 3, 4, subtitle="Part 2"))
    return dataclasses.replace(agenda, segments=tuple(segments), groups=groups)


@pytest.fixture
def show(qtbot, agenda: Agenda, clock: FakeClock) -> tuple[ShowEngine, RunningOrderModel]:
    """The grouped show at 15:00, not started, in a model."""
    engine = ShowEngine(grouped(agenda), clock)
    model = RunningOrderModel(Translator("en"))
    model.set_show(engine)
    return engine, model


def cell(model: RunningOrderModel, row: int, column: int, role: int = DISPLAY) -> object:
    return model.data(model.index(row, column), role)


def test_rows_and_group_headers(show) -> None:
    """Five segments and two group headers: each header just before its first segment, saying
    its projected and planned end; segment rows carry number, times, length, kind, cue."""
    _engine, model = show
    assert model.rowCount() == 7 and model.columnCount() == len(Column)
    states = [cell(model, r, 0, ROW_STATE_ROLE) for r in range(7)]
    assert states == ["group", "current", "future", "future", "group", "future", "future"]
    assert model.group_rows() == [0, 4]
    assert cell(model, 0, 0) == "1부   ·   ends 15:14:00 (plan 15:14:00)"
    assert cell(model, 4, 0).startswith("2부 — Part 2")
    assert cell(model, 2, Column.NUMBER) == "2"
    assert cell(model, 2, Column.PLANNED) == "15:05:00"
    assert cell(model, 2, Column.LENGTH) == "4:30 / 5:00"
    assert cell(model, 5, Column.KIND) == "Video"
    assert cell(model, 5, Column.CUE) == "▶ play 소개 영상  ·  file on the desktop"
    assert cell(model, 5, 0, SEGMENT_INDEX_ROLE) == 3
    assert model.row_of_segment(3) == 5
    assert model.headerData(Column.PROJECTED, Qt.Orientation.Horizontal) == "Projected"


def test_highlight_dim_and_overrun(show, clock: FakeClock) -> None:
    """The running segment is highlighted, finished ones dimmed with their actual start and
    end, and a pitch that ran 42 s past its 5:00 limit is marked +0:42 in red."""
    engine, model = show
    engine.start()
    clock.advance(300)
    engine.next()
    clock.advance(342)
    engine.next()
    model.update(engine.projection())
    assert cell(model, 3, 0, ROW_STATE_ROLE) == "current"
    assert cell(model, 3, Column.TITLE, BACKGROUND).color().name() == CURRENT_BACKGROUND
    assert cell(model, 1, Column.TITLE, FOREGROUND).color().name() == PAST_TEXT
    assert cell(model, 2, Column.OVER) == "+0:42"
    assert cell(model, 2, Column.OVER, FOREGROUND).color().name() == OVER_TEXT
    assert (cell(model, 2, Column.START), cell(model, 2, Column.END)) == ("15:05:00", "15:10:42")
    assert cell(model, 2, Column.PROJECTED) == ""


def test_projected_times_follow_actions(show, clock: FakeClock) -> None:
    """A minute added to the opening pushes every later projected start and the groups' ends
    by a minute; undo takes it back."""
    engine, model = show
    engine.start()
    engine.add_time(60)
    model.update(engine.projection())
    assert cell(model, 2, Column.PROJECTED) == "15:06:00"
    assert cell(model, 5, Column.PROJECTED) == "15:15:00"
    assert "ends 15:15:00" in cell(model, 0, 0)
    assert cell(model, 1, Column.LENGTH) == "5:00 (+1:00)"
    engine.undo()
    model.update(engine.projection())
    assert cell(model, 2, Column.PROJECTED) == "15:05:00"


def test_overtime_updates_one_block_without_reset(qtbot, show, clock: FakeClock) -> None:
    """In overtime every later projected start moves each second: the model sends one
    dataChanged over the rows and columns that changed, and never resets."""
    engine, model = show
    engine.start()
    clock.advance(310)
    model.update(engine.projection())
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda tl, br, _roles=(): changes.append((tl.row(), br.row(), tl.column(), br.column()))
    )
    with qtbot.assertNotEmitted(model.modelReset):
        clock.advance(1)
        assert model.update(engine.projection()) == 1
    # group ends, projections, live overrun; the headers' ends at the right of their span
    assert changes == [(0, 6, 0, len(Column) - 1)]
    assert model.update(engine.projection()) == 0


def big_agenda(rows: int) -> Agenda:
    """``rows`` one-minute talks in groups of 100, from 09:00."""
    base = hand_agenda()
    segments = tuple(
        Segment(
            index=i, id=f"t{i}", title=f"Talk {i}", duration_s=60, kind=Kind.TALK, group=i // 100
        )
        for i in range(rows)
    )
    groups = tuple(Group(g, f"Block {g}", g * 100, g * 100 + 99) for g in range(rows // 100))
    event = dataclasses.replace(base.event, start_s=9 * 3600, end_s=9 * 3600 + rows * 60)
    return dataclasses.replace(base, event=event, segments=segments, groups=groups)


def test_two_thousand_rows_update_by_blocks(qtbot) -> None:
    """A 2,000-row agenda: 2,020 table rows; a second of overtime is a single dataChanged, a
    next is two (the old and new current rows, and the projections below), never a reset."""
    clock = FakeClock(wall=at(9, 0))
    engine = ShowEngine(big_agenda(2000), clock)
    model = RunningOrderModel(Translator("ko"))
    model.set_show(engine)
    assert model.rowCount() == 2020
    engine.start()
    clock.advance(65)
    model.update(engine.projection())
    with qtbot.assertNotEmitted(model.modelReset):
        clock.advance(1)
        assert model.update(engine.projection()) == 1
        engine.next()
        assert model.update(engine.projection()) == 1
    assert cell(model, 2, 0, ROW_STATE_ROLE) == "current"
    assert cell(model, 1, Column.START) == "09:00:00"


def all_cells(model: RunningOrderModel) -> dict[tuple[int, int], tuple[object, object]]:
    """Every cell's text and its row's state, as a view that shows every row would ask."""
    return {
        (row, column): (cell(model, row, column), cell(model, row, column, ROW_STATE_ROLE))
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    }


def test_rows_formatted_when_asked_match_a_fresh_model_and_every_change_is_signalled(qtbot):
    """60 random shows of 30 steps (pauses, overtime, time added, goto, undo, video lengths,
    automatic ends, reloads, fixed starts, wall-clock jumps): with every row formatted and
    kept, after each update the model reads exactly like a fresh one, and every cell that
    changed lies in a block the model signalled."""
    for seed in range(60):
        rng = random.Random(seed)
        clock = FakeClock(wall=at(14, 58) + rng.random(), mono=10_000.0)
        engine = ShowEngine(random_agenda(rng, rng.randint(1, 14)), clock)
        model = RunningOrderModel(Translator("en"))
        model.set_show(engine)
        blocks: list[tuple[int, int, int, int]] = []
        model.dataChanged.connect(
            lambda tl, br, _roles=(), blocks=blocks: blocks.append(
                (tl.row(), br.row(), tl.column(), br.column())
            )
        )
        shown = all_cells(model)
        for _ in range(30):
            act(engine, clock, rng)
            clock.advance(rng.choice((0.0, 0.4, 1.0, 61.0, 299.0)))
            if engine.agenda is not model._agenda:  # a reload: the stage manager resets
                model.set_show(engine)
                shown = all_cells(model)
                continue
            blocks.clear()
            model.update(engine.projection())
            fresh = RunningOrderModel(Translator("en"))
            fresh.set_show(engine)
            now = all_cells(model)
            assert now == all_cells(fresh), seed
            for (row, column), before in shown.items():
                if now[(row, column)] != before:
                    assert any(a <= row <= b and lo <= column <= hi for a, b, lo, hi in blocks), (
                        seed,
                        row,
                        column,
                        before,
                        now[(row, column)],
                        blocks,
                    )
            shown = now


def test_a_next_formats_only_the_rows_it_must(qtbot) -> None:
    """20,000 rows: set up and a "next" format a handful of rows (the old and new current
    rows, checked cell by cell); the rows a view paints are formatted when it asks."""
    clock = FakeClock(wall=at(9, 0))
    engine = ShowEngine(big_agenda(20_000), clock)
    model = RunningOrderModel(Translator("en"))
    formatted: list[int] = []
    real = model._format_row
    model._format_row = lambda ref, projection: formatted.append(ref.index) or real(ref, projection)
    model.set_show(engine)
    engine.start()
    clock.advance(30)
    model.update(engine.projection())
    engine.next()
    assert model.update(engine.projection()) == 1
    assert len(formatted) <= 6
    assert cell(model, 2, 0, ROW_STATE_ROLE) == "current"
    # the last talk: 19,999 minutes after 09:00 (a fortnight on, 06:19), 30 s early
    assert cell(model, 20_199, Column.PROJECTED) == "06:18:30"
    assert len(formatted) <= 8
