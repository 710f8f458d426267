"""Planning the show as it runs, on a fake clock: roll mode (the clock starts segments, the
MC can take over by key), what-if (the projection a replay with other lengths gives) and the
plan to land on time (cuts that add up, respect min: and fixed:, one undoable action)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from show_builders import at, make_agenda

from runofshow.core import actions as act
from runofshow.core.actions import MemoryJournal
from runofshow.core.agenda import EndAction, Kind
from runofshow.core.clock import FakeClock
from runofshow.core.engine import Phase, ShowEngine, Status
from runofshow.core.fold import fold
from runofshow.core.planning import (
    AssumptionError,
    changes_text,
    landing_plan,
    parse_assumptions,
    room_to_give,
)

PITCH_2, VOTE, VIDEO, CLOSING = 4, 7, 8, 11


def _rolling(rows: list[dict]) -> list[dict]:
    return [{**row, "roll": True} for row in rows]


ROLL_ROWS = _rolling(
    [
        dict(title="Opening", duration_s=600),
        dict(title="Keynote", duration_s=600, fixed_start_s=15 * 3600 + 30 * 60),
        dict(title="Panel", duration_s=300),
    ]
)


@pytest.fixture
def rolling(clock: FakeClock) -> ShowEngine:
    """A roll show (15:00 opening, 15:30 keynote after a gap, a panel), opened at 14:59."""
    return ShowEngine(make_agenda(ROLL_ROWS, end="15:45"), clock)


def _clock_text(engine: ShowEngine, wall: float | None) -> str:
    assert wall is not None
    return engine.local_time(wall).strftime("%H:%M:%S")


# -- roll mode -----------------------------------------------------------------------------


def test_roll_starts_each_segment_at_its_planned_time_with_no_key(rolling, clock):
    """14:59: "starts in 1:00"; 15:00 the opening runs; 15:10 it ends and the show waits for
    the keynote's 15:30; at 15:30 the keynote runs. Nothing was journaled."""
    now = rolling.now()
    assert (now.status, now.phase, now.rolling) == (Status.READY, Phase.IDLE, True)
    assert now.starts_at == at("15:00:00")
    clock.advance(60)
    now = rolling.poll()
    assert (now.status, now.index, now.elapsed_s) == (Status.RUNNING, 0, 0)
    clock.advance(600 + 125)
    now = rolling.poll()
    assert (now.status, now.index, now.phase) == (Status.WAITING, 1, Phase.IDLE)
    assert now.starts_at == at("15:30:00")
    assert now.starts_at - now.wall == pytest.approx(1075)
    clock.advance(1075)
    now = rolling.poll()
    assert (now.status, now.index) == (Status.RUNNING, 1)
    rows = rolling.timeline().segments
    assert [_clock_text(rolling, r.actual_start) for r in rows[:2]] == ["15:00:00", "15:30:00"]
    assert _clock_text(rolling, rows[0].actual_end) == "15:10:00"
    assert rolling.actions == []


def test_a_late_start_starts_when_the_show_is_opened_and_later_segments_follow(clock):
    """Opened at 15:02, the opening starts then (2:00 late); the panel, with no fixed start,
    starts when the opening ends: later than planned, never earlier."""
    agenda = make_agenda(
        _rolling([dict(title="Opening", duration_s=600), dict(title="Panel", duration_s=300)]),
        end="15:15",
    )
    clock.advance(at("15:02:00") - clock.wall())
    engine = ShowEngine(agenda, clock)
    now = engine.now()
    assert (now.status, now.index, now.drift_s) == (Status.RUNNING, 0, pytest.approx(120))
    assert _clock_text(engine, now.next_projected_start) == "15:12:00"
    clock.advance(600)
    now = engine.poll()
    assert (now.status, now.index, now.elapsed_s) == (Status.RUNNING, 1, 0)
    clock.advance(300)
    assert engine.poll().status is Status.ENDED
    assert _clock_text(engine, engine.timeline().projected_end) == "15:17:00"


