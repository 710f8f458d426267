"""Show-day torture of the core: a journal that fails and recovers, a disk that fills up under
SQLite, wall-clock jumps mid-segment and a laptop suspended for ten minutes.

The fake clock drives everything; nothing sleeps. The same cases on the real process are in
tests/qt/test_torture_process.py.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from subprocess import PIPE

import pytest
import unprivileged
from show_builders import SEED_ROWS, at, make_agenda

from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda
from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.engine import (
    ClockJumped,
    JournalFailed,
    JournalRecovered,
    ShowEngine,
    StateChanged,
    Status,
)
from runofshow.core.journal import ShowStore, SqliteJournal
from runofshow.core.resume import open_show


@pytest.fixture
def seed() -> Agenda:
    return make_agenda([dict(r) for r in SEED_ROWS])


class FlakyJournal:
    """A journal whose disk refuses writes while ``down`` is set, then works again."""

    def __init__(self, inner: SqliteJournal) -> None:
        self.inner = inner
        self.down = False

    def append(self, action: Action) -> None:
        if self.down:
            raise OSError(5, "Input/output error", str(self.inner.store.path))
        self.inner.append(action)

    def actions(self) -> list[Action]:
        return self.inner.actions()


def on_store(store: ShowStore, agenda: Agenda, clock: FakeClock) -> tuple[ShowEngine, int]:
    opened = open_show(store, agenda, clock)
    engine = ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)
    return engine, opened.record.id


def seen(engine: ShowEngine) -> tuple:
    now = engine.now()
    return (now.status, now.index, round(now.remaining_s, 6), round(now.elapsed_s, 6))


def test_actions_refused_while_the_disk_is_down_are_written_in_order_when_it_is_back(
    tmp_path, seed
):
    """A "next" and an "add time" fail to save, then the disk recovers: at the next action
    the backlog goes first, so the journal never has a hole and a restart resumes exactly
    (before the fix, the journal skipped them and a crash resumed in the wrong segment)."""
    clock = FakeClock(wall=at("15:00:00"), mono=10_000.0)
    store = ShowStore(tmp_path / "state")
    opened = open_show(store, seed, clock)
    flaky = FlakyJournal(opened.journal)
    engine = ShowEngine(seed, clock, flaky, show_date=opened.record.show_date)
    events: list = []
    engine.subscribe(events.append)
    assert engine.start()
    clock.advance(60)
    flaky.down = True
    assert engine.next() and engine.add_time(60)
    assert [e for e in events if isinstance(e, JournalFailed)]
    clock.advance(30)
    flaky.down = False
    assert engine.pause()
    assert [a.name for a in opened.journal.actions()] == ["start", "next", "add_time", "pause"]
    clock.advance(100)
    restarted = ShowEngine(seed, clock, store.journal(opened.record.id))
    assert seen(restarted) == seen(engine)
    assert engine.now().index == 1 and engine.now().remaining_s == pytest.approx(180 + 60 - 30)


def test_a_full_disk_under_sqlite_keeps_the_show_timing_and_names_the_file(tmp_path, seed):
    """SQLite's own "database or disk is full" (the file capped at its current pages): every
    action still applies in memory, JournalFailed names the journal file once; when space
    returns the journal catches up and a restart resumes where the show is."""
    clock = FakeClock(wall=at("15:00:00"), mono=10_000.0)
    store = ShowStore(tmp_path / "state")
    engine, show_id = on_store(store, seed, clock)
    events: list = []
    engine.subscribe(events.append)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    assert engine.start()
    for _ in range(200):  # fills the last pages, then fails
        clock.advance(1)
        assert engine.add_time(1)
    failed = [e for e in events if isinstance(e, JournalFailed)]
    assert len(failed) == 1
    assert "full" in failed[0].reason and str(store.path) in failed[0].reason
    assert engine.now().allowance_s == pytest.approx(300 + 200)
    assert engine.now().elapsed_s == pytest.approx(200)
    store._conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    clock.advance(1)
    assert engine.next()
    assert len(store.journal(show_id).actions()) == 202
    assert seen(ShowEngine(seed, clock, store.journal(show_id))) == seen(engine)


def test_the_wall_clock_jumping_mid_segment_does_not_move_the_countdown(seed):
    """+1 h, then -10 min, mid-segment: remaining and elapsed stay on the monotonic clock;
    each jump is announced once; time of day and drift follow the new wall clock."""
    clock = FakeClock(wall=at("14:59:00"), mono=10_000.0)
    engine = ShowEngine(seed, clock)
    jumps: list[float] = []
    engine.subscribe(lambda e: jumps.append(e.delta_s) if isinstance(e, ClockJumped) else None)
    clock.advance(60)
    engine.start()
    clock.advance(100)
    before = engine.poll()
    for delta in (3600.0, -600.0):
        clock.jump_wall(delta)
        now = engine.poll()
        assert now.remaining_s == before.remaining_s and now.elapsed_s == before.elapsed_s
        assert now.wall == pytest.approx(before.wall + delta)
        assert now.drift_s == pytest.approx(before.drift_s + delta)
        assert engine.poll().remaining_s == before.remaining_s  # announced once, not again
        before = now
    assert jumps == [3600.0, -600.0]
    clock.advance(50)
    assert engine.now().remaining_s == pytest.approx(300 - 150)
    assert engine.now().wall == pytest.approx(at("15:02:30") + 3000)


def test_a_ten_minute_suspend_counts_as_ten_minutes(seed):
    """The laptop sleeps ten minutes mid-segment (CLOCK_BOOTTIME counts the sleep): the
    countdown has run ten minutes on, into overtime, and no clock jump is reported."""
    clock = FakeClock(wall=at("15:00:00"), mono=10_000.0)
    engine = ShowEngine(seed, clock)
    events: list = []
    engine.subscribe(events.append)
    engine.start()
    clock.advance(120)
    engine.poll()
    clock.suspend(600)
    now = engine.poll()
    assert now.elapsed_s == pytest.approx(720)
    assert now.remaining_s == pytest.approx(300 - 720) and now.overtime_s == pytest.approx(420)
    assert not [e for e in events if isinstance(e, ClockJumped)]


def test_a_suspended_rehearsal_counts_the_sleep_at_its_speed(seed):
    """A rehearsal at 10x asleep for ten real minutes has run 100 simulated minutes: the
    show ended segments ago on a clock that counts the sleep, with the wall clock ignored."""
    real = FakeClock(wall=at("09:00:00"), mono=500.0)
    clock = RehearsalClock.starting_at(real, at("14:59:00"), speed=10)
    engine = ShowEngine(seed, clock, mode="rehearsal")
    real.advance(6)  # one simulated minute: 15:00
    engine.start()
    real.jump_wall(-7200)  # the real wall clock does not matter to a rehearsal
    real.suspend(600)
    now = engine.poll()
    assert now.status is Status.RUNNING and now.elapsed_s == pytest.approx(6000)


def test_an_unwritable_state_folder_is_memory_only_with_the_folder_named(tmp_path, seed):
    """A state folder that cannot exist (a regular file is in its path; tests run as root, so
    permissions would not stop a write): the session times in memory and names the folder."""
    from runofshow.core.session import open_session

    blocker = tmp_path / "usb-stick"
    blocker.write_text("a file, not a folder")
    session = open_session(seed, state_dir=blocker / "state", real=FakeClock(wall=at("15:00")))
    assert session.store is None
    assert any("NOT SAVED" in n and str(blocker / "state") in n for n in session.notices)
    assert session.engine.start()
    assert session.engine.journal_error is not None


def test_the_journal_keeps_its_order_across_an_append_that_fails_every_time(tmp_path, seed):
    """A disk that never comes back: the backlog grows in memory, the show keeps every
    action, and the store holds exactly the actions written before it died."""
    clock = FakeClock(wall=at("15:00:00"), mono=10_000.0)
    store = ShowStore(Path(tmp_path) / "state")
    opened = open_show(store, seed, clock)
    flaky = FlakyJournal(opened.journal)
    engine = ShowEngine(seed, clock, flaky, show_date=opened.record.show_date)
    engine.start()
    flaky.down = True
    for _ in range(50):
        clock.advance(1)
        engine.add_time(10)
    assert [a.name for a in opened.journal.actions()] == ["start"]
    assert len(engine.actions) == 51
    assert engine.now().allowance_s == pytest.approx(300 + 500)


def test_a_journal_that_accepts_the_backlog_again_says_the_show_is_saved(tmp_path, seed):
    """The disk refuses two actions (NOT SAVED goes up), then comes back: the next action
    writes the backlog in order and the engine says JournalRecovered once, with the count,
    and forgets the error, so the shell can take NOT SAVED off the screen. A later failure
    is announced again."""
    clock = FakeClock(wall=at("15:00:00"), mono=10_000.0)
    store = ShowStore(tmp_path / "state")
    opened = open_show(store, seed, clock)
    flaky = FlakyJournal(opened.journal)
    engine = ShowEngine(seed, clock, flaky, show_date=opened.record.show_date)
    events: list = []
    engine.subscribe(lambda e: events.append(e) if not isinstance(e, StateChanged) else None)
    engine.start()
    flaky.down = True
    clock.advance(10)
    assert engine.next() and engine.add_time(30)
    assert engine.journal_error is not None
    flaky.down = False
    clock.advance(5)
    assert engine.pause()
    kinds = [type(e) for e in events if isinstance(e, JournalFailed | JournalRecovered)]
    assert kinds == [JournalFailed, JournalRecovered]
    assert [e.written for e in events if isinstance(e, JournalRecovered)] == [3]
    assert engine.journal_error is None
    assert [a.name for a in opened.journal.actions()] == ["start", "next", "add_time", "pause"]
    flaky.down = True
    engine.resume()
    assert [type(e) for e in events if isinstance(e, JournalFailed)] == [JournalFailed] * 2


# -- a read-only state folder, for real ------------------------------------------------------
# The app's side runs in a child process that is unprivileged even when the tests run as root
# (unprivileged.py), so the folder's permissions apply to it exactly as to an operator.
APP_SIDE = unprivileged.script(
    """
