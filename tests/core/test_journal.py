"""The SQLite journal: what the engine writes must come back exactly, survive crashes, suspends,
reboots and clock jumps, and a damaged or unwritable file must never stop the show."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from show_builders import at, engine_on, start_at_three

from runofshow.core.actions import Action
from runofshow.core.engine import JournalFailed, ShowEngine, Status
from runofshow.core.journal import (
    DB_NAME,
    ENV_STATE_DIR,
    JournalDamaged,
    JournalUnavailable,
    JournalWriteError,
    ShowStore,
    StateDirIsAFile,
    state_dir,
)

SHOW_DAY = dt.date(2022, 11, 30)


def snapshot(engine: ShowEngine) -> tuple:
    """What the operator sees, reduced to comparable values."""
    now = engine.now()
    rows = [
        (r.actual_start, r.actual_end, r.elapsed_s, r.added_s, r.pauses, r.over_limit_s)
        for r in engine.timeline().segments
    ]
    return (now.status, now.index, now.remaining_s, now.projected_end, rows)


def test_actions_round_trip_with_every_field(store, seed_like):
    """Each field of an action comes back as written; the in-memory agenda of a reload is
    left out, the rest kept."""
    record = store.new_show(seed_like, SHOW_DAY)
    journal = store.journal(record.id)
    written = [
        Action(1, "start", 10.5, at("15:00:00"), 123.25, "boot-a", {}),
        Action(2, "add_time", 70.0, at("15:01:00"), 183.0, "boot-a", {"seconds": -30.0}),
        Action(3, "reload", 90.0, at("15:01:20"), 203.0, "boot-b", {"map": [0, -1, 1]}),
    ]
    for action in written:
        journal.append(action)
    journal.append(Action(4, "reload", 95.0, 1.0, 2.0, "b", {"map": [0], "agenda": seed_like}))
    got = journal.actions()
    assert got[:3] == written
    assert got[3].args == {"map": [0]}


def test_shows_are_kept_apart_by_show_id(store, seed_like):
    """Two shows in one database never see each other's actions."""
    first = store.journal(store.new_show(seed_like, SHOW_DAY).id)
    second = store.journal(store.new_show(seed_like, SHOW_DAY).id)
    first.append(Action(1, "start", 1.0, 1.0, 1.0, "b"))
    assert second.actions() == []
    assert [a.name for a in first.actions()] == ["start"]


def test_a_new_engine_on_the_same_database_rebuilds_the_same_state(store, seed_like, clock):
    """Replay equality: after many actions, a second engine reading the database agrees with
    the first at this instant and later ones."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    for step in (290, 190, 130, 320, 310):
        clock.advance(step)
        assert engine.next()
    engine.add_time(30)
    clock.advance(20)
    engine.pause()
    clock.advance(15)
    engine.resume()
    clock.advance(5)
    engine.next()
    engine.undo()
    replayed = ShowEngine(seed_like, clock, store.journal(1), show_date=SHOW_DAY)
    assert snapshot(replayed) == snapshot(engine)
    clock.advance(400)
    assert snapshot(replayed) == snapshot(engine)


def test_resume_after_a_crash_takes_off_exactly_the_gap(store, seed_like, clock):
    """The app dies 100 s into Pitch 1 and comes back 42 s later: same segment, 42 s less."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    for _ in range(3):
        clock.advance(engine.now().segment.duration_s)
        engine.next()
    clock.advance(100)
    before = engine.now()
    del engine
    clock.advance(42)
    engine = engine_on(store, seed_like, clock)
    after = engine.now()
    assert (after.index, after.status) == (before.index, Status.RUNNING)
    assert after.remaining_s == pytest.approx(before.remaining_s - 42)


