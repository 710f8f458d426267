"""Which show opens when an agenda is opened: the day's unfinished show resumed, an ended one
(marked or not) left alone, a fresh one on request, a show past midnight resumed, a rehearsal on
its own clock, and an agenda changed while the app was down flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from show_builders import SEED_ROWS, at, engine_on, make_agenda, start_at_three

from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import ShowStore
from runofshow.core.resume import default_anchor, open_show

SHOW_DAY = dt.date(2022, 11, 30)


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


@pytest.mark.parametrize("jump_s", [-10 * 3600, -86400, -3 * 86400, +86400])
def test_a_restart_on_the_same_boot_resumes_whatever_the_wall_clock_did(
    store, seed_like, clock, jump_s
):
    """The wall clock is moved (back ten hours, back a day or three, on a day) while the app is
    down after a crash: on the same boot the monotonic clock says only 30 s passed, so the show
    resumes, same segment, 30 s on; before, a day's jump started a new show at segment 1."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    clock.advance(300)
    engine.next()
    clock.advance(100)
    remaining = engine.now().remaining_s
    clock.jump_wall(jump_s)
    clock.advance(30)
    opened = open_show(store, seed_like, clock)
    assert opened.resumed and opened.record.id == 1
    assert opened.clock_moved_s == pytest.approx(jump_s)
    again = ShowEngine(seed_like, clock, opened.journal, show_date=opened.record.show_date)
    assert again.now().index == 1
    assert again.now().remaining_s == pytest.approx(remaining - 30)


def test_after_a_reboot_a_clock_behind_the_journal_still_resumes(store, seed_like, clock):
    """A reboot, and the clock now reads a day earlier than the show's last action (a wrong
    date set by hand, a dead RTC battery): time does not run backwards, so the clock is wrong
    and the show resumes. No clock measured the time since the last action (the app running,
    then down), so the show picks up as it was at its last action, and the operator is told
    how far the clock is behind."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    clock.advance(100)
    assert engine.add_time(60)
    at_last_action = engine.now().remaining_s
    clock.advance(60)
    clock.reboot("boot-2")
    clock.jump_wall(-86400)
    opened = open_show(store, seed_like, clock)
    assert opened.resumed and opened.record.id == 1
    assert opened.clock_behind_s == pytest.approx(86400 - 60)
    again = ShowEngine(seed_like, clock, opened.journal, show_date=opened.record.show_date)
    assert (again.now().index, again.now().remaining_s) == (0, pytest.approx(at_last_action))


def test_after_a_reboot_a_journal_days_ahead_of_the_clock_is_not_resumed(store, seed_like, clock):
    """More than two days "in the future": more likely the clock was wrong when that show was
    recorded than now, so it is left alone (kept, not resumed) and a new show starts."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    clock.reboot("boot-2")
    clock.jump_wall(-3 * 86400)
    opened = open_show(store, seed_like, clock)
    assert not opened.resumed and opened.record.id == 2


def test_a_journal_that_does_not_fit_the_agenda_is_kept_and_a_new_show_started(
    store, seed_like, clock
):
    """During the show the file gained a segment at the top (hot reload moved every record one
    down); then, while the app was down, it was cut to five segments. The journal names
    positions the file no longer has: before, the app died at start-up with an IndexError in
    the fold. Now the old show is kept untouched, not resumed, and the operator is told."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    longer = make_agenda(
        [dict(title="Extra", duration_s=60, id="x")]
        + [dict(row, id=f"s{i}") for i, row in enumerate(SEED_ROWS)]
    )
    engine.replace_agenda(longer)
    clock.advance(5)
    short = make_agenda([dict(row) for row in SEED_ROWS[:5]])
    opened = open_show(store, short, clock)
    assert not opened.resumed and opened.record.id == 2
    assert opened.not_replayable is not None and opened.not_replayable.id == 1
    assert not store.show(1).ended
    ShowEngine(short, clock, opened.journal, show_date=opened.record.show_date).start()


def test_the_operator_is_told_why_an_unfinished_show_was_not_resumed(tmp_path, clock):
    """The same case through ``open_session``, as the app opens it: no traceback at start-up,
    a new show, and a notice naming the show kept in the journal."""
    from runofshow.core.session import open_session

    seed = make_agenda([dict(row) for row in SEED_ROWS])
    first = open_session(seed, state_dir=tmp_path, real=clock)
    first.engine.start()
    longer = make_agenda(
        [dict(title="Extra", duration_s=60, id="x")]
        + [dict(row, id=f"s{i}") for i, row in enumerate(SEED_ROWS)]
    )
    first.engine.replace_agenda(longer)
    short = make_agenda([dict(row) for row in SEED_ROWS[:5]])
    again = open_session(short, state_dir=tmp_path, real=clock)
    assert not again.resumed and again.show_id == 2
    assert [n.key for n in again.notices] == ["not_replayable"]
    assert "#1" in again.notices[0]


def test_a_rehearsal_of_a_show_at_midnight_is_on_the_show_day(tmp_path: Path):
    """A show starting at 00:00 is rehearsed from a minute before, 23:59 the day before: the
    rehearsal's planned times are still the agenda's own day (it ran 23:59 behind)."""
    agenda = make_agenda(SEED_ROWS, start="00:00", end="01:00")
    clock = FakeClock(wall=at("10:00:00"), mono=50.0)
    with ShowStore(tmp_path) as store:
        opened = open_show(store, agenda, clock, "rehearsal")
        assert opened.record.show_date == agenda.event.date
        engine = ShowEngine(
            agenda, opened.show_clock(clock), opened.journal, mode="rehearsal",
            show_date=opened.record.show_date,
        )  # fmt: skip
        assert abs(engine.now().drift_s) < 120


def test_a_rehearsal_from_after_midnight_of_a_night_is_the_next_morning(tmp_path: Path):
    """``--rehearse 0:05`` of a 23:50-0:30 night starts five minutes past the midnight of
    the night (ten minutes in), not at 0:05 of the afternoon before the night began; 23:55
    stays on the evening."""
    agenda = make_agenda(SEED_ROWS[:3], start="23:50", end="24:30")  # ends 0:30 +1
    clock = FakeClock(wall=at("10:00:00"), mono=50.0)
    late = default_anchor(agenda, clock, 1.0, 5 * 60)
    evening = default_anchor(agenda, clock, 1.0, 23 * 3600 + 55 * 60)
    assert late.sim_wall == at("00:05:00", agenda.event.date + dt.timedelta(days=1))
    assert evening.sim_wall == at("23:55:00", agenda.event.date)