def test_the_projection_holds_the_roll_starts(rolling, clock):
    """Before the show the timeline shows each roll start as the clock will make it; the
    keynote's start holds at 15:30 even if the opening runs short."""
    rows = rolling.timeline().segments
    assert [_clock_text(rolling, r.projected_start) for r in rows] == [
        "15:00:00",
        "15:30:00",
        "15:40:00",
    ]
    clock.advance(60 + 120)
    rolling.next()  # the opening ends early by key; the keynote runs at once (keys rule)
    now = rolling.now()
    assert (now.index, now.status) == (1, Status.RUNNING)
    assert _clock_text(rolling, now.next_projected_start) == "15:40:00"  # the panel's roll
    assert _clock_text(rolling, now.projected_end) == "15:45:00"


def test_the_mc_takes_over_by_key_and_hands_back(rolling, clock):
    """Taken over at 15:05, the opening holds in overtime at 15:10 and the keynote waits for
    a key; handed back, the clock starts the panel at its time. Both are journaled, and an
    undo takes the hand-back back."""
    clock.advance(60 + 300)
    assert rolling.set_rolling(False)
    assert not rolling.now().rolling
    clock.advance(400)
    now = rolling.poll()
    assert (now.index, now.phase) == (0, Phase.OVERTIME)
    assert rolling.next()
    assert rolling.set_rolling(True)
    assert [a.name for a in rolling.actions] == [act.ROLL, act.NEXT, act.ROLL]
    assert [a.args.get("on") for a in rolling.actions] == [False, None, True]
    clock.advance(600)  # the keynote ran its 10 minutes and ended by itself
    now = rolling.poll()
    assert (now.index, now.status, now.starts_at) == (2, Status.WAITING, at("15:40:00"))
    assert rolling.undo()
    now = rolling.now()
    assert (now.index, now.phase, now.rolling) == (1, Phase.OVERTIME, False)


def test_handed_back_in_overtime_the_segment_ends_then_not_in_the_past(rolling, clock):
    """Taken over at 15:05, the opening runs on (in overtime on every screen) until the MC
    hands the show back at 15:35: it ends then and the keynote, due at 15:30, starts at
    once. The hand-back used to rewrite the past: the opening "ended" at 15:10 and the
    keynote "started" at 15:30, five minutes before the key that let the clock go on."""
    clock.advance(60 + 300)
    assert rolling.set_rolling(False)
    clock.advance(1800)
    assert (rolling.poll().index, rolling.now().phase) == (0, Phase.OVERTIME)
    assert rolling.set_rolling(True)
    now = rolling.now()
    assert (now.index, now.status, now.elapsed_s) == (1, Status.RUNNING, 0)
    opening, keynote, _panel = rolling.timeline().segments
    assert _clock_text(rolling, opening.actual_end) == "15:35:00"
    assert _clock_text(rolling, keynote.actual_start) == "15:35:00"
    # a replay of the journal (a restart, the report) agrees: 35 minutes on stage
    replayed = fold(rolling.agenda, rolling.actions, rolling._roll)
    assert replayed.at(rolling.actions[-1].t).runs[0].run_s == 2100


def test_a_minute_taken_from_an_advancing_segment_ends_it_now_not_a_while_ago(clock):
    """30 seconds left of a segment that advances by itself, the MC removes a minute: it ends
    at the key press (it used to end 30 seconds before it)."""
    agenda = make_agenda(
        [
            dict(title="Talk", duration_s=300, end_action=EndAction.ADVANCE),
            dict(title="Close", duration_s=300),
        ],
        end="15:10",
    )
    engine = ShowEngine(agenda, clock)
    engine.start()
    clock.advance(270)
    assert engine.add_time(-60)
    now = engine.now()
    assert (now.index, now.elapsed_s) == (1, 0)
    talk = engine.timeline().segments[0]
    assert talk.actual_end == pytest.approx(clock.wall())