def test_resume_after_a_suspend_counts_the_sleep(store, seed_like, clock):
    """A laptop asleep for 10 minutes mid-segment: boot time kept counting, so does the show."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    clock.advance(60)
    remaining = engine.now().remaining_s
    clock.suspend(600)
    engine = engine_on(store, seed_like, clock)
    assert engine.now().remaining_s == pytest.approx(remaining - 600)


def test_resume_after_a_reboot_falls_back_to_the_wall_clock(store, seed_like, clock):
    """After a reboot the monotonic clock restarts; the gap is measured on the wall clock."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    clock.advance(100)
    remaining = engine.now().remaining_s
    clock.advance(90)  # the machine goes down and takes 90 s to come back
    clock.reboot("boot-2", mono=12.0)
    engine = engine_on(store, seed_like, clock)
    assert engine.now().index == 0
    assert engine.now().remaining_s == pytest.approx(remaining - 90)


def test_a_wall_clock_jump_while_down_does_not_move_the_countdown(store, seed_like, clock):
    """NTP moves the wall clock an hour while the app is down: same boot, so the countdown
    is measured on the monotonic clock and does not move."""
    engine = engine_on(store, seed_like, clock)
    start_at_three(engine, clock)
    clock.advance(100)
    remaining = engine.now().remaining_s
    clock.jump_wall(-3600)
    engine = ShowEngine(seed_like, clock, store.journal(1), show_date=SHOW_DAY)
    assert engine.now().remaining_s == pytest.approx(remaining)


def test_a_damaged_database_is_set_aside_and_a_fresh_one_started(tmp_path):
    """Garbage bytes in the journal: it is renamed (never deleted), the notice says where,
    and the new journal works."""
    folder = tmp_path / "state"
    folder.mkdir()
    garbage = b"this is not sqlite " * 500
    (folder / DB_NAME).write_bytes(garbage)
    with ShowStore(folder) as store:
        assert store.notice is not None and "damaged" in store.notice
        aside = [p for p in folder.iterdir() if p.name.startswith(f"{DB_NAME}.damaged-")]
        assert len(aside) == 1 and aside[0].read_bytes() == garbage
        assert str(aside[0]) in store.notice
        assert store.shows() == []


def test_a_journal_of_another_schema_version_is_set_aside(tmp_path):
    """A database from a later runofshow (unknown schema version) is kept, not misread."""
    import sqlite3

    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE shows (id INTEGER)")
    conn.commit()
    conn.close()
    with ShowStore(tmp_path) as store:
        assert store.notice is not None and "version 99" in store.notice
    assert any(p.name.startswith(f"{DB_NAME}.damaged-") for p in tmp_path.iterdir())


HOSTILE_ROWS = [
    ("actions", "args = 'not json'", "actions row 2"),
    ("actions", "args = '[1, 2]'", "not a JSON object"),
    ("actions", "args = printf('%.*c', 100000, '[')", "nested past what can be read"),
    ("actions", "term = 'x'", "actions row 2: its term is 'x'"),
    ("shows", "term = 'abc'", "shows row 1: its term is 'abc'"),
    ("shows", "term = 9223372036854775807", "not a whole number from 0 to 2**53"),
    ("shows", "term = -5", "shows row 1: its term is '-5'"),
    ("set_aside", "args = 'garbage'", "set_aside row 1"),
    ("set_aside", "takeover_wall = 1e308", "takeover time is not a time a clock can read"),
    ("shows", "term_wall = 1e308", "its term_wall is not a time a clock can read"),
    ("shows", "uid = printf('%.*c', 10000000, 'a')", "its uid is not a show's name"),
    ("shows", "ended_wall = -1e308", "its ended_wall is not a time a clock can read"),
    ("actions", "wall = 1e308", "actions row 2: its wall is not a time a clock can read"),
]


