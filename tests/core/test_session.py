"""Opening a show the way the app does: resumed after a restart, fresh on request, still
timing when its state cannot be saved, and its end recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from show_builders import SHOW_DAY, at

from runofshow.core.clock import FakeClock
from runofshow.core.engine import JournalRecovered, Status
from runofshow.core.journal import JournalUnavailable, ShowStore
from runofshow.core.loader import load_agenda
from runofshow.core.session import open_session
from runofshow.resources import default_agenda


@pytest.fixture
def seed():
    return load_agenda(default_agenda())


@pytest.fixture
def real() -> FakeClock:
    return FakeClock(wall=at("15:00:00"), mono=500.0)


def test_a_restarted_app_resumes_the_days_show_where_it_was(seed, real, tmp_path):
    """Quit mid-pitch, start again 30 s later: same segment, 30 s further on, and a notice."""
    first = open_session(seed, state_dir=tmp_path, real=real)
    first.engine.start()
    real.advance(10)
    first.engine.goto(3)
    real.advance(60)
    real.advance(30)
    second = open_session(seed, state_dir=tmp_path, real=real)
    now = second.engine.now()
    assert second.resumed
    assert (now.index, now.status) == (3, Status.RUNNING)
    assert now.elapsed_s == pytest.approx(90)
    assert any("Resumed the show at segment 4" in n for n in second.notices)


def test_a_fresh_show_is_an_explicit_choice(seed, real, tmp_path):
    """fresh=True starts again from the top even though a show is unfinished."""
    open_session(seed, state_dir=tmp_path, real=real).engine.start()
    real.advance(100)
    again = open_session(seed, state_dir=tmp_path, real=real, fresh=True)
    assert not again.resumed
    assert again.engine.now().status is Status.READY


def test_an_ended_show_is_recorded_and_not_resumed(seed, real, tmp_path):
    """After the end, the next start is a new show; an undone end reopens the record."""
    session = open_session(seed, state_dir=tmp_path, real=real)
    session.engine.start()
    real.advance(5)
    session.engine.end_show()
    assert session.store.show(session.show_id).ended
    session.engine.undo()
    assert not session.store.show(session.show_id).ended
    session.engine.end_show()
    assert not open_session(seed, state_dir=tmp_path, real=real).resumed


ROLL_SHOW = """\
event:
  title: Rolling
  date: {date}
  start: "15:00"
  end: "15:10"
  timezone: Asia/Seoul
  mode: roll
programme:
  - title: Doors
    duration: 5m
  - title: Film
    duration: 5m
"""


def test_a_roll_show_that_the_clock_ends_is_recorded_as_ended(real, tmp_path):
    """A roll show ends by itself at its last segment's end, with no key pressed: the store
    says it ended then (a relaunch used to resume it as unfinished and show it ended)."""
    path = tmp_path / "roll.yaml"
    path.write_text(ROLL_SHOW.format(date=SHOW_DAY.isoformat()), encoding="utf-8")
    agenda = load_agenda(path)
    session = open_session(agenda, state_dir=tmp_path / "state", real=real)
    real.advance(60)
    assert session.engine.poll().status is Status.RUNNING
    real.advance(10 * 60)
    assert session.engine.poll().status is Status.ENDED
    record = session.store.show(session.show_id)
    assert record.ended and record.ended_wall == pytest.approx(at("15:10:00"))
    assert not open_session(agenda, state_dir=tmp_path / "state", real=real).resumed


def test_a_resumed_roll_show_already_over_is_recorded_as_ended(real, tmp_path):
    """The app was closed before the clock ended the show: opened after its end, the show is
    resumed once (and shows ENDED), recorded as ended, and not resumed again."""
    path = tmp_path / "roll.yaml"
    path.write_text(ROLL_SHOW.format(date=SHOW_DAY.isoformat()), encoding="utf-8")
    agenda = load_agenda(path)
    first = open_session(agenda, state_dir=tmp_path / "state", real=real)
    first.engine.start()  # the MC pressed Space at the doors: an action in the journal
    real.advance(20 * 60)
    again = open_session(agenda, state_dir=tmp_path / "state", real=real)
    assert again.resumed and again.engine.status is Status.ENDED
    assert again.store.show(again.show_id).ended
    assert not open_session(agenda, state_dir=tmp_path / "state", real=real).resumed


def test_an_unwritable_state_folder_keeps_the_show_timing_and_says_where(seed, real, tmp_path):
    """A state folder that cannot exist (under a regular file): memory journal + notice."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    session = open_session(seed, state_dir=blocker / "state", real=real)
    assert session.store is None
    assert any("NOT SAVED" in n and str(blocker / "state") in n for n in session.notices)
    assert session.engine.start()
    real.advance(12)
    assert session.engine.now().elapsed_s == pytest.approx(12)


