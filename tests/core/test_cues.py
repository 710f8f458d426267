"""Cue standby, GO, acknowledgement and firing on a fake clock: the seed show's video at 15:30
with a 30-second standby, and a first segment with a cue before the show starts."""

from __future__ import annotations

import pytest
from show_builders import SEED_ROWS, at, make_agenda

from runofshow.core.agenda import Agenda, Cue, Kind
from runofshow.core.clock import FakeClock
from runofshow.core.commands import execute
from runofshow.core.cues import CueState, CueWatch, cue_status, seconds_until_change
from runofshow.core.engine import ShowEngine

VIDEO = 8  # the video segment of the seed show, planned 15:30-15:35 after the 15:28 vote
VIDEO_CUE = Cue(text="play 소상공인 피해 회복 지원 영상", standby_s=30, command=("true",))


def cued_rows(first_cue: Cue | None = None) -> list[dict]:
    rows = [dict(r) for r in SEED_ROWS]
    rows[VIDEO] = dict(rows[VIDEO], cue=VIDEO_CUE)
    if first_cue is not None:
        rows[0] = dict(rows[0], cue=first_cue)
    return rows


@pytest.fixture
def agenda() -> Agenda:
    """The seed show with the video cued 30 s ahead."""
    return make_agenda(cued_rows(), groups=[("Programme 1", 3, 8), ("Programme 2", 9, 13)])


def at_vote(agenda: Agenda, clock: FakeClock) -> ShowEngine:
    """An engine that ran to plan until the live vote started at 15:28:00."""
    engine = ShowEngine(agenda, clock)
    clock.advance(at("15:00:00") - clock.wall())
    engine.start()
    for seg in agenda.segments[:7]:
        clock.advance(seg.duration_s)
        engine.next()
    assert engine.now().index == 7 and clock.wall() == at("15:28:00")
    return engine


def test_no_cue_until_the_standby_lead_time(agenda: Agenda, clock: FakeClock) -> None:
    """With the vote's 2:00 countdown at 0:31 left, nothing is in standby yet, and the watch
    knows how long until standby begins."""
    engine = at_vote(agenda, clock)
    clock.advance(89)
    assert cue_status(engine) is None
    assert seconds_until_change(engine) == pytest.approx(1.0)


def test_standby_counts_down_to_the_projected_start(agenda: Agenda, clock: FakeClock) -> None:
    """At 15:29:30 the video goes to standby with 0:30, at 15:29:40 it has 0:20, each second's
    flip is announced, and at 15:30:00 (the vote's slot over, the vote still on stage) it
    holds at 0:00, still STANDBY: nothing rolls until the video's segment starts."""
    engine = at_vote(agenda, clock)
    clock.advance(90)
    status = cue_status(engine)
    assert status is not None
    assert (status.index, status.state, status.kind) == (VIDEO, CueState.STANDBY, Kind.VIDEO)
    assert status.until_go_s == pytest.approx(30)
    assert status.cue.text == VIDEO_CUE.text
    clock.advance(10.4)
    status = cue_status(engine)
    assert status is not None and status.until_go_s == pytest.approx(19.6)
    assert seconds_until_change(engine) == pytest.approx(0.6)
    clock.advance(19.6)
    status = cue_status(engine)
    assert status is not None and status.state is CueState.STANDBY and status.until_go_s == 0
    assert seconds_until_change(engine) is None  # held: only an action changes it now


def test_standby_holds_while_the_previous_segment_overruns_and_go_comes_with_the_video(
    agenda: Agenda, clock: FakeClock
) -> None:
    """The vote runs 20 s over: the cue holds at STANDBY 0:00 the whole time (GO would tell
    the video desk to roll while the vote is still going); when the video's segment starts
    it is GO, until the stage manager acknowledges it."""
    engine = at_vote(agenda, clock)
    clock.advance(140)
    status = cue_status(engine)
    assert status is not None and status.state is CueState.STANDBY and status.until_go_s == 0
    engine.next()
    status = cue_status(engine)
    assert status is not None and status.state is CueState.GO and status.index == VIDEO
    assert execute(engine, "acknowledge").applied
    assert cue_status(engine) is None


