"""The post-show report: the live fold of the stored journal, read back as planned against
actual per segment, in JSON, CSV and an aligned table, and from the command line."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import unprivileged
from show_builders import SEED_ROWS, at, make_agenda

from runofshow.core.agenda import Agenda
from runofshow.core.cells import cell_width
from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import ShowStore
from runofshow.core.loader import load_agenda
from runofshow.core.report import (
    CSV_FIELDS,
    build_report,
    render_csv,
    render_json,
    render_table,
)
from runofshow.core.resume import open_show
from runofshow.exit_codes import (
    EXIT_BAD_AGENDA,
    EXIT_DAMAGED_JOURNAL,
    EXIT_NO_SHOW,
    EXIT_OK,
    EXIT_USAGE,
)
from runofshow.report_command import main
from runofshow.resources import default_agenda

PITCHES = range(3, 7)
# Real running time of each of the 14 segments: pitches 1, 2 and 4 overrun their 5:00 limit
# (+0:42, +0:05, +0:20); pitch 3 is given a minute more and stays inside it.
RAN_S = [310, 170, 125, 342, 305, 330, 320, 120, 300, 600, 590, 120, 120, 60]


def run_show(engine: ShowEngine, clock: FakeClock, *, end: bool = True) -> None:
    """Start at 15:00:00 and run every segment for ``RAN_S``; pitch 2 is paused for 30 s,
    pitch 3 gets 60 s more. ``end`` ends the show with the last segment."""
    clock.advance(at("15:00:00") - clock.wall())
    assert engine.start()
    for index, ran in enumerate(RAN_S):
        if index == 4:
            clock.advance(100)
            engine.pause()
            clock.advance(30)
            engine.resume()
            ran -= 100
        if index == 5:
            engine.add_time(60)
        clock.advance(ran)
        if end or index < len(RAN_S) - 1:
            assert engine.next()


def stored_show(store: ShowStore, agenda: Agenda, clock: FakeClock, **kw) -> ShowEngine:
    """A live show of ``agenda`` run through ``run_show`` into ``store``, marked ended."""
    opened = open_show(store, agenda, clock)
    engine = ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)
    run_show(engine, clock, **kw)
    if kw.get("end", True):
        store.mark_ended(opened.record.id, engine.now().wall)
    return engine


@pytest.fixture
def bundled() -> Agenda:
    """The bundled seed agenda, loaded the way the command loads it."""
    return load_agenda(default_agenda())


def report_of(store: ShowStore, agenda: Agenda, show_id: int = 1, **kw):
    record = store.show(show_id)
    return build_report(agenda, record, store.journal(show_id).actions(), **kw)


def test_json_gives_planned_and_actual_times_and_overruns(store, seed_like, clock):
    """Every segment's planned and actual times are ISO 8601 with +09:00, running time
    excludes the pause, and over_limit_s is the overtime the speaker saw."""
    stored_show(store, seed_like, clock)
    data = json.loads(render_json(report_of(store, seed_like)))
    segments = data["segments"]
    assert len(segments) == 14
    first, pitch1, pitch2, pitch3 = segments[0], *segments[3:6]
    assert first["planned_start"] == "2022-11-30T15:00:00+09:00"
    assert first["actual_start"] == "2022-11-30T15:00:00+09:00"
    assert first["actual_end"] == "2022-11-30T15:05:10+09:00"
    assert pitch1["title"] == "Pitch 1" and pitch1["limit_s"] == 300
    assert pitch1["actual_start"] == "2022-11-30T15:10:05+09:00"
    assert (pitch1["actual_duration_s"], pitch1["over_limit_s"]) == (342, 42)
    assert pitch1["over_slot_s"] == 72
    assert (pitch2["actual_duration_s"], pitch2["pauses"], pitch2["over_limit_s"]) == (305, 1, 5)
    assert (pitch3["added_s"], pitch3["over_limit_s"], pitch3["over_slot_s"]) == (60, 0, 60)
    assert segments[6]["over_limit_s"] == 20
    assert data["planned_end"] == "2022-11-30T16:00:00+09:00"
    wall_total = sum(RAN_S) + 30
    assert data["actual_end"] == "2022-11-30T16:{:02d}:{:02d}+09:00".format(
        *divmod(wall_total - 3600, 60)
    )
    assert data["ended"] is True and data["drift_s"] == wall_total - 3600


def test_a_show_taken_over_says_when_in_the_text_and_the_json(store, seed_like, clock):
    """A show another laptop took over (docs/two-machines.md) says so, even when no action
    had to be set aside; a show never taken over says nothing of it."""
    stored_show(store, seed_like, clock)
    assert "Taken over" not in render_table(report_of(store, seed_like))
    store.set_term(1, 1, "stage-managers-laptop", at("15:30:00"), replica=False)
    report = report_of(store, seed_like)
    assert "Taken over at 15:30:00 (term 1)" in render_table(report)
    data = json.loads(render_json(report))
    assert (data["term"], data["takeover"]) == (1, "2022-11-30T15:30:00+09:00")


def test_the_report_is_the_live_engines_own_timeline(store, seed_like, clock):
    """Mid-show, the report as of now agrees with what the operator's engine shows."""
    engine = stored_show(store, seed_like, clock, end=False)
    clock.advance(12)
    report = report_of(store, seed_like, now_wall=clock.wall())
    live = engine.timeline()
    assert not report.ended and report.actual_end is None
    for row, seg in zip(live.segments, report.segments, strict=True):
        assert seg.actual_duration_s == pytest.approx(row.elapsed_s)
        assert seg.over_limit_s == pytest.approx(row.over_limit_s)
        assert (seg.actual_start is None) == (row.actual_start is None)
    assert report.segments[-1].status == "running"
    assert report.projected_end.timestamp() == pytest.approx(engine.now().projected_end)


