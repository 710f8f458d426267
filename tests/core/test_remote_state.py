"""The state document the network serves (``/api/state``, the WebSocket feed, the browser
views, OSC out): one definition from the engine, carrying instants so that a remote screen
can count by itself and still agree with the MC's window at any later moment."""

from __future__ import annotations

import json

import pytest
from show_builders import SEED_ROWS, make_agenda

from runofshow.core.agenda import Cue
from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.engine import ShowEngine
from runofshow.core.remote_state import (
    countdown_seconds_left,
    projected_end,
    projected_starts,
    state_document,
    state_key,
)


def cued_agenda():
    rows = [dict(r) for r in SEED_ROWS]
    rows[8]["cue"] = Cue("play the video", standby_s=30, command=("mpv", "secret.mp4"))
    rows[8]["notes"] = "crew only: the clip is on the desktop"
    rows[10]["fixed_start_s"] = 15 * 3600 + 40 * 60
    return make_agenda(rows, groups=[("Programme 1", 3, 8), ("Programme 2", 9, 13)])


@pytest.fixture
def engine(clock):
    return ShowEngine(cued_agenda(), clock)


def test_the_document_is_plain_json_and_keeps_private_things_out(engine):
    """Served to any browser on the LAN: no cue command, no notes, no file path."""
    text = json.dumps(state_document(engine), allow_nan=False)
    assert "secret.mp4" not in text and "mpv" not in text and "crew only" not in text
    assert "test.yaml" not in text
    assert "play the video" in text  # the cue's words are for the stage manager's tablet


@pytest.mark.parametrize("later", [0.3, 1.0, 59.999, 61.5, 300.2, 400.0])
def test_the_countdowns_instant_gives_the_engines_remaining_time_at_any_later_moment(
    engine, clock, later
):
    """A client that got the document once computes the remaining time the engine would say
    at any later instant, into overtime: no second document needed."""
    engine.start()
    clock.advance(12.25)
    doc = state_document(engine)
    server = doc["clock"]["server"]
    clock.advance(later)
    assert countdown_seconds_left(doc, server + later) == pytest.approx(
        engine.now().remaining_s, abs=1e-9
    )


def test_phase_instants_are_where_the_engine_changes_phase(engine, clock):
    engine.start()
    doc = state_document(engine)
    countdown, server = doc["countdown"], doc["clock"]["server"]
    clock.advance(countdown["wrapup_at"] - server - 1e-6)
    assert engine.now().phase == "normal"
    clock.advance(2e-6)
    assert engine.now().phase == "wrapup"
    clock.advance(countdown["danger_at"] - countdown["wrapup_at"])
    assert engine.now().phase == "danger"


def test_a_rehearsal_at_20x_maps_server_seconds_to_show_seconds():
    real = FakeClock(wall=1_669_787_000.0, mono=500.0)
    clock = RehearsalClock.starting_at(real, sim_wall=1_669_788_000.0, speed=20)
    engine = ShowEngine(cued_agenda(), clock, mode="rehearsal")
    engine.start()
    doc = state_document(engine)
    assert doc["clock"]["server"] == real.monotonic() and doc["clock"]["speed"] == 20
    real.advance(3)  # 60 show seconds
    assert countdown_seconds_left(doc, real.monotonic()) == pytest.approx(engine.now().remaining_s)
    assert engine.now().remaining_s == pytest.approx(300 - 60)


def walk_matches_timeline(engine, doc):
    wall = engine.now().wall
    rows = engine.timeline().segments
    assert projected_starts(doc, wall) == pytest.approx([r.projected_start for r in rows])
    assert projected_end(doc, wall) == pytest.approx(engine.timeline().projected_end)


@pytest.mark.parametrize("state", ["ready", "running", "overtime", "paused", "ended"])
def test_projected_times_follow_from_the_document_as_time_passes(engine, clock, state):
    """The views project every later row from one document (running, in overtime, paused,
    before the start, after the end) exactly as the engine's timeline would, a fixed start
    included, however long after the document they look."""
    if state != "ready":
        engine.start()
        clock.advance(30)
    if state == "overtime":
        clock.advance(400)
    if state == "paused":
        engine.pause()
    if state == "ended":
        engine.end_show()
    doc = state_document(engine)
    for step in (0.0, 7.5, 120.0, 1800.0):
        clock.advance(step)
        walk_matches_timeline(engine, doc)


def test_the_cue_says_when_standby_begins_and_holds_until_its_segment_starts(engine, clock):
    """As the stage manager's window: STANDBY counts down to the video's projected start (the
    vote's slot end), holds at 0:00 while the vote runs over, and GO comes when the video
    starts; the acknowledgement takes it away."""
    engine.start()
    engine.goto(7)  # the live vote (2:00), before the cued video
    doc = state_document(engine)
    cue, server = doc["cue"], doc["clock"]["server"]
    assert cue["number"] == 9 and cue["state"] is None and cue["text"] == "play the video"
    assert cue["standby_at"] - server == pytest.approx(120 - 30)
    assert cue["go_at"] - server == pytest.approx(120)
    clock.advance(91)
    doc = state_document(engine)
    assert doc["cue"]["state"] == "standby"
    clock.advance(45)  # the vote runs 16 s over: still STANDBY, at 0:00, nothing counting
    cue = state_document(engine)["cue"]
    assert (cue["state"], cue["until_go_s"], cue["go_at"]) == ("standby", 0.0, None)
    engine.next()  # the video starts: GO
    cue = state_document(engine)["cue"]
    assert (cue["state"], cue["number"], cue["go_at"]) == ("go", 9, None)
    engine.acknowledge(8)
    assert state_document(engine)["cue"] is None


def test_a_roll_show_waiting_between_segments_says_when_the_next_starts(clock):
    """Roll mode: the opening ends at 15:10 by itself and the show waits for the keynote's
    15:30; the document says the server instant it starts, the push key changed when the
    show began waiting, and the projected starts walk as the engine's."""
    rows = [
        dict(title="Opening", duration_s=600, roll=True),
        dict(title="Keynote", duration_s=600, fixed_start_s=15 * 3600 + 30 * 60, roll=True),
    ]
    engine = ShowEngine(make_agenda(rows, end="15:45"), clock)  # opened at 14:59
    doc = state_document(engine)
    assert doc["show"]["status"] == "ready"
    assert doc["show"]["starts_at"] - doc["clock"]["server"] == pytest.approx(60)
    clock.advance(60 + 300)  # 15:05: the opening runs
    running_key = state_key(engine, engine.poll())
    clock.advance(300 + 125)  # 15:12:05
    now = engine.poll()
    doc = state_document(engine, now)
    assert (doc["show"]["status"], doc["current"]["title"]) == ("waiting", "Keynote")
    assert doc["show"]["starts_at"] - doc["clock"]["server"] == pytest.approx(1075)
    assert state_key(engine, now) != running_key
    walk_matches_timeline(engine, doc)
    clock.advance(1075)
    doc = state_document(engine, engine.poll())
    assert (doc["show"]["status"], doc["show"]["starts_at"]) == ("running", None)


def test_the_push_key_changes_on_state_not_on_every_second(engine, clock):
    """The feed pushes when the state key changes: an action, a phase, a cue, a message.
    Seconds passing within a phase change nothing."""
    engine.start()
    first = state_key(engine, engine.now())
    clock.advance(100)
    assert state_key(engine, engine.now()) == first
    clock.advance(150)  # 250 s into 5:00: wrap-up
    wrapup = state_key(engine, engine.now())
    assert wrapup != first
    engine.send_message("Mic check")
    assert state_key(engine, engine.now()) != wrapup
