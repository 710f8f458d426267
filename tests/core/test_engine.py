"""The show engine on a fake clock: what the MC and the stage manager read off it must be true
at every instant, whatever the repaints did, and every action must be recoverable."""

from __future__ import annotations

import pytest
from show_builders import SEED_ROWS, at, make_agenda

from runofshow.core.actions import MemoryJournal
from runofshow.core.agenda import EndAction, Kind
from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.engine import (
    ClockJumped,
    JournalFailed,
    Phase,
    PhaseChanged,
    SegmentChanged,
    ShowEngine,
    Status,
)
from runofshow.core.fold import fold
from runofshow.core.timefmt import countdown_text, drift_text

PITCH_1 = 3


def started(agenda, clock, **kw) -> ShowEngine:
    """An engine whose show started on time at 15:00:00."""
    engine = ShowEngine(agenda, clock, **kw)
    clock.advance(at("15:00:00") - clock.wall())
    assert engine.start()
    return engine


def run_to(engine: ShowEngine, clock: FakeClock, index: int) -> None:
    """Run each segment for exactly its planned slot until ``index`` is current."""
    while engine.now().index < index:
        clock.advance(engine.agenda.segments[engine.now().index].duration_s)
        assert engine.next()


def test_before_the_show_the_first_segment_waits_and_the_plan_is_on_time(seed_like, clock):
    """Ready at 14:59: nothing counts down, and the projection is the plan (16:00)."""
    engine = ShowEngine(seed_like, clock)
    now = engine.now()
    assert now.status is Status.READY
    assert now.phase is Phase.IDLE
    assert now.projected_end == at("16:00:00")
    assert now.drift_s == 0


def test_remaining_is_computed_from_the_clock_without_any_tick(seed_like, clock):
    """No poll or repaint is needed: asking at any instant gives the exact remaining time."""
    engine = started(seed_like, clock)
    clock.advance(12.3)
    assert engine.now().remaining_s == pytest.approx(300 - 12.3)
    clock.advance(100_000)  # a repaint that never came
    assert engine.now().overtime_s == pytest.approx(100_012.3 - 300)


def test_pitch_phases_change_at_the_thresholds_and_are_announced_once(seed_like, clock):
    """A 5-minute pitch goes wrap-up at 4:00, danger at 4:30 and overtime at 5:00, each once."""
    engine = started(seed_like, clock)
    run_to(engine, clock, PITCH_1)
    events = []
    engine.subscribe(events.append)
    expected = [
        (239.9, Phase.NORMAL),
        (0.1, Phase.WRAPUP),
        (30, Phase.DANGER),
        (30, Phase.OVERTIME),
    ]
    for step, phase in expected:
        clock.advance(step)
        engine.poll()
        engine.poll()  # a doubled repaint announces nothing twice
        assert engine.now().phase is phase
    changes = [e for e in events if isinstance(e, PhaseChanged)]
    assert [c.new for c in changes] == [Phase.WRAPUP, Phase.DANGER, Phase.OVERTIME]


def test_a_pitch_past_its_limit_counts_overtime_up_and_drift_follows(seed_like, clock):
    """At 5:12 into a 4:30-slot pitch the MC sees +0:12 and the show 0:42 behind."""
    engine = started(seed_like, clock)
    run_to(engine, clock, PITCH_1)
    clock.advance(312)
    now = engine.now()
    assert countdown_text(now.remaining_s) == "+0:12"
    assert now.overtime_s == pytest.approx(12)
    assert drift_text(now.drift_s) == "0:42 behind"
    assert engine.local_time(now.projected_end).strftime("%H:%M:%S") == "16:00:42"
    assert engine.local_time(now.next_projected_start).strftime("%H:%M:%S") == "15:15:12"


def test_undo_of_an_accidental_next_keeps_the_time_that_ran(seed_like, clock):
    """A clicker's stray next, undone 20 s later, leaves the speaker 20 s further on."""
    engine = started(seed_like, clock)
    run_to(engine, clock, PITCH_1)
    clock.advance(100)
    assert engine.next()
    clock.advance(20)
    assert engine.now().index == PITCH_1 + 1
    assert engine.undo()
    now = engine.now()
    assert now.index == PITCH_1
    assert now.elapsed_s == pytest.approx(120)
    assert now.status is Status.RUNNING