from runofshow.core import journal, resume
from runofshow.core.clock import FakeClock
from runofshow.core.engine import JournalRecovered
from runofshow.core.loader import load_agenda
from runofshow.core.session import open_session
import json
state, agenda_path, wall, mono = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
agenda = load_agenda(agenda_path)
""",
    """
clock = FakeClock(wall=wall, mono=mono, boot_id="boot-read-only")
session = open_session(agenda, state_dir=state, real=clock)
events = []
session.engine.subscribe(events.append)
now = session.engine.now()
def say(**values):
    print(json.dumps(values), flush=True)
say(resumed=session.resumed, index=now.index, elapsed=now.elapsed_s,
    notices=[n.key for n in session.notices], error=session.engine.journal_error)
clock.advance(5)
session.engine.add_time(60)
say(error=session.engine.journal_error)
sys.stdin.readline()  # the test makes the folder writable again
clock.advance(5)
session.engine.next()
say(error=session.engine.journal_error,
    recovered=[e.written for e in events if isinstance(e, JournalRecovered)])
""",
)

SHOW_BEFORE = """
import os, sys
from runofshow.core.clock import FakeClock
from runofshow.core.loader import load_agenda
from runofshow.core.session import open_session
state, agenda_path, wall, ending = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
clock = FakeClock(wall=wall, mono=500.0, boot_id="boot-read-only")
session = open_session(load_agenda(agenda_path), state_dir=state, real=clock)
session.engine.start()
clock.advance(10)
session.engine.goto(3)
if ending == "close":  # the app closes its journal (its WAL is folded into the database)
    session.store.close()