@pytest.mark.parametrize(("table", "change", "words"), HOSTILE_ROWS)
def test_a_row_no_runofshow_writes_is_damage_named_when_the_journal_is_opened(
    tmp_path, seed_like, table, change, words
):
    """A journal edited by hand or by something else (a term that is text or past SQLite's
    integers, arguments that are not JSON or nested 100,000 deep): found when the journal is
    opened and named by its table and row, not an uncaught error when the show is resumed
    (the app did not start), reported (a traceback), followed or taken over (a 500). Read
    only, it is refused in those words; opened to write, it is set aside like any damage."""
    import sqlite3

    folder = tmp_path / "state"
    with ShowStore(folder) as store:
        record = store.identify(store.new_show(seed_like, SHOW_DAY).id, "a" * 16)
        journal = store.journal(record.id)
        journal.append(Action(1, "start", 1.0, at("15:00:00"), 1.0, "b"))
        journal.append(Action(2, "add_time", 2.0, at("15:00:01"), 2.0, "b", {"seconds": 30.0}))
        store.add_set_aside(record.id, journal.entries()[1:], at("15:00:02"), "other")
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute(f"UPDATE {table} SET {change} WHERE id = (SELECT max(id) FROM {table})")
    conn.commit()
    conn.close()
    with pytest.raises(JournalDamaged, match=words.replace("*", r"\*")):
        ShowStore(folder, read_only=True)
    with ShowStore(folder) as store:
        assert store.notice is not None and "no runofshow writes" in store.notice
        assert store.shows() == []
    assert any(p.name.startswith(f"{DB_NAME}.damaged-") for p in folder.iterdir())