def test_keys_in_the_wait_start_now_or_move_on(rolling, clock):
    """Waiting for the 15:30 keynote: Start runs it now (the roll goes on after it); Next
    would skip it."""
    clock.advance(60 + 600 + 5)
    assert rolling.now().status is Status.WAITING
    assert rolling.start()
    now = rolling.now()
    assert (now.status, now.index) == (Status.RUNNING, 1)
    clock.advance(600)  # the keynote ended by itself; the panel waits for its 15:40
    assert (rolling.poll().index, rolling.now().status) == (2, Status.WAITING)


def test_a_paused_roll_segment_is_not_ended_by_the_clock(rolling, clock):
    clock.advance(60 + 100)
    assert rolling.pause()
    clock.advance(3600)
    now = rolling.poll()
    assert (now.status, now.index) == (Status.PAUSED, 0)


def test_a_restart_resumes_the_roll_where_it_was(clock):
    """With an empty journal or with actions, a new engine on the same journal, told when
    the show was opened (its record), folds to the same show, and so does a plain fold."""
    agenda = make_agenda(ROLL_ROWS, end="15:45")
    journal = MemoryJournal()
    opened = clock.wall()
    first = ShowEngine(agenda, clock, journal)
    clock.advance(60 + 700)
    before = first.now()
    clock.advance(30)
    resumed = ShowEngine(agenda, clock, journal, opened_wall=opened).now()
    assert (resumed.status, resumed.index, resumed.starts_at) == (
        before.status,
        before.index,
        before.starts_at,
    )
    first.set_rolling(False)
    clock.advance(10)
    first.start()
    clock.advance(42)
    live = first.now()
    again = ShowEngine(agenda, clock, journal, opened_wall=opened)
    assert (again.now().index, again.now().elapsed_s) == (live.index, pytest.approx(42))
    replayed = fold(agenda, journal.actions(), again._roll).at(clock.monotonic())
    assert (replayed.index, replayed.status, replayed.rolling) == (1, Status.RUNNING, False)


# -- what if -------------------------------------------------------------------------------


def _run(engine: ShowEngine, clock: FakeClock, lengths: dict[int, float]) -> None:
    """Run the whole show, each segment for ``lengths`` (else its slot)."""
    engine.start()
    for seg in engine.agenda.segments:
        clock.advance(lengths.get(seg.index, seg.duration_s))
        engine.next()


def test_what_if_projects_what_a_replay_with_those_lengths_gives(seed_like, clock):
    """pitch 2 at 6:00 and the vote a minute longer: every later start and the end the
    what-if shows are where the show really is when it runs that way."""
    clock.advance(at("15:00:00") - clock.wall())
    live = ShowEngine(seed_like, clock)
    slots = parse_assumptions(["s4=6m", "s7=+1m"], seed_like)
    assert slots == {PITCH_2: 360, VOTE: 180}
    what_if = live.assuming(slots)
    assert live.actions == []  # nothing journaled on the show itself
    projected = [r.projected_start for r in what_if.timeline().segments]
    assert what_if.now().projected_end == at("16:02:30")

    replay_clock = FakeClock(wall=at("15:00:00"), mono=50.0)
    replay = ShowEngine(seed_like, replay_clock)
    _run(replay, replay_clock, slots)
    actual = [r.actual_start for r in replay.timeline().segments]
    assert actual == pytest.approx(projected, abs=1e-6)
    assert replay.now().projected_end == pytest.approx(what_if.now().projected_end, abs=1e-6)


def test_what_if_during_the_show_starts_from_where_the_show_is(seed_like, clock):
    clock.advance(at("15:00:00") - clock.wall())
    engine = ShowEngine(seed_like, clock)
    engine.start()
    clock.advance(300)
    engine.next()
    clock.advance(200)  # the greeting, 3:00 planned, is at 3:20
    what_if = engine.assuming({VOTE: 60})
    assert what_if.now().drift_s == pytest.approx(20 - 60)
    assert engine.now().drift_s == pytest.approx(20)


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("pitch-9=6m", "no segment 'pitch-9'", "name a segment by its id or its number"),
        ("s44=6m", "no segment 's44'", "did you mean 's4'?"),
        ("s4", "'s4' is not an assumption", "write SEGMENT=LENGTH"),
        ("s4=6 mins", "'6 mins' is not a duration", "write 6m"),
        ("s4=-10m", 'leaves segment 5 "Pitch 2" no time', "its slot is 4:30"),
        ("99=1m", "no segment '99'", "(1 to 14)"),
    ],
)
def test_assumptions_that_cannot_be_read_say_how_to_write_them(seed_like, text, message, hint):
    with pytest.raises(AssumptionError) as caught:
        parse_assumptions([text], seed_like)
    assert message in caught.value.message and hint in caught.value.hint