def test_a_second_next_within_half_a_second_is_a_clicker_bounce(seed_like, clock):
    """Two nexts 0.3 s apart move one segment; the same 0.6 s apart move two."""
    engine = started(seed_like, clock)
    assert engine.next()
    clock.advance(0.3)
    assert not engine.next()
    assert engine.now().index == 1
    clock.advance(0.3)
    assert engine.next()
    assert engine.now().index == 2


def test_pause_stops_the_segment_clock_and_a_next_while_paused_starts_the_next(seed_like, clock):
    """Paused time is not the speaker's; a next from pause starts the next segment at zero."""
    engine = started(seed_like, clock)
    clock.advance(100)
    assert engine.pause()
    clock.advance(60)
    assert engine.now().elapsed_s == pytest.approx(100)
    assert engine.now().status is Status.PAUSED
    assert engine.next()
    clock.advance(5)
    now = engine.now()
    assert (now.index, now.status) == (1, Status.RUNNING)
    assert now.elapsed_s == pytest.approx(5)
    assert engine.timeline().segments[0].pauses == 1


def test_paused_time_pushes_every_later_segment(seed_like, clock):
    """A 2-minute pause makes the show end 2 minutes later than planned."""
    engine = started(seed_like, clock)
    clock.advance(10)
    engine.pause()
    clock.advance(120)
    assert engine.now().drift_s == pytest.approx(120)


def test_adding_time_moves_a_pitch_into_and_out_of_overtime(seed_like, clock):
    """+1 min at 5:12 gives 0:48 back; -1 min puts it over again."""
    engine = started(seed_like, clock)
    run_to(engine, clock, PITCH_1)
    clock.advance(312)
    assert engine.now().phase is Phase.OVERTIME
    engine.add_time(60)
    assert countdown_text(engine.now().remaining_s) == "0:48"
    assert engine.now().phase is Phase.WRAPUP
    engine.add_time(-60)
    assert countdown_text(engine.now().remaining_s) == "+0:12"
    engine.add_time(-10_000)
    assert engine.now().allowance_s == 0


def test_reset_restarts_the_current_segment(seed_like, clock):
    """Reset puts the countdown back to its full allowance and drops added time."""
    engine = started(seed_like, clock)
    clock.advance(200)
    engine.add_time(30)
    engine.reset_segment()
    clock.advance(1)
    assert engine.now().remaining_s == pytest.approx(299)


def test_end_action_advance_starts_the_next_segment_at_the_exact_instant(clock):
    """An advancing segment hands over at 0:00 even if nobody looked for a minute."""
    agenda = make_agenda(
        [
            dict(title="Walk-in", duration_s=60, end_action=EndAction.ADVANCE),
            dict(title="Talk", duration_s=600),
        ]
    )
    engine = started(agenda, clock)
    events = []
    engine.subscribe(events.append)
    clock.advance(90)
    now = engine.poll()
    assert now.index == 1
    assert now.elapsed_s == pytest.approx(30)
    assert SegmentChanged(0, 1) in events
    assert engine.timeline().segments[0].actual_end == at("15:01:00")


def test_a_fixed_start_absorbs_slack_but_not_overrun(clock):
    """Lunch at 12:00 sharp: an early morning waits for it, a late one pushes it."""
    agenda = make_agenda(
        [
            dict(title="Talk", duration_s=1800),
            dict(title="Lunch", duration_s=3600, fixed_start_s=16 * 3600),
        ],
        start="15:00",
        end="17:00",
    )
    engine = started(agenda, clock)
    clock.advance(600)
    engine.next()  # the talk ended 20 minutes early
    assert engine.now().next_index is None
    assert engine.now().index == 1
    assert engine.local_time(engine.timeline().segments[1].projected_start).hour == 15
    engine.undo()  # back to the talk, which now overruns by 40 minutes
    clock.advance(1800 + 2400 - 600)
    tl = engine.timeline()
    assert engine.local_time(tl.segments[1].projected_start).strftime("%H:%M") == "16:10"
    assert engine.now().drift_s == pytest.approx(600)