def unwritable_folder(tmp_path: Path) -> Path:
    """A state folder that cannot be created or written, also when the tests run as root
    (where chmod does not stop writes): a folder under a regular file."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o500)
        return folder
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "state"


def test_an_unwritable_state_folder_raises_an_error_naming_it(tmp_path):
    """The GUI falls back to a memory journal; the message must say which folder failed."""
    folder = unwritable_folder(tmp_path)
    with pytest.raises(JournalUnavailable) as caught:
        ShowStore(folder)
    assert str(folder) in str(caught.value)


def test_a_full_disk_makes_append_fail_with_an_os_error_naming_the_file(store, seed_like):
    """SQLite's page limit stands in for a full disk: append raises an OSError (so callers
    handling disk errors catch it) whose message names the database file."""
    record = store.new_show(seed_like, SHOW_DAY)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    big = Action(1, "pad", 0.0, 0.0, 0.0, "b", {"pad": "x" * 50_000})
    with pytest.raises(JournalWriteError) as caught:
        store.journal(record.id).append(big)
    assert isinstance(caught.value, OSError) and str(store.path) in str(caught.value)


def test_when_writes_fail_the_engine_keeps_timing_and_says_why(tmp_path, seed_like, clock):
    """Another process holds the database's write lock: the engine's append fails, it emits
    JournalFailed naming the file and goes on timing in memory."""
    import sqlite3

    with ShowStore(tmp_path, timeout=0) as store:
        engine = engine_on(store, seed_like, clock)
        events = []
        engine.subscribe(events.append)
        blocker = sqlite3.connect(store.path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            start_at_three(engine, clock)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        clock.advance(10)
        assert engine.now().elapsed_s == pytest.approx(10)
        assert any(isinstance(e, JournalFailed) for e in events)
        assert str(store.path) in (engine.journal_error or "")


def test_state_dir_honours_override_then_environment(monkeypatch, tmp_path):
    """--state-dir wins over RUNOFSHOW_STATE_DIR, which wins over the platform folder."""
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path / "env"))
    assert state_dir() == tmp_path / "env"
    assert state_dir(tmp_path / "cli") == tmp_path / "cli"
    monkeypatch.delenv(ENV_STATE_DIR)
    assert state_dir().name.lower() == "runofshow"


def test_importing_the_engine_does_not_import_sqlite():
    """The GUI's first frame must not wait for sqlite3: only opening a store imports it."""
    import subprocess
    import sys

    code = (
        "import sys, runofshow.core.engine, runofshow.core.journal;print('sqlite3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_argument_json_cannot_hold_is_refused_not_dropped(store, seed_like):
    """Only the reload's in-memory agenda is left out on disk. Any other argument JSON cannot
    hold (a new argument of some future action, a NaN) is refused loudly when appended, never
    dropped: a dropped argument would silently vanish from the show on replay."""
    journal = store.journal(store.new_show(seed_like, SHOW_DAY).id)
    for args in ({"seconds": float("nan")}, {"index": {1, 2}}, {"agenda": seed_like}):
        with pytest.raises(TypeError) as caught:
            journal.append(Action(1, "add_time", 1.0, 1.0, 1.0, "b", args))
        assert "add_time" in str(caught.value)
    assert journal.actions() == []


# -- a state folder that is a file (--state-dir my-event.yaml) --------------------------------
@pytest.mark.parametrize("name", ["my-event.yaml", "journal.sqlite3", "notes"])
def test_a_state_dir_that_is_a_file_is_refused_and_left_alone(tmp_path, name):
    """`--state-dir my-event.yaml` is an easy slip. Before, a path with a suffix was taken for
    the database itself: the YAML was called damaged, renamed aside and replaced by a new
    journal. The state dir is always a folder: a file there is refused, untouched."""
    slip = tmp_path / name
    slip.write_text("event:\n  title: My event\n", encoding="utf-8")
    with pytest.raises(StateDirIsAFile) as caught:
        ShowStore(slip)
    message = str(caught.value)
    assert f"{slip} is a file, not a folder" in message and "--state-dir" in message
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert slip.read_text(encoding="utf-8") == "event:\n  title: My event\n"
    assert not isinstance(caught.value, OSError)  # never mistaken for "time in memory"


# -- garbage in the write-ahead log ------------------------------------------------------------
def crashed_store(folder: Path, agenda_path: Path, before: int, after: int) -> None:
    """A journal written by a process that died (``os._exit``): ``before`` actions
    checkpointed into the database file, then ``after`` more that only the WAL holds."""
    code = f"""
import os
from pathlib import Path
from runofshow.core.actions import Action
from runofshow.core.journal import ShowStore
from runofshow.core.loader import load_agenda
import datetime as dt
store = ShowStore({str(folder)!r})
journal = store.journal(store.new_show(load_agenda({str(agenda_path)!r}), dt.date(2022, 11, 30)).id)
for i in range({before + after}):
    if i == {before}:
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    journal.append(Action(i + 1, "add_time", float(i), 1.0, 1.0, "b", {{"seconds": 10.0}}))
os._exit(0)
"""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], check=True)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("where", ["header", "frame"])
def test_garbage_in_the_wal_is_reported_kept_aside_and_the_readable_part_resumed(tmp_path, where):
    """Random bytes in journal.sqlite3-wal of a journal whose last actions only the WAL holds.
    SQLite opens it without a word and drops the committed actions after the garbage (all of
    them for a garbled header: before, the store opened silently with them gone). Now the
    store says so, keeps the damaged files aside byte for byte, and starts from the part that
    can still be read (the checkpointed actions, plus the WAL frames before the garbage)."""
    from runofshow.resources import default_agenda

    folder = tmp_path / "state"
    crashed_store(folder, default_agenda(), before=3, after=6)
    wal = folder / f"{DB_NAME}-wal"
    with wal.open("r+b") as stream:
        stream.seek(0 if where == "header" else 32 + 24 + 4096 + 200)
        stream.write(os.urandom(64))
    damaged = files_of(folder)
    with ShowStore(folder) as store:
        assert store.notice is not None
        assert "write-ahead log" in store.notice and "damaged" in store.notice
        aside = sorted(p for p in folder.iterdir() if ".damaged-" in p.name)
        assert [p.name.replace(aside[0].name, "X") for p in aside] == ["X", "X-shm", "X-wal"]
        base = aside[0].name
        assert {p.name[len(base) :]: p.read_bytes() for p in aside} == {
            name[len(DB_NAME) :]: data for name, data in damaged.items()
        }
        assert str(aside[0]) in store.notice
        kept = len(store.journal(1).actions())
        assert (kept == 3) if where == "header" else (3 <= kept < 9)
        store.journal(1).append(Action(99, "pause", 99.0, 1.0, 1.0, "b"))