os._exit(0)  # or it is killed: the last actions are only in the WAL
"""


@pytest.mark.parametrize("ending", ["crash", "close"])
def test_a_real_read_only_folder_resumes_its_show_and_saves_when_writable(ending):
    """A show crashes (its last actions only in the WAL) or its journal is closed; the state
    folder is then made read-only (0555, files 0444). Before, the app started a fresh show in
    memory (closed journal), or resumed without a word until the first action failed (WAL).
    Now it resumes pitch 1 with the time that passed, says NOT SAVED, leaves every byte of the
    folder as it was; once the folder is writable again, the next action writes the backlog
    and the journal holds every action in order."""
    from runofshow.resources import default_agenda

    base = Path(tempfile.mkdtemp(prefix="runofshow-read-only-"))
    base.chmod(0o755)  # the unprivileged child must reach it
    state = base / "state"
    agenda = base / "agenda.yaml"
    shutil.copy(default_agenda(), agenda)
    agenda.chmod(0o644)
    start = at("15:00:00")
    try:
        crash = unprivileged.run(SHOW_BEFORE, [str(state), str(agenda), str(start), ending])
        wal = state / "journal.sqlite3-wal"
        assert crash.returncode == 0 and wal.exists() == (ending == "crash")
        unprivileged.chmod_tree(state, 0o555, 0o444)
        before = {p.name: p.read_bytes() for p in state.iterdir()}
        args = [str(state), str(agenda), str(start + 100), "600"]
        app = unprivileged.popen(APP_SIDE, args, stdin=PIPE, stdout=PIPE, text=True)
        try:
            first = json.loads(app.stdout.readline())
            assert first["resumed"] and first["index"] == 3
            assert first["elapsed"] == pytest.approx(90)
            assert first["notices"] == ["read_only", "resumed"] and first["error"]
            assert json.loads(app.stdout.readline())["error"]
            assert {p.name: p.read_bytes() for p in state.iterdir()} == before
            unprivileged.chmod_tree(state, 0o777, 0o666)
            app.stdin.write("writable\n")
            app.stdin.flush()
            last = json.loads(app.stdout.readline())
            assert last == {"error": None, "recovered": [2]}
        finally:
            app.stdin.close()
            app.wait(timeout=30)
            app.stdout.close()
        with ShowStore(state, read_only=True) as store:
            assert [a.name for a in store.journal(1).actions()] == [
                "start",
                "goto",
                "add_time",
                "next",
            ]
    finally:
        if state.exists():
            unprivileged.chmod_tree(state, 0o755, 0o644)
        shutil.rmtree(base)