def test_the_stage_manager_gives_the_go(agenda: Agenda, clock: FakeClock) -> None:
    """In standby the stage manager gives the GO (G): the video's segment starts at once,
    the vote's time counted, and the banner says GO."""
    engine = at_vote(agenda, clock)
    assert not execute(engine, "go").applied  # nothing in standby yet
    clock.advance(100)
    outcome = execute(engine, "go")
    assert outcome.applied
    now = engine.now()
    assert now.index == VIDEO and now.status.value == "running"
    assert cue_status(engine).state is CueState.GO


def test_early_next_goes_straight_to_go(agenda: Agenda, clock: FakeClock) -> None:
    """The MC moves on in the middle of standby: the video's segment runs, so it is GO."""
    engine = at_vote(agenda, clock)
    clock.advance(100)
    engine.next()
    status = cue_status(engine)
    assert status is not None and status.state is CueState.GO


def test_pause_freezes_standby(agenda: Agenda, clock: FakeClock) -> None:
    """Paused in standby, the countdown to GO holds and no wake-up is scheduled for it."""
    engine = at_vote(agenda, clock)
    clock.advance(100)
    engine.pause()
    clock.advance(60)
    status = cue_status(engine)
    assert status is not None and status.until_go_s == pytest.approx(20)
    assert seconds_until_change(engine) is None


def test_acknowledged_go_disappears_and_rearms(agenda: Agenda, clock: FakeClock) -> None:
    """Acknowledging does nothing in standby; at GO it hides GO (the banner then shows the
    video on stage); going back to the vote and forward again brings a new GO."""
    engine = at_vote(agenda, clock)
    watch = CueWatch(engine.now())
    clock.advance(100)
    assert execute(engine, "acknowledge").applied is False
    clock.advance(25)
    engine.next()
    assert execute(engine, "acknowledge").applied is True
    assert watch.status(engine) is None
    engine.previous()
    standby = watch.status(engine)
    assert standby is not None and standby.state is CueState.STANDBY
    clock.advance(1)
    engine.next()
    go = watch.status(engine)
    assert go is not None and go.state is CueState.GO


def test_cue_fires_once_when_its_segment_starts(agenda: Agenda, clock: FakeClock) -> None:
    """The video's cue fires when the video starts, not again after a pause and resume, and
    again if the segment is left and started anew."""
    engine = at_vote(agenda, clock)
    watch = CueWatch(engine.now())
    assert watch.fired(engine) is None
    clock.advance(120)
    engine.next()
    fire = watch.fired(engine)
    assert fire is not None and fire.index == VIDEO and fire.cue.command == ("true",)
    engine.pause()
    assert watch.fired(engine) is None
    engine.resume()
    assert watch.fired(engine) is None
    engine.previous()
    assert watch.fired(engine) is None
    clock.advance(1)  # a second "next" at once would be a clicker bounce
    engine.next()
    assert watch.fired(engine) is not None


def test_restart_mid_segment_does_not_refire(agenda: Agenda, clock: FakeClock) -> None:
    """A watch built while the video is already running (the app restarted) stays quiet."""
    engine = at_vote(agenda, clock)
    clock.advance(120)
    engine.next()
    watch = CueWatch(engine.now())
    assert watch.fired(engine) is None


def test_first_segment_cue_counts_to_the_show_start(clock: FakeClock) -> None:
    """Before the show starts, a cue on the opening counts down to its planned 15:00 start,
    holds at 0:00 while nobody has pressed start, and is GO once the show runs."""
    walk_in = Cue(text="walk-in music out", standby_s=45)
    engine = ShowEngine(make_agenda(cued_rows(first_cue=walk_in)), clock)
    assert cue_status(engine) is None
    assert seconds_until_change(engine) == pytest.approx(15)
    clock.advance(15)
    status = cue_status(engine)
    assert status is not None and status.state is CueState.STANDBY and status.index == 0
    assert status.until_go_s == pytest.approx(45)
    clock.advance(50)
    status = cue_status(engine)
    assert status is not None and status.state is CueState.STANDBY and status.until_go_s == 0
    engine.start()
    status = cue_status(engine)
    assert status is not None and status.state is CueState.GO and status.index == 0


def test_no_cue_after_the_last_segment_or_when_ended(agenda: Agenda, clock: FakeClock) -> None:
    """On the last segment and after the show ends, nothing is cued."""
    engine = at_vote(agenda, clock)
    engine.goto(len(agenda.segments) - 1)
    assert cue_status(engine) is None
    engine.end_show()
    assert cue_status(engine) is None
    assert seconds_until_change(engine) is None