def test_fixed_start_ahead_of_the_plan_keeps_the_show_on_time(clock):
    """Running ahead before a fixed start is absorbed: the show still ends on plan."""
    agenda = make_agenda(
        [
            dict(title="Talk", duration_s=1800),
            dict(title="Lunch", duration_s=3600, fixed_start_s=15 * 3600 + 1800),
        ],
        start="15:00",
        end="16:30",
    )
    engine = started(agenda, clock)
    clock.advance(600)
    assert engine.now().next_projected_start == at("15:30:00")
    engine.now()
    assert engine.now().drift_s == 0


def test_groups_report_their_projected_end(seed_like, clock):
    """Programme 1 ends when its last segment is projected to end."""
    engine = started(seed_like, clock)
    run_to(engine, clock, PITCH_1)
    clock.advance(330)  # a pitch 1:00 over its slot
    tl = engine.timeline()
    assert tl.groups[0].planned_end == at("15:35:00")
    assert tl.groups[0].projected_end == at("15:36:00")


def test_the_live_state_is_the_fold_of_the_journal(seed_like, clock):
    """Replaying the journal gives exactly the state the actions built, undo included."""
    journal = MemoryJournal()
    engine = started(seed_like, clock, journal=journal)
    script = ["next", "pause", "resume", "next", "undo", "add_time", "next", "next", "previous"]
    for name in script:
        clock.advance(37.5)
        getattr(engine, name)(*([30] if name == "add_time" else []))
    replayed = fold(seed_like, journal.actions()).at(clock.monotonic())
    live = engine._state()
    assert (replayed.index, replayed.status) == (live.index, live.status)
    assert replayed.runs == live.runs


def test_a_new_engine_on_the_journal_resumes_with_the_gap_counted(seed_like, clock):
    """After a crash and a 45 s restart, the same segment shows 45 s less."""
    journal = MemoryJournal()
    engine = started(seed_like, clock, journal=journal)
    run_to(engine, clock, PITCH_1)
    clock.advance(100)
    before = engine.now()
    del engine
    clock.advance(45)
    resumed = ShowEngine(seed_like, clock, journal=journal).now()
    assert resumed.index == before.index
    assert resumed.remaining_s == pytest.approx(before.remaining_s - 45)
    assert resumed.drift_s == pytest.approx(before.drift_s)


def test_a_suspended_laptop_counts_the_time_it_slept(seed_like, clock):
    """Ten minutes asleep are ten minutes of the segment (boot time keeps counting)."""
    engine = started(seed_like, clock)
    clock.advance(60)
    clock.suspend(600)
    assert engine.now().elapsed_s == pytest.approx(660)


def test_a_wall_clock_jump_never_moves_the_countdown(seed_like, clock):
    """NTP jumps +1 h then -10 min: remaining is untouched, the jump is announced, and
    the time of day follows the new wall clock."""
    engine = started(seed_like, clock)
    events = []
    engine.subscribe(events.append)
    clock.advance(30)
    remaining = engine.now().remaining_s
    clock.jump_wall(3600)
    engine.poll()
    assert engine.now().remaining_s == remaining
    assert engine.now().wall == pytest.approx(at("16:00:30"))
    clock.jump_wall(-600)
    engine.poll()
    assert engine.now().remaining_s == remaining
    assert [e.delta_s for e in events if isinstance(e, ClockJumped)] == [3600, -600]


def test_after_a_reboot_the_gap_is_taken_from_the_wall_clock(seed_like, clock):
    """A reboot restarts the monotonic clock; the journal's wall times place the show."""
    journal = MemoryJournal()
    engine = started(seed_like, clock, journal=journal)
    clock.advance(100)
    del engine
    clock.advance(200)
    clock.reboot("second-boot", mono=12.0)
    resumed = ShowEngine(seed_like, clock, journal=journal).now()
    assert resumed.elapsed_s == pytest.approx(300)


class _BrokenJournal(MemoryJournal):
    def append(self, action):
        raise OSError(28, "No space left on device", "/full/journal.sqlite3")


def test_a_journal_that_cannot_write_does_not_stop_the_show(seed_like, clock):
    """A full disk is announced once and the show keeps timing in memory."""
    engine = ShowEngine(seed_like, clock, journal=_BrokenJournal())
    events = []
    engine.subscribe(events.append)
    assert engine.start()
    clock.advance(10)
    assert engine.next()
    assert engine.now().index == 1
    failures = [e for e in events if isinstance(e, JournalFailed)]
    assert len(failures) == 1
    assert "/full/journal.sqlite3" in failures[0].reason


