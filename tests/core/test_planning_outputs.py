"""What the planning features look like where people read them: ``runofshow check`` (the
what-if, the gap before a fixed start, a tied pair, notes, a night past midnight) and the
report rebuilt from the journal (a roll show's starts, an applied plan, a pair, +1 days)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from show_builders import at

from runofshow.check_command import main
from runofshow.core.clock import FakeClock
from runofshow.core.engine import Status
from runofshow.core.journal import ShowStore
from runofshow.core.loader import load_agenda
from runofshow.core.planning import landing_plan
from runofshow.core.report import build_report, render_json, render_table
from runofshow.core.resume import open_show
from runofshow.core.session import open_session
from runofshow.exit_codes import EXIT_BAD_AGENDA, EXIT_OK, EXIT_USAGE

DEMO = """\
event:
  title: Demo
  date: 2022-11-30
  start: 15:00
  end: 16:00
  timezone: Asia/Seoul
programme:
  - group: Pitches
    kind: pitch
    segments:
      - id: pitch-1
        title: Acme
        duration: 5m
        then: qa-1
      - id: qa-1
        title: Q&A
        kind: qa
        duration: 3m
      - id: clip
        title: Sponsor clip
        kind: video
        duration: 30s
  - id: vote
    title: Vote
    duration: 5m
  - id: lunch
    title: Lunch
    at: 15:20
    duration: 40m
"""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(DEMO, encoding="utf-8")
    return path


def _check(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_check_shows_the_gap_before_a_fixed_start_a_pair_and_the_note(demo):
    code, text = _check(str(demo))
    assert code == EXIT_OK
    assert "OK: no errors, 1 warning" in text  # the gap; a note is not a warning
    assert "   · 6:30 free before the fixed start 15:20:00" in text
    assert "└ Q&A" in text and "└ Sponsor clip" not in text
    assert 'note: segment 3 "Sponsor clip" counts down only 0:30' in text


def test_check_shows_an_overlap_before_a_fixed_start(demo):
    demo.write_text(DEMO.replace("duration: 5m\n  - id: lunch", "duration: 12m\n  - id: lunch"))
    code, text = _check(str(demo))
    assert code == EXIT_OK
    assert "   · overlap: the segments before run 0:30 past 15:20:00" in text


def test_check_assume_prints_the_new_timeline_and_end(demo):
    """``--assume pitch-1=6m --assume vote=+1m``: the lunch's fixed start takes the slack,
    so the show still ends 16:00; with the vote 8 minutes longer, it is pushed to 16:01:30."""
    code, text = _check(str(demo), "--assume", "pitch-1=6m", "--assume", "vote=+1m")
    assert code == EXIT_OK
    assert "What if pitch-1 6:00 (+1:00), vote 6:00 (+1:00)" in text
    assert "ends 16:00:00 (on the planned 16:00:00)" in text
    code, text = _check(str(demo), "--assume", "vote=+8m")
    what_if = text.split("What if", 1)[1]
    assert "15:21:30  16:01:30   40:00  +1:30  Lunch" in what_if
    assert "ends 16:01:30 (1:30 later than the planned 16:00:00)" in what_if


@pytest.mark.parametrize(
    ("assume", "said"),
    [("pitch-9=6m", "no segment 'pitch-9'"), ("vote", "'vote' is not an assumption")],
)
def test_a_bad_assumption_is_a_usage_error_with_a_hint(demo, assume, said):
    code, text = _check(str(demo), "--assume", assume)
    assert code == EXIT_USAGE
    assert said in text and "hint:" in text and "Start" not in text


def test_a_bad_agenda_with_an_assumption_still_lists_its_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(DEMO.replace("then: qa-1", "then: qa-9"))
    code, text = _check(str(path), "--assume", "vote=6m")
    assert code == EXIT_BAD_AGENDA and "then: 'qa-9'" in text


NIGHT = """\
event:
  title: New Year's Eve
  date: 2022-12-31
  start: 22:00
  end: 1:00
  timezone: Asia/Seoul
programme:
  - title: Party
    duration: 2h
  - title: Fireworks
    at: 0:15
    duration: 30m
  - title: Last song
    duration: 15m