def test_a_rehearsal_resumes_on_its_own_simulated_clock(seed, real, tmp_path):
    """Rehearsing from 15:09:30 at 60x; after a crash, restarting without a time resumes the
    rehearsal where its simulated clock has got to, apart from any live show."""
    first = open_session(
        seed,
        state_dir=tmp_path,
        rehearse=True,
        rehearse_at=15 * 3600 + 9 * 60 + 30,
        speed=60,
        real=real,
    )
    first.engine.goto(3)
    first.engine.start()
    real.advance(2)  # two real seconds: two show minutes
    real.advance(1)
    again = open_session(seed, state_dir=tmp_path, rehearse=True, real=real)
    now = again.engine.now()
    assert again.resumed and now.mode == "rehearsal"
    assert now.elapsed_s == pytest.approx(180)
    assert again.engine.local_time(now.wall).strftime("%H:%M:%S") == "15:12:30"
    live = open_session(seed, state_dir=tmp_path, real=real)
    assert not live.resumed


def test_a_damaged_journal_is_set_aside_and_said(seed, real, tmp_path):
    """Garbage in the journal file: renamed aside, a notice, and a working new show."""
    (tmp_path / "journal.sqlite3").write_bytes(b"this is not a database" * 100)
    session = open_session(seed, state_dir=tmp_path, real=real)
    assert session.notices and "damaged" in " ".join(session.notices).lower()
    assert list(Path(tmp_path).glob("journal.sqlite3.damaged-*"))
    assert session.engine.start()


def test_a_restart_after_the_clock_was_set_back_a_day_resumes_and_says_so(seed, real, tmp_path):
    """Crash, then someone sets the date back a day before the app is started again (same
    boot): the show resumes where it was, and the operator is told the clock changed."""
    first = open_session(seed, state_dir=tmp_path, real=real)
    first.engine.start()
    real.advance(10)
    first.engine.goto(3)
    real.advance(60)
    real.jump_wall(-86400)
    second = open_session(seed, state_dir=tmp_path, real=real)
    assert second.resumed and second.engine.now().index == 3
    assert second.engine.now().elapsed_s == pytest.approx(60)
    assert any(n.key == "clock_jump" and "-24:00:00" in n for n in second.notices)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_read_only_state_folder_resumes_its_show_and_saves_again_when_it_can(
    seed, real, tmp_path, monkeypatch
):
    """The state folder holds the day's journal but cannot be written (a stick switched to
    read-only, a permissions mistake): here the store's writable open refuses as SQLite does
    there. Before, the app started a fresh show at segment 1 in memory. Now the show resumes
    from the journal, read, not written (the folder is left byte for byte), NOT SAVED is said;
    when writing works again the next action writes the backlog and JournalRecovered says the
    show is saved, and a later restart resumes every action."""
    first = open_session(seed, state_dir=tmp_path, real=real)
    first.engine.start()
    real.advance(10)
    first.engine.goto(3)
    real.advance(60)
    first.store.close()

    def refused(store: ShowStore):
        raise JournalUnavailable(f"cannot open the journal {store.path} for writing (readonly)")

    monkeypatch.setattr(ShowStore, "_connect", refused)
    real.advance(30)
    before = files_of(tmp_path)
    second = open_session(seed, state_dir=tmp_path, real=real)
    now = second.engine.now()
    assert second.resumed and (now.index, now.status) == (3, Status.RUNNING)
    assert now.elapsed_s == pytest.approx(90)
    assert [n.key for n in second.notices] == ["read_only", "resumed"]
    assert "NOT SAVED" in second.notices[0] and str(tmp_path) in second.notices[0]
    assert second.engine.journal_error is not None
    events: list = []
    second.engine.subscribe(events.append)
    real.advance(5)
    assert second.engine.add_time(60)
    assert files_of(tmp_path) == before
    monkeypatch.undo()
    real.advance(5)
    assert second.engine.next()
    assert [e for e in events if isinstance(e, JournalRecovered)] == [JournalRecovered(2)]
    assert second.engine.journal_error is None
    second.store.close()
    third = open_session(seed, state_dir=tmp_path, real=real)
    assert [a.name for a in third.engine.actions] == ["start", "goto", "add_time", "next"]
    assert third.engine.now().index == 4


def test_a_show_nobody_started_is_not_announced_as_resumed(seed_like, tmp_path):
    """Launched, closed without a key pressed, launched again: the same show (nothing to
    resume), and no "Resumed the show at segment 1 (last action -)" on screen."""
    clock = FakeClock(wall=at("14:00:00"), mono=100.0)
    first = open_session(seed_like, state_dir=tmp_path, real=clock)
    clock.advance(60)
    again = open_session(seed_like, state_dir=tmp_path, real=clock)
    assert again.show_id == first.show_id
    assert not any(notice.key.startswith("resumed") for notice in again.notices)