def test_assumptions_by_number_and_several_in_one_text(seed_like):
    assert parse_assumptions(["5=5m, 8=-30s"], seed_like) == {PITCH_2: 300, VOTE: 90}


# -- landing on time -----------------------------------------------------------------------


def _behind(agenda, clock: FakeClock, overrun: float = 240) -> ShowEngine:
    """The show started on time and is at pitch 2, which ran ``overrun`` past its slot."""
    clock.advance(at("15:00:00") - clock.wall())
    engine = ShowEngine(agenda, clock)
    engine.start()
    for index in range(PITCH_2):
        clock.advance(agenda.segments[index].duration_s)
        engine.next()
    clock.advance(agenda.segments[PITCH_2].duration_s + overrun)
    return engine


def test_a_landing_plan_lands_on_the_planned_end_and_is_one_undoable_action(seed_like, clock):
    """Four minutes behind: the cuts add up to exactly 4:00, spread over the segments to
    come by their room; applied, the projection ends at 16:00; undone, it is 4:00 late."""
    engine = _behind(seed_like, clock)
    assert engine.now().drift_s == pytest.approx(240)
    plan = landing_plan(engine)
    assert plan.needed and plan.miss_s == 0
    assert sum(c.delta_s for c in plan.changes) == pytest.approx(-240)
    assert all(c.index > PITCH_2 for c in plan.changes)
    for change in plan.changes:
        segment = seed_like.segments[change.index]
        assert -change.delta_s <= room_to_give(segment, change.before_s)
    assert VIDEO not in plan.slots  # a video has its file's length
    awards, honorary = seed_like.segments[10], seed_like.segments[9]
    cut = {c.index: -c.delta_s for c in plan.changes}
    assert cut[10] > cut[CLOSING] and cut[9] == cut[10]  # by room: the 10-minute ones give most
    assert awards.duration_s == honorary.duration_s
    before = len(engine.actions)
    assert engine.apply_plan(plan.slots)
    assert [a.name for a in engine.actions[before:]] == [act.PLAN]
    assert engine.now().projected_end == pytest.approx(at("16:00:00"), abs=1)
    assert engine.now().projected_end <= at("16:00:00")
    rows = engine.timeline().segments
    assert rows[VOTE].slot_s == plan.slots[VOTE]
    assert engine.undo()
    assert engine.now().drift_s == pytest.approx(240)


def test_the_plan_respects_min_and_fixed(seed_like, clock):
    """Closing remarks cannot move and the awards give at most a minute: the rest give it."""
    segments = list(seed_like.segments)
    segments[CLOSING] = dataclasses.replace(segments[CLOSING], fixed=True)
    segments[10] = dataclasses.replace(segments[10], min_s=540)
    agenda = dataclasses.replace(seed_like, segments=tuple(segments))
    plan = landing_plan(_behind(agenda, clock, overrun=300))
    cut = {c.index: -c.delta_s for c in plan.changes}
    assert CLOSING not in cut and cut[10] <= 60
    assert sum(cut.values()) == 300 and plan.miss_s == 0
    text = changes_text(agenda, plan.changes)
    assert "Awards -" in text and "Closing remarks" not in text


def test_a_show_too_far_behind_gets_all_the_room_there_is_and_says_how_far_it_misses(
    seed_like, clock
):
    engine = _behind(seed_like, clock, overrun=3000)
    plan = landing_plan(engine)
    room = sum(
        room_to_give(seed_like.segments[i], seed_like.segments[i].duration_s)
        for i in range(PITCH_2 + 1, len(seed_like.segments))
    )
    assert -sum(c.delta_s for c in plan.changes) == room
    assert plan.miss_s == 3000 - room