"""


def test_check_marks_times_on_the_next_day(tmp_path):
    path = tmp_path / "night.yaml"
    path.write_text(NIGHT)
    code, text = _check(str(path))
    assert code == EXIT_OK
    assert "2022-12-31  22:00:00–01:00:00 +1" in text
    assert "00:15:00 +1*  00:45:00 +1" in text
    assert "22:00:00–01:00:00 +1 (declared end 01:00:00 +1)" in text
    midnight = NIGHT.split("programme:")[0].replace("end: 1:00", "end: 24:00")
    path.write_text(midnight + "programme:\n  - title: Party\n    duration: 2h\n")
    code, text = _check(str(path), "--strict")
    assert code == EXIT_OK, text
    assert "22:00:00–24:00:00" in text and "22:00:00   24:00:00" in text


def test_a_night_show_reports_times_after_midnight_with_plus_one(tmp_path):
    """Run past midnight and reported: the table says 00:15:00 +1, JSON has the real date."""
    path = tmp_path / "night.yaml"
    path.write_text(NIGHT)
    agenda = load_agenda(path)
    clock = FakeClock(wall=at("21:59:00", agenda.event.date), mono=100.0)
    with ShowStore(tmp_path / "state") as store:
        session = open_session(agenda, state_dir=tmp_path / "state", real=clock)
        engine = session.engine
        clock.advance(60)
        engine.start()
        for seconds in (2 * 3600 + 900, 1800, 900):
            clock.advance(seconds)
            engine.next()
        record = store.shows()[-1]
        report = build_report(agenda, record, store.journal(record.id).actions())
    table = render_table(report)
    assert "00:15:00 +1" in table and "Actual:  22:00:00 - 01:00:00 +1 (on time)" in table
    assert '"actual_end": "2023-01-01T01:00:00+09:00"' in render_json(report)
    assert report.show_date.isoformat() == "2022-12-31"


def test_a_night_show_opened_after_midnight_is_the_evening_before(tmp_path):
    """At 00:30 during the 22:00-01:00 night, a new show is filed under the 31st, so its
    planned times are tonight's, not tomorrow night's."""
    path = tmp_path / "night.yaml"
    path.write_text(NIGHT)
    agenda = load_agenda(path)
    clock = FakeClock(wall=at("00:30:00", agenda.event.date.replace(year=2023, month=1, day=1)))
    session = open_session(agenda, state_dir=tmp_path / "state", real=clock)
    now = session.engine.now()
    assert session.engine.show_date.isoformat() == "2022-12-31"
    assert session.engine.local_time(now.planned_end).strftime("%d %H:%M") == "01 01:00"


ROLL = DEMO.replace("  timezone: Asia/Seoul\n", "  timezone: Asia/Seoul\n  mode: roll\n")


def test_a_roll_show_with_no_key_pressed_is_reported_and_resumed_from_its_record(tmp_path):
    """Opened at 14:58, nobody touches a key: at 15:07 a restart resumes it at the Q&A, and
    the report (from an empty journal and the show's record) has every roll start."""
    path = tmp_path / "roll.yaml"
    path.write_text(ROLL)
    agenda = load_agenda(path)
    clock = FakeClock(wall=at("14:58:00"), mono=100.0)
    state = tmp_path / "state"
    first = open_session(agenda, state_dir=state, real=clock)
    assert first.engine.now().starts_at == at("15:00:00")
    clock.advance(9 * 60)
    again = open_session(agenda, state_dir=state, real=clock)
    assert again.resumed and again.engine.actions == []
    now = again.engine.now()
    assert (now.index, now.elapsed_s) == (1, pytest.approx(120))
    with ShowStore(state) as store:
        record = store.shows()[-1]
        report = build_report(agenda, record, [], now_wall=at("15:30:00"))
    starts = [s.actual_start.strftime("%H:%M:%S") for s in report.segments if s.actual_start]
    assert starts == ["15:00:00", "15:05:00", "15:08:00", "15:08:30", "15:20:00"]
    assert report.segments[1].tied_to == 0
    assert "└ Q&A" in render_table(report)


def test_an_applied_plan_is_in_the_report(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(DEMO.replace("    at: 15:20\n", ""))
    agenda = load_agenda(path)
    clock = FakeClock(wall=at("15:00:00"), mono=100.0)
    with ShowStore(tmp_path / "state") as store:
        opened = open_show(store, agenda, clock)
        from runofshow.core.engine import ShowEngine

        engine = ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)
        engine.start()
        clock.advance(300 + 120)  # the pitch runs 2 minutes over
        engine.next()
        engine.apply_plan(landing_plan(engine).slots)
        actions = store.journal(opened.record.id).actions()
        report = build_report(agenda, opened.record, actions, now_wall=clock.wall())
    vote = report.segments[3]
    assert vote.planned_slot_s is not None and vote.planned_slot_s < 300
    assert "5:00→" in render_table(report)
    assert report.projected_end == report.planned_end  # landed on the planned end


def test_a_roll_rehearsal_rolls_on_its_own_simulated_clock(tmp_path):
    """Rehearsed from 14:59:30 at 10x: 3 real seconds later the first segment has run for
    0:00 and rolls at 15:00 simulated; resumed, the rehearsal folds to the same place."""
    path = tmp_path / "roll.yaml"
    path.write_text(ROLL)
    agenda = load_agenda(path)
    real = FakeClock(wall=1_000_000.0, mono=50.0)
    state = tmp_path / "state"
    session = open_session(agenda, state_dir=state, rehearse=True,
                           rehearse_at=14 * 3600 + 59 * 60 + 30, speed=10, real=real)  # fmt: skip
    engine = session.engine
    assert engine.now().starts_at == pytest.approx(at("15:00:00"), abs=1e-6)
    real.advance(3)
    now = engine.now()
    assert (now.status, now.index, now.elapsed_s) == (Status.RUNNING, 0, pytest.approx(0))
    real.advance(33)  # 5:30 simulated into the show: the Q&A runs 0:30
    again = open_session(agenda, state_dir=state, rehearse=True, real=real).engine.now()
    assert (again.index, again.elapsed_s) == (1, pytest.approx(30))


def test_a_roll_agenda_reloaded_mid_show_resumes_from_the_journal_on_disk(tmp_path):
    """An edit reloaded into a running roll show is journaled without its in-memory roll
    times (not JSON); a restart on the edited file folds to the same segment and time."""
    path = tmp_path / "roll.yaml"
    path.write_text(ROLL)
    agenda = load_agenda(path)
    clock = FakeClock(wall=at("14:59:00"), mono=100.0)
    state = tmp_path / "state"
    engine = open_session(agenda, state_dir=state, real=clock).engine
    clock.advance(60 + 320)  # the Q&A (tied to the pitch) has run 0:20
    path.write_text(ROLL.replace("title: Vote", "title: Audience vote"))
    edited = load_agenda(path)
    assert engine.replace_agenda(edited)
    before = engine.now()
    clock.advance(5)
    resumed = open_session(edited, state_dir=state, real=clock).engine.now()
    assert (resumed.index, resumed.status) == (before.index, Status.RUNNING)
    assert resumed.elapsed_s == pytest.approx(before.elapsed_s + 5)