def test_hot_reload_keeps_position_and_elapsed_time(seed_like, clock):
    """A title fixed and a segment inserted before the current one: same segment, same time."""
    engine = started(seed_like, clock)
    run_to(engine, clock, PITCH_1)
    clock.advance(100)
    rows = [dict(r) for r in SEED_ROWS]
    rows[PITCH_1]["title"] = "Pitch 1 (fixed typo)"
    rows.insert(1, dict(title="Extra", duration_s=60))
    edited = make_agenda(
        [{**r, "id": f"s{i - (i > 1)}" if i != 1 else "extra"} for i, r in enumerate(rows)]
    )
    assert engine.replace_agenda(edited)
    now = engine.now()
    assert now.segment.title == "Pitch 1 (fixed typo)"
    assert now.index == PITCH_1 + 1
    assert now.elapsed_s == pytest.approx(100)


def test_deleting_the_running_segment_keeps_its_elapsed_time_on_the_next(seed_like, clock):
    """The running segment removed from the file: the one taking its place carries on."""
    engine = started(seed_like, clock)
    run_to(engine, clock, PITCH_1)
    clock.advance(50)
    rows = [{**r, "id": f"s{i}"} for i, r in enumerate(SEED_ROWS) if i != PITCH_1]
    engine.replace_agenda(make_agenda(rows))
    now = engine.now()
    assert now.segment.title == "Pitch 2"
    assert now.elapsed_s == pytest.approx(50)


def test_rehearsal_clock_runs_a_show_at_sixty_times_speed(seed_like):
    """A rehearsal from 15:09:30 at 60x: one real second is a minute of show."""
    real = FakeClock(wall=1_000_000.0, mono=50.0)
    sim = RehearsalClock.starting_at(real, at("15:09:30"), speed=60)
    engine = ShowEngine(seed_like, sim, mode="rehearsal")
    engine.goto(PITCH_1)
    engine.start()
    real.advance(5)
    now = engine.now()
    assert now.elapsed_s == pytest.approx(300)
    assert now.phase is Phase.OVERTIME
    assert engine.local_time(now.wall).strftime("%H:%M:%S") == "15:14:30"


def test_the_whole_sixty_minute_seed_show_in_milliseconds(seed_like, clock):
    """Every segment run, pitches 2 and 4 over their limit: flagged, and the show ends late
    by exactly their overrun past the slot."""
    engine = started(seed_like, clock)
    overrun = {4: 330.0, 6: 315.0}  # pitch 2 runs 5:30, pitch 4 runs 5:15
    for seg in seed_like.segments:
        clock.advance(overrun.get(seg.index, seg.duration_s))
        engine.poll()
        engine.next()
    assert engine.now().status is Status.ENDED
    tl = engine.timeline()
    flagged = {r.index: round(r.over_limit_s) for r in tl.segments if r.over_limit_s > 0}
    assert flagged == {4: 30, 6: 15}
    assert tl.projected_end == at("16:01:45")
    assert tl.drift_s == pytest.approx(105)
    assert all(r.state == "past" for r in tl.segments)
    assert [seed_like.segments[i].kind for i in flagged] == [Kind.PITCH, Kind.PITCH]


def test_a_video_of_real_length_replaces_the_planned_slot(seed_like, clock):
    """The video file is 4:40, not 5:00: the countdown and the show's end follow the file."""
    engine = started(seed_like, clock)
    run_to(engine, clock, 8)
    assert engine.set_media_length(280)
    clock.advance(10)
    now = engine.now()
    assert now.remaining_s == pytest.approx(270)
    assert now.drift_s == pytest.approx(-20)


def test_a_reloaded_agenda_with_a_corrected_time_zone_moves_the_plan(seed_like, clock):
    """The file said UTC by mistake; fixed to Asia/Seoul, the plan is 15:00 Seoul again."""
    import dataclasses

    wrong = dataclasses.replace(
        seed_like, event=dataclasses.replace(seed_like.event, timezone="UTC")
    )
    engine = ShowEngine(wrong, clock)
    assert engine.now().planned_end != at("16:00:00")
    engine.replace_agenda(seed_like)
    assert engine.now().planned_end == at("16:00:00")
    assert engine.local_time(engine.now().planned_end).strftime("%H:%M") == "16:00"