def test_a_fixed_start_swallows_cuts_before_it(clock):
    """Lunch at 16:00 with 10 minutes of slack before it: a talk 4 minutes over is absorbed
    there, so only the segments after lunch could move the end, and nothing is cut before it.
    When the overrun eats the slack, cuts before lunch help only by what is left over."""
    agenda = make_agenda(
        [
            dict(title="Talk", duration_s=1800),
            dict(title="Panel", duration_s=1200),
            dict(title="Lunch", duration_s=1800, fixed_start_s=16 * 3600),
            dict(title="Wrap", duration_s=600),
        ],
        end="16:40",
    )
    clock.advance(at("15:00:00") - clock.wall())
    engine = ShowEngine(agenda, clock)
    engine.start()
    clock.advance(1800 + 240)
    assert engine.now().drift_s == pytest.approx(0)
    assert not landing_plan(engine).needed
    clock.advance(600)  # 14 minutes over: lunch would start 4 minutes late
    plan = landing_plan(engine)
    cut = {c.index: -c.delta_s for c in plan.changes}
    assert sum(cut.values()) == 240 and plan.miss_s == 0
    assert set(cut) <= {1, 2, 3}
    engine.apply_plan(plan.slots)
    assert engine.now().projected_end <= at("16:40:00")
    assert engine.now().projected_end == pytest.approx(at("16:40:00"), abs=1)


def test_running_ahead_gives_the_time_out_to_land_on_a_chosen_time(seed_like, clock):
    """Three minutes ahead, the producer wants to end at 16:05: eight minutes to give out."""
    clock.advance(at("15:00:00") - clock.wall())
    engine = ShowEngine(seed_like, clock)
    engine.start()
    clock.advance(120)
    engine.next()  # the opening ran 2:00 of its 5:00
    plan = landing_plan(engine, at("16:05:00"))
    assert sum(c.delta_s for c in plan.changes) == 480
    assert all(c.delta_s > 0 for c in plan.changes)
    assert VIDEO not in plan.slots and 1 not in plan.slots  # the greeting is running
    engine.apply_plan(plan.slots)
    assert engine.now().projected_end == pytest.approx(at("16:05:00"), abs=1)


def test_the_plan_is_in_the_report_through_the_journal(seed_like, clock):
    """A replay of the journal (what the report and a restart do) has the plan applied."""
    engine = _behind(seed_like, clock)
    engine.apply_plan(landing_plan(engine).slots)
    again = ShowEngine(seed_like, clock, MemoryJournal(engine.actions))
    assert again.now().projected_end == pytest.approx(engine.now().projected_end, abs=1e-6)
    assert again.timeline().segments[VOTE].slot_s < seed_like.segments[VOTE].duration_s


def test_a_plan_moves_a_pitchs_countdown_with_its_slot(seed_like, clock):
    """A 4:30 pitch with a 5:00 limit given 3:30 counts down 4:00; the slot alone moves."""
    engine = _behind(seed_like, clock)
    engine.apply_plan({6: 210})
    engine.goto(6)
    assert engine.now().allowance_s == 240
    assert seed_like.segments[6].kind is Kind.PITCH


# -- the command table ---------------------------------------------------------------------


def test_the_planning_commands_journal_through_the_table_or_say_why_not(seed_like, clock):
    """land, plan and roll are rows of the one command table: they apply and journal, or
    refuse in words (a remote caller sees the reason, nothing is journaled)."""
    from runofshow.core.commands import execute

    engine = _behind(seed_like, clock)
    refused = execute(engine, "roll")
    assert not refused.applied and "no roll mode" in (refused.reason or "")
    bad = execute(engine, "plan", {"slots": "pitch-9=6m"})
    assert not bad.applied and "no segment 'pitch-9'" in (bad.reason or "")
    late = execute(engine, "land", {"at": "25:00"})
    assert not late.applied and "'25:00' is not a time of day" in (late.reason or "")
    assert engine.actions[-1].name == act.NEXT
    landed = execute(engine, "land", {"at": "16:02"})
    assert landed.applied and engine.actions[-1].name == act.PLAN
    assert engine.now().projected_end == pytest.approx(at("16:02:00"), abs=1)
    on_time = execute(engine, "land", {"at": "16:02"})
    assert not on_time.applied and on_time.reason == "the show is projected to end on time"
    cut_to = engine.slot(9)  # the landing plan cut it; +1m is from there
    assert cut_to < engine.agenda.segments[9].duration_s
    assert execute(engine, "plan", {"slots": "s9=+1m"}).applied
    assert engine.timeline().segments[9].slot_s == cut_to + 60
    assert engine.now().projected_end == pytest.approx(at("16:03:00"), abs=1)