def test_csv_has_one_row_per_segment_with_the_json_fields(store, seed_like, clock):
    """A spreadsheet gets the same values as the JSON, one row per segment."""
    stored_show(store, seed_like, clock)
    rows = list(csv.DictReader(io.StringIO(render_csv(report_of(store, seed_like)))))
    assert len(rows) == 14 and tuple(rows[0]) == CSV_FIELDS
    assert rows[3]["over_limit_s"] == "42.0"
    assert rows[3]["actual_start"] == "2022-11-30T15:10:05+09:00"
    assert rows[0]["limit_s"] == ""


def test_text_width_counts_wide_characters_twice():
    """Hangul and other wide characters take two terminal cells; combining marks none."""
    assert cell_width("개회") == 4
    assert cell_width("Pitch ①") == 7
    assert cell_width("e\u0301") == 1
    assert cell_width("ＡＢ") == 4


def test_the_table_lines_up_with_korean_titles(store, clock):
    """Columns after a Korean title start at the same terminal cell on every row."""
    rows = [dict(row, title=f"{'가나다' * (i % 4)}제목 {i}") for i, row in enumerate(SEED_ROWS)]
    agenda = make_agenda(rows)
    stored_show(store, agenda, clock)
    report = report_of(store, agenda)
    lines = render_table(report).splitlines()
    starts = []
    for seg in report.segments:
        line = next(x for x in lines if f" {seg.title} " in x)
        planned = seg.planned_start.strftime("%H:%M:%S")
        starts.append(cell_width(line[: line.index(planned)]))
    assert len(set(starts)) == 1
    assert "Actual:  15:00:00 - 16:" in lines[-1]


def test_a_segment_never_run_is_reported_skipped(store, seed_like, clock):
    """Jumping over the video leaves it with no actual times and the status "skipped"."""
    opened = open_show(store, seed_like, clock)
    engine = ShowEngine(seed_like, clock, opened.journal, show_date=opened.record.show_date)
    clock.advance(at("15:00:00") - clock.wall())
    engine.start()
    clock.advance(60)
    engine.goto(9)
    clock.advance(60)
    engine.end_show()
    report = report_of(store, seed_like)
    video = report.segments[8]
    assert (video.status, video.actual_start, video.actual_duration_s) == ("skipped", None, 0)
    assert report.ended


