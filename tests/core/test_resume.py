"""Which show opens when an agenda is opened: the day's unfinished show resumed, an ended one
(marked or not) left alone, a fresh one on request, a show past midnight resumed, a rehearsal on
its own clock, and an agenda changed while the app was down flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from show_builders import SEED_ROWS, at, make_agenda

from runofshow.core.agenda import Agenda
from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import ShowStore
from runofshow.core.resume import open_show

SHOW_DAY = dt.date(2022, 11, 30)


@pytest.fixture
def store(tmp_path: Path) -> ShowStore:
    """A fresh store in a temporary state folder."""
    with ShowStore(tmp_path / "state") as opened:
        yield opened


def engine_on(store: ShowStore, agenda: Agenda, clock: FakeClock) -> ShowEngine:
    """An engine on the show ``open_show`` picks for this agenda (resumed or new)."""
    opened = open_show(store, agenda, clock)
    return ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)


def start_at_three(engine: ShowEngine, clock: FakeClock) -> None:
    clock.advance(at("15:00:00") - clock.wall())
    assert engine.start()


def test_an_ended_show_is_not_resumed(store, seed_like, clock):
    """Once a show is marked ended, opening the agenda again starts a new show."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    engine.end_show()
    store.mark_ended(1, engine.now().wall)
    opened = open_show(store, seed_like, clock)
    assert not opened.resumed
    assert opened.record.id == 2


def test_a_show_that_ended_but_was_not_marked_is_marked_and_not_resumed(store, seed_like, clock):
    """The app died between the END action and marking the show: the journal says it ended."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    engine.end_show()
    opened = open_show(store, seed_like, clock)
    assert opened.record.id == 2
    assert store.show(1).ended


def test_fresh_starts_a_new_show_even_with_one_unfinished(store, seed_like, clock):
    """``fresh=True`` (the operator chose "new show") never resumes."""
    engine_on(store, seed_like, clock)
    assert open_show(store, seed_like, clock, fresh=True).record.id == 2


def test_a_show_past_midnight_is_resumed_the_next_day(store, seed_like, clock):
    """An evening show still running at 00:10 resumes rather than starting a new one."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    clock.advance(at("23:59:00") - clock.wall())
    engine.next()
    clock.advance(11 * 60)
    opened = open_show(store, seed_like, clock)
    assert opened.resumed and opened.record.show_date == SHOW_DAY


def test_a_changed_agenda_is_flagged_on_resume(store, seed_like, clock):
    """Resuming with an agenda whose segment ids differ tells the GUI the file changed."""
    engine_on(store, seed_like, clock)
    edited = make_agenda([dict(row, id=f"new{i}") for i, row in enumerate(SEED_ROWS)])
    assert open_show(store, edited, clock).agenda_changed


def test_a_rehearsal_is_journaled_apart_and_resumes_on_its_own_clock(store, seed_like, clock):
    """A 10x rehearsal at 15:09:30 crashes; started again in rehearsal mode without a time it
    resumes on its simulated clock, and the live show of the same agenda is untouched."""
    live = engine_on(store, seed_like, clock)
    rclock = RehearsalClock.starting_at(clock, at("15:09:30"), speed=10)
    opened = open_show(store, seed_like, clock, "rehearsal", anchor=rclock.anchor)
    engine = ShowEngine(
        seed_like, rclock, opened.journal, mode="rehearsal", show_date=opened.record.show_date
    )
    engine.goto(3)
    engine.start()
    clock.advance(6)  # one simulated minute
    remaining = engine.now().remaining_s
    del engine
    clock.advance(3)  # down for three real seconds: thirty simulated ones
    again = open_show(store, seed_like, clock, "rehearsal")
    assert again.resumed and again.record.id == opened.record.id
    engine = ShowEngine(
        seed_like,
        again.show_clock(clock),
        again.journal,
        mode="rehearsal",
        show_date=again.record.show_date,
    )
    assert engine.now().index == 3
    assert engine.now().remaining_s == pytest.approx(remaining - 30)
    assert [s.id for s in store.shows(seed_like.path, "live")] == [1]
    assert store.journal(1).actions() == live.actions == []