def test_roll_toggles_through_the_table(clock):
    from runofshow.core.commands import BY_NAME, execute

    engine = ShowEngine(make_agenda(ROLL_ROWS, end="15:45"), clock)
    assert BY_NAME["roll"].checked(engine.now())
    assert execute(engine, "roll").applied and not engine.now().rolling
    again = execute(engine, "roll", {"on": "off"})
    assert not again.applied and again.reason == "already taken over"
    assert execute(engine, "roll", {"on": "on"}).applied and engine.now().rolling


def test_a_wall_clock_jump_moves_no_roll_start(rolling, clock):
    """NTP moves the wall clock +1:00 at 14:59:30: the opening still starts 30 s later (the
    clock that never jumps placed it), and the windows show that start at 15:01 on the new
    clock, a minute behind by it."""
    clock.advance(30)
    clock.jump_wall(60)
    rolling.poll()
    now = rolling.now()
    assert now.starts_at == pytest.approx(at("15:01:00"), abs=1e-6)
    assert now.starts_at - now.wall == pytest.approx(30)
    clock.advance(30)
    assert rolling.poll().status is Status.RUNNING


ROWS = st.tuples(st.integers(1, 900), st.booleans(), st.booleans())  # slot, pinned, rolls


@settings(max_examples=150, deadline=None)
@given(
    st.lists(ROWS, min_size=1, max_size=25),
    st.integers(0, 3600),
    st.integers(0, 30),
    st.booleans(),
)
def test_the_projected_end_is_the_end_of_the_projected_rows(rows, wait, steps, take_over):
    """However the pins fall (fixed starts, roll starts, taken over or not) and wherever the
    show is, ``now()``'s projected end (read off pins in O(log n)) is where the timeline's
    row-by-row projection ends."""
    planned, built = 15 * 3600, []
    for duration, pinned, rolls in rows:
        planned += duration
        fixed = planned + duration // 2 if pinned else None
        built.append(dict(title="x", duration_s=duration, fixed_start_s=fixed, roll=rolls))
    clock = FakeClock(wall=at("14:59:00"))
    engine = ShowEngine(make_agenda(built, end="23:00"), clock)
    if take_over and engine.rolls:
        engine.set_rolling(False)
    clock.advance(wait)
    for step in range(steps):
        clock.advance(37)
        [engine.start, engine.next, engine.pause, engine.next][step % 4]()
    assert engine.now().projected_end == pytest.approx(engine.timeline().projected_end, abs=1e-6)


def test_a_plan_that_changes_nothing_is_not_journaled(seed_like, clock):
    engine = _behind(seed_like, clock)
    assert engine.apply_plan({VOTE: 90})
    before = len(engine.actions)
    assert not engine.apply_plan({VOTE: 90})
    assert len(engine.actions) == before


@pytest.mark.parametrize("overrun", [240.4, 240.6, 64.6])
def test_a_plan_that_lands_within_the_second_is_on_target_not_a_second_late(
    seed_like, clock, overrun
):
    """The cuts are whole seconds and round up, so the plan ends a fraction of a second
    early: that is on target (the stage manager once read "ends 15:59:59, still 0:01 late")."""
    plan = landing_plan(_behind(seed_like, clock, overrun=overrun))
    assert plan.target - 1 < plan.ends_at <= plan.target
    assert plan.miss_s == 0