# -- the command ----------------------------------------------------------------------------
def bundled_show(tmp_path: Path, agenda: Agenda, clock: FakeClock) -> Path:
    """A state folder holding one ended live show of the bundled agenda; returns the folder."""
    folder = tmp_path / "cli-state"
    with ShowStore(folder) as store:
        stored_show(store, agenda, clock)
    return folder


def test_the_command_reports_the_latest_live_show_of_the_bundled_agenda(
    tmp_path, bundled, clock, capsys
):
    """`runofshow report --format json` with no agenda reads the bundled one's latest show."""
    folder = bundled_show(tmp_path, bundled, clock)
    assert main(["--state-dir", str(folder), "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "live" and data["show_id"] == 1
    assert data["segments"][3]["over_limit_s"] == 42
    assert data["segments"][0]["title"] == bundled.segments[0].title


def test_the_command_honours_the_environment_state_dir(
    tmp_path, bundled, clock, capsys, monkeypatch
):
    """RUNOFSHOW_STATE_DIR points the command at the journal when --state-dir is not given."""
    folder = bundled_show(tmp_path, bundled, clock)
    monkeypatch.setenv("RUNOFSHOW_STATE_DIR", str(folder))
    assert main([str(default_agenda()), "--format", "csv"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 15


def test_rehearsals_are_reported_apart_from_live_shows(tmp_path, bundled, clock, capsys):
    """A later rehearsal never replaces the live show in the default report, and
    --rehearsal reports the rehearsal on its own simulated times."""
    folder = bundled_show(tmp_path, bundled, clock)
    with ShowStore(folder) as store:
        rclock = RehearsalClock.starting_at(clock, at("15:30:00"), speed=10)
        opened = open_show(store, bundled, clock, "rehearsal", anchor=rclock.anchor)
        engine = ShowEngine(bundled, rclock, opened.journal, mode="rehearsal",
                            show_date=opened.record.show_date)  # fmt: skip
        engine.start()
        clock.advance(6)
        engine.end_show()
    assert main(["--state-dir", str(folder), "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["show_id"] == 1
    assert main(["--state-dir", str(folder), "--format", "json", "--rehearsal"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert (data["mode"], data["show_id"]) == ("rehearsal", 2)
    assert data["segments"][0]["actual_start"] == "2022-11-30T15:30:00+09:00"
    assert data["segments"][0]["actual_duration_s"] == pytest.approx(60)


def test_the_table_is_the_default_and_show_id_picks_a_show(tmp_path, bundled, clock, capsys):
    """--show ID reads that show with its own agenda; the default output is the table."""
    folder = bundled_show(tmp_path, bundled, clock)
    assert main(["--state-dir", str(folder), "--show", "1"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(bundled.event.title)
    assert "live show #1 on 2022-11-30 (ended)" in out


def test_list_shows_every_recorded_show_with_its_mode(tmp_path, bundled, clock, capsys):
    """--list tells the operator which ids exist, live or rehearsal, ended or not."""
    folder = bundled_show(tmp_path, bundled, clock)
    assert main(["--state-dir", str(folder), "--list"]) == EXIT_OK
    line = capsys.readouterr().out.strip()
    assert line.split()[:5] == ["1", "live", "2022-11-30", "ended", str(default_agenda())]


def test_no_show_found_exits_1_with_a_message(tmp_path, bundled, clock, capsys):
    """No journal at all, no show of this agenda, no such id: exit 1, said on stderr."""
    assert main(["--state-dir", str(tmp_path / "none")]) == EXIT_NO_SHOW
    assert "no shows are recorded" in capsys.readouterr().err
    folder = bundled_show(tmp_path, bundled, clock)
    assert main(["--state-dir", str(folder), "--rehearsal"]) == EXIT_NO_SHOW
    assert "no rehearsal of" in capsys.readouterr().err
    assert main(["--state-dir", str(folder), "--show", "7"]) == EXIT_NO_SHOW
    assert "no show #7" in capsys.readouterr().err


def test_a_broken_agenda_prints_its_problems_and_exits_2(tmp_path, bundled, clock, capsys):
    """The agenda's problems are printed in the usual PATH:LINE:COL form; exit status 2."""
    folder = bundled_show(tmp_path, bundled, clock)
    broken = tmp_path / "broken.yaml"
    broken.write_text("event: [\n", encoding="utf-8")
    assert main([str(broken), "--state-dir", str(folder)]) == EXIT_BAD_AGENDA
    assert str(broken) in capsys.readouterr().err


def test_a_usage_error_exits_64_not_2(capsys):
    """Exit 2 means "bad agenda", so argparse's usage errors must not use it."""
    assert main(["--format", "xml"]) == EXIT_USAGE
    assert "invalid choice" in capsys.readouterr().err


# -- the report never changes the state folder -----------------------------------------------
CRASHED_SHOW = """
import os, sys
from runofshow.core.clock import FakeClock
from runofshow.core.loader import load_agenda
from runofshow.core.session import open_session
from show_builders import at
state, agenda_path = sys.argv[1], sys.argv[2]
clock = FakeClock(wall=at("15:00:00"), mono=500.0, boot_id="boot-report")
session = open_session(load_agenda(agenda_path), state_dir=state, real=clock)
session.engine.start()
for _ in range(3):
    clock.advance(200)
    session.engine.next()
os._exit(0)  # killed: the actions are only in the WAL, beside its -shm index
"""


def crashed_show(folder: Path, agenda_path: Path) -> None:
    """A live show whose app was killed after four actions: its WAL holds committed frames."""
    tests_core = str(Path(__file__).resolve().parent)
    unprivileged.run(
        CRASHED_SHOW.replace(
            "import os, sys", f"import os, sys\nsys.path.insert(0, {tests_core!r})"
        ),
        [str(folder), str(agenda_path)],
        check=True,
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def damage(folder: Path, how: str) -> None:
    if how == "damaged database":
        (folder / "journal.sqlite3").write_bytes(b"this is not a database " * 300)
    elif how == "garbage in the WAL":
        with (folder / "journal.sqlite3-wal").open("r+b") as stream:
            stream.write(os.urandom(32))


@pytest.mark.parametrize(
    ("ending", "how"),
    [
        ("closed", "intact"),
        ("crashed", "intact"),
        ("closed", "damaged database"),
        ("crashed", "garbage in the WAL"),
    ],
)
def test_the_report_never_changes_the_state_folder(tmp_path, bundled, clock, capsys, ending, how):
    """Whatever state the journal is in, `runofshow report` leaves every file of the state
    folder byte for byte and adds none. Before, it opened the journal for writing: a crashed
    show's WAL was checkpointed and its -wal/-shm deleted, a damaged journal renamed aside
    and replaced. A crashed show's last actions (only in its WAL) are reported; a damaged
    journal is reported as such, exit 4, and left for the app to set aside."""
    folder = tmp_path / "state"
    if ending == "closed":
        with ShowStore(folder) as store:
            stored_show(store, bundled, clock)
    else:
        crashed_show(folder, default_agenda())
        assert (folder / "journal.sqlite3-wal").stat().st_size > 0
    damage(folder, how)
    before = files_of(folder)
    code = main(["--state-dir", str(folder), "--format", "json"])
    assert files_of(folder) == before
    out, err = capsys.readouterr()
    if how == "intact":
        assert code == EXIT_OK
        data = json.loads(out)
        assert data["show_id"] == 1
        ran = [s["status"] for s in data["segments"][:4]]
        assert ran == (["done"] * 4 if ending == "closed" else ["done"] * 3 + ["running"])
    else:
        assert code == EXIT_DAMAGED_JOURNAL and out == ""
        assert "damaged" in err and str(folder / "journal.sqlite3") in err
        assert "left as it is" in err


REPORT_AS_OPERATOR = unprivileged.script(
    "from runofshow.report_command import main\nfrom runofshow.core import loader, resume",
    "sys.exit(main(sys.argv[1:]))",
)


@pytest.mark.parametrize("how", ["closed", "crashed"])
def test_the_report_reads_a_read_only_state_folder(tmp_path, bundled, clock, how):
    """The state folder on a read-only stick (0555, files 0444; the report runs unprivileged
    so that this holds under root too): the report reads it, WAL included. Before, it could
    not open it ("attempt to write a readonly database" or "unable to open database file")."""
    base = Path(tempfile.mkdtemp(prefix="runofshow-report-"))
    base.chmod(0o755)
    folder = base / "state"
    agenda = base / "agenda.yaml"
    shutil.copy(default_agenda(), agenda)
    agenda.chmod(0o644)
    try:
        if how == "closed":
            with ShowStore(folder) as store:
                stored_show(store, load_agenda(agenda), clock)
        else:
            crashed_show(folder, agenda)
        unprivileged.chmod_tree(folder, 0o555, 0o444)
        before = files_of(folder)
        argv = [str(agenda), "--state-dir", str(folder), "--format", "json"]
        done = unprivileged.run(REPORT_AS_OPERATOR, argv, capture_output=True, text=True)
        assert done.returncode == EXIT_OK, done.stderr
        assert json.loads(done.stdout)["segments"][1]["status"] == "done"
        assert files_of(folder) == before
    finally:
        if folder.exists():
            unprivileged.chmod_tree(folder, 0o755, 0o644)
        shutil.rmtree(base)


SMALL = """event:
  title: Small
  date: 2022-11-30
  start: 15:00
  end: 15:30
  timezone: Asia/Seoul
programme:
{rows}
"""


def small_agenda(path: Path, ids: list[str]) -> Agenda:
    rows = "\n".join(f"  - {{id: {i}, title: {i}, duration: 5m}}" for i in ids)
    path.write_text(SMALL.format(rows=rows), encoding="utf-8")
    return load_agenda(path)


def test_a_journal_recorded_against_a_longer_agenda_is_refused_with_a_message(
    tmp_path, clock, capsys
):
    """The show was hot-reloaded to an agenda with a segment added at the top, and the file
    was later cut down: the journal names positions the file no longer has. Before, the
    report died with an IndexError traceback; now it says so and exits 2."""
    folder = tmp_path / "state"
    path = tmp_path / "agenda.yaml"
    agenda = small_agenda(path, ["a", "b"])
    with ShowStore(folder) as store:
        opened = open_show(store, agenda, clock)
        engine = ShowEngine(agenda, clock, opened.journal, show_date=opened.record.show_date)
        engine.start()
        engine.replace_agenda(small_agenda(path, ["new", "a", "b"]))
    small_agenda(path, ["a"])
    assert main([str(path), "--state-dir", str(folder)]) == EXIT_BAD_AGENDA
    err = capsys.readouterr().err
    assert "show #1" in err and "segment" in err and "Traceback" not in err


def test_a_state_dir_that_is_a_file_is_refused(tmp_path, capsys):
    """`runofshow report --state-dir my-event.yaml`: refused with exit 78, the file untouched."""
    from runofshow.exit_codes import EXIT_STATE_DIR

    slip = tmp_path / "my-event.yaml"
    slip.write_text("event: {}\n", encoding="utf-8")
    assert main(["--state-dir", str(slip)]) == EXIT_STATE_DIR
    assert f"{slip} is a file, not a folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["my-event.yaml"]
    assert slip.read_text(encoding="utf-8") == "event: {}\n"


def test_the_report_mentions_errors_logged_during_the_show(tmp_path, bundled, clock, capsys):
    """Errors the app logged while the show ran are named after the table (the first few,
    with their time), so a post-show review sees what went wrong; none before the show."""
    from runofshow.core.show_log import LOG_NAME, log_folder

    folder = bundled_show(tmp_path, bundled, clock)
    with ShowStore(folder) as stored:
        created = stored.shows()[0].created_wall
    log = log_folder(folder) / LOG_NAME
    log.parent.mkdir(parents=True)
    log.write_text(
        f"{created - 3600:.3f} 2022-11-30 14:00:00,000 ERROR runofshow.x: before the show\n"
        f"{created + 60:.3f} 2022-11-30 15:01:00,000 ERROR runofshow.engine: a listener failed\n"
        "Traceback (most recent call last):\n"
        f"{created + 61:.3f} 2022-11-30 15:01:01,000 INFO runofshow.y: not an error\n",
        encoding="utf-8",
    )
    assert main([str(default_agenda()), "--state-dir", str(folder)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "1 error(s) were logged during this show" in out
    assert "runofshow.engine: a listener failed" in out and "before the show" not in out
