"""Hostile agendas through ``runofshow check`` (a real subprocess, timed, its peak memory
measured) and the loader fuzzed with hypothesis: every refusal is ``file:line:col`` errors
within 2 s and 300 MB, and nothing but the loader's own ``AgendaError`` ever escapes.

The GUI's side of the same cases (open and reload during a show) is in
tests/qt/test_torture_window.py; longer fuzzing in tests/soak/run_soak.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hostile_cases import SEED, Case, hostile_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runofshow.check_command import render_timeline
from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.cues import cue_status, seconds_until_change
from runofshow.core.engine import ShowEngine
from runofshow.core.loader import agenda_warnings, load_agenda_bytes
from runofshow.core.problems import AgendaError
from runofshow.core.resume import default_anchor, local_date
from runofshow.core.timefmt import countdown_text, drift_text

MAX_SECONDS = 2.0  # CPU time of one check; wall time gets slack for a loaded CI machine
MAX_WALL_SECONDS = 5.0
MAX_RSS_MB = 300
FUZZ_EXAMPLES = 300


# A small launcher runs the check and reports its child's own rusage: ru_maxrss carries the
# parent's resident size across fork+exec, so measured straight from pytest (hundreds of MB,
# PySide6 loaded) every check would look that big.
LAUNCHER = """
import os, sys, time
began = time.monotonic()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"RUSAGE {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime} "
                 f"{time.monotonic() - began}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


@dataclass(frozen=True)
class Checked:
    case: Case
    code: int
    output: str
    seconds: float  # wall time
    cpu_seconds: float
    rss_mb: float


def run_check(case: Case) -> Checked:
    """``python -m runofshow check FILE`` through the launcher: exit status, output, wall and
    CPU time and peak RSS of the check alone. A hung check is killed after 30 s."""
    command = [sys.executable, "-m", "runofshow", "check", str(case.path)]
    result = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command], capture_output=True, timeout=30
    )
    usage = re.search(rb"RUSAGE (\d+) ([\d.]+) ([\d.]+)", result.stderr)
    assert usage is not None, result.stderr.decode(errors="replace")
    return Checked(
        case,
        result.returncode,
        result.stdout.decode("utf-8", errors="replace"),
        float(usage[3]),
        float(usage[2]),
        int(usage[1]) / 1024,
    )


def check_all(folder: Path) -> list[Checked]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run_check, hostile_cases(folder)))


def verdict(checked: Checked) -> str | None:
    """What is wrong with one result, or None when it held."""
    slow = checked.cpu_seconds > MAX_SECONDS or checked.seconds > MAX_WALL_SECONDS
    if slow or checked.rss_mb > MAX_RSS_MB:
        return f"{checked.cpu_seconds:.2f} s CPU, {checked.seconds:.2f} s, {checked.rss_mb:.0f} MB"
    if "Traceback" in checked.output:
        return "a traceback"
    if checked.case.loads:
        return None if checked.code == 0 else f"exit {checked.code}: it must load"
    if checked.code != 2:
        return f"exit {checked.code}"
    where = re.escape(str(checked.case.path))
    errors = [line for line in checked.output.splitlines() if ": error: " in line]
    positioned = [e for e in errors if re.match(rf"{where}:[1-9]\d*:[1-9]\d*: error: ", e)]
    if not errors or positioned != errors:
        return f"errors without file:line:col: {errors[:3]}"
    return None


def test_every_hostile_agenda_is_refused_with_positions_in_bounded_time_and_memory(
    tmp_path, capsys
):
    """50 corpus files and 32 built to hurt (alias bomb, 50 MB, 10,000-deep nesting, NUL
    bytes, UTF-16/32, tabs, Python tags, a list as key, 100,000 segments, 5,000 errors, a
    slot of 10**20 s, year 9999...): `check` exits 2 with every error as file:line:col within
    2 s and 300 MB; CRLF, BOM+CRLF and lone-CR files load (exit 0)."""
    results = check_all(tmp_path / "hostile")
    failures = [f"{r.case.name}: {v}" for r in results if (v := verdict(r)) is not None]
    slowest = max(results, key=lambda r: r.cpu_seconds)
    biggest = max(results, key=lambda r: r.rss_mb)
    with capsys.disabled():
        print(
            f"\n-- hostile agendas via `runofshow check`: {len(results)} cases, "
            f"{sum(r.case.loads for r in results)} must load --\n"
            f"max CPU {slowest.cpu_seconds:.2f} s ({slowest.case.name}), "
            f"max wall {max(r.seconds for r in results):.2f} s, "
            f"max peak RSS {biggest.rss_mb:.0f} MB ({biggest.case.name})"
        )
    assert len(results) >= 80
    assert not failures, "\n".join(failures)


def test_a_huge_file_is_not_read_into_memory(tmp_path):
    """A 50 MB file is refused after reading only the first MiB, at the line:col where the
    limit is crossed, with its real size."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"event:\n" + b"#" * 50_000_000)
    from runofshow.core.loader import load_agenda

    with pytest.raises(AgendaError) as caught:
        load_agenda(big)
    (problem,) = caught.value.problems
    assert "50,000,007 bytes" in problem.message
    assert (problem.line, problem.col) == (2, 1_048_576 - 7 + 1)


# -- fuzzing ----------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["15:00", "5m", "1:30", "-5m", "0s", "2022-11-30", "Asia/Seoul", "advance"]),
)
keys = st.sampled_from(
    [
        "event",
        "defaults",
        "programme",
        "title",
        "duration",
        "limit",
        "date",
        "start",
        "end",
        "segments",
        "group",
        "kind",
        "id",
        "cues",
        "wrapup",
        "danger",
        "timezone",
        "video",
    ]
) | st.text(max_size=8)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)


def load_only_agenda_errors(data: bytes) -> None:
    """The loader's contract: an Agenda, or AgendaError whose problems all have positions."""
    try:
        load_agenda_bytes(data, Path("fuzz.yaml"))
    except AgendaError as error:
        assert error.problems
        assert all(p.line >= 1 and p.col >= 1 for p in error.problems), str(error)


@FUZZ
@given(documents)
def test_random_yaml_documents_only_ever_raise_agenda_errors(document):
    """Any YAML document (dumped by PyYAML: nested lists, mappings, odd scalars) loads or is
    refused with positioned AgendaErrors; nothing else escapes."""
    load_only_agenda_errors(yaml.safe_dump(document, allow_unicode=True).encode())


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 4), st.binary(min_size=0, max_size=4)),
        min_size=1,
        max_size=8,
    )
)
def test_byte_mutations_of_the_seed_agenda_only_ever_raise_agenda_errors(edits):
    """The seed agenda with random bytes overwritten, inserted or deleted loads or is refused
    with positioned AgendaErrors; nothing else escapes."""
    data = bytearray(SEED.read_bytes())
    for offset, cut, insert in edits:
        at = offset % (len(data) + 1)
        data[at : at + cut] = insert
    load_only_agenda_errors(bytes(data))


# -- accepted means it runs -------------------------------------------------------------------
#
# Agendas that look right but carry extreme values (slots of a second or over a day, 10**20 s,
# thresholds past their slot, fixed starts at midnight, dates at and past the supported range,
# far-flung time zones, unicode titles): whatever the loader accepts must run a whole show on
# the engine, live and as a rehearsal anchored on the agenda's own date, without an exception.

DAY = 86_400
ZONES = [
    None,
    "UTC",
    "Asia/Seoul",
    "Pacific/Kiritimati",  # UTC+14
    "Etc/GMT+12",  # UTC-12
    "Pacific/Pago_Pago",
    "Asia/Kathmandu",  # +5:45
    "America/St_Johns",  # -3:30 with daylight saving
    "Australia/Lord_Howe",  # a 30-minute daylight-saving shift
    "Europe/Berlin",
    "America/Santiago",
    "Antarctica/Troll",  # daylight saving of two hours
]
EDGE_DATES = ["1971-01-01", "2999-12-31", "1970-12-31", "3000-01-01", "0001-01-01", "9999-12-31"]

BROKEN = [0, DAY + 1, 99_999 * 3600, 10**20]  # refused: the loader must say where


def written_duration(seconds: int, style: int) -> str:
    """``seconds`` as a person might write it: 90s, 1h2m3s or clock style."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if style == 0 or seconds > 10**9:
        return f"{seconds}s"
    if style == 1:
        return "".join(f"{n}{u}" for n, u in ((h, "h"), (m, "m"), (s, "s")) if n) or "0s"
    return f"{h}:{m:02d}:{s:02d}"


def written_time(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


titles = st.one_of(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
    ).filter(str.strip),
    st.sampled_from(["⑤ 시상식", "🎤 Keynote", "นำเสนอ", "प्रस्तुति", "عرض", "הצגה", "x" * 500]),
)


class Extremes:
    """Draws values that are mostly valid, at and near their edges; in about one agenda in
    three, one value is just past its edge instead, which the loader must refuse."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.to_break = draw(st.integers(0, 90))  # which drawn value to break, if any
        self.drawn = 0

    def broken(self) -> bool:
        self.drawn += 1
        return self.drawn == self.to_break

    def seconds(self, low: int, high: int) -> int:
        """A whole number of seconds in low..high, drawn towards both ends."""
        if self.broken():
            return self.draw(st.sampled_from(BROKEN))
        high = max(low, high)
        edges = [low, min(low + 1, high), max(high - 1, low), high]
        return self.draw(st.sampled_from(edges) | st.integers(low, high))

    def duration(self, low: int, high: int) -> str:
        return written_duration(self.seconds(low, high), self.draw(st.integers(0, 2)))

    def maybe(self) -> bool:
        return self.draw(st.booleans())


@st.composite
def extreme_agendas(draw) -> dict:
    """An agenda as plain data: a day-long or one-second programme, thresholds at their
    slot's edge, fixed starts on the planned minute, dates at the range's ends, far zones."""
    x = Extremes(draw)
    start = x.seconds(0, DAY - 2) % DAY
    end = draw(st.integers(min(start + 1, DAY - 1), DAY - 1))
    date = draw(
        st.sampled_from(EDGE_DATES[:2])
        | st.dates(dt.date(1971, 1, 1), dt.date(2999, 12, 31)).map(str)
        | (st.sampled_from(EDGE_DATES[2:]) if x.broken() else st.nothing())
    )
    event = {"title": draw(titles), "date": date, "start": written_time(start)}
    event["end"] = written_time(end)
    if x.maybe():
        event["timezone"] = draw(st.sampled_from(ZONES[1:]))
    if x.maybe():
        event["venue"] = draw(titles)
    agenda: dict = {"event": event}
    wrapup, danger = 60, 30
    if x.maybe():
        wrapup = x.seconds(0, 600)
        danger = 0 if wrapup == 0 else x.seconds(0, wrapup - 1)
        agenda["defaults"] = {
            "wrapup": written_duration(wrapup, 0),
            "danger": written_duration(danger, 1),
            "standby": x.duration(0, DAY),
            "end_action": draw(st.sampled_from(["hold", "advance"])),
        }
    count = draw(st.sampled_from([1, 2, 3, 5, 8, 13, 60]))
    budget = DAY - (start if x.maybe() else 0)  # the whole day, or what is left of the start day
    cursor, items, group = start, [], None
    for _ in range(count):
        seg = _extreme_segment(x, draw, max(1, budget // count), wrapup, danger)
        if cursor + 120 < DAY and x.maybe() and x.maybe():  # on the planned time, or after
            fixed = cursor + x.seconds(0, 120)
            seg["start"] = written_time(fixed % DAY)
            cursor = max(cursor, fixed)
        cursor += int(seg.pop("_seconds"))
        if group is None and x.maybe() and x.maybe():
            group = {"group": draw(titles), "segments": []}
            if x.maybe():
                group["target"] = x.duration(1, DAY)
            items.append(group)
        (group["segments"] if group is not None else items).append(seg)
        if group is not None and x.maybe():
            group = None
    agenda["programme"] = items
    return agenda


def _extreme_segment(x: Extremes, draw, most: int, wrapup: int, danger: int) -> dict:
    seconds = x.seconds(max(1, wrapup), most)
    seg: dict = {
        "title": draw(titles),
        "duration": written_duration(seconds, draw(st.integers(0, 2))),
    }
    seg["_seconds"] = seconds
    if x.maybe():
        wrapup = x.seconds(0, min(seconds, 3600))
        seg["wrapup"] = written_duration(wrapup, 0)
        seg["danger"] = written_duration(0 if wrapup == 0 else x.seconds(0, wrapup - 1), 0)
    if x.maybe():
        seg["limit"] = x.duration(max(1, wrapup), DAY)
    if x.maybe():
        seg["end_action"] = draw(st.sampled_from(["hold", "advance"]))
    if x.maybe():
        seg["speaker"] = draw(titles)
    if x.maybe():
        seg["cue"] = {"text": draw(titles), "standby": x.duration(0, DAY)}
        seg["cue"]["timeout"] = x.duration(1, DAY)
    return seg


def to_yaml(value: object, indent: int = 0) -> str:
    """Block-style YAML with every scalar double-quoted (JSON strings are YAML strings)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {json.dumps(item, ensure_ascii=False)}\n")
        return "".join(lines)
    assert isinstance(value, list)
    return "".join(f"{pad}-\n{to_yaml(item, indent + 2)}" for item in value)


def run_whole_show(engine: ShowEngine, advance) -> None:
    """A show with everything an operator does, reading every value a window shows after
    each step: start, overtime, added and removed time, pause, previous, goto, a reload,
    undo."""

    def look() -> None:
        now = engine.poll()
        engine.local_time(now.wall)
        engine.local_time(now.projected_end)
        if now.next_projected_start is not None:
            engine.local_time(now.next_projected_start)
        countdown_text(now.remaining_s)
        drift_text(now.drift_s)
        seconds_until_change(engine, now)
        cue_status(engine, now)
        for row in engine.timeline().segments:
            engine.local_time(row.projected_end)

    look()
    engine.start()
    for seg in engine.agenda.segments:
        look()
        advance(seg.countdown_s / 2)
        engine.add_time(60)
        engine.add_time(-600)
        engine.toggle()  # pause
        advance(17)
        look()
        engine.toggle()  # resume
        advance(seg.countdown_s + 95)  # into overtime (or past an automatic end)
        look()
        advance(1)  # no clicker bounce
        engine.next()
    engine.previous()
    engine.goto(len(engine.agenda.segments) - 1)
    look()
    engine.replace_agenda(engine.agenda)  # the file saved again mid-show: a hot reload
    look()
    for _ in range(3):
        engine.undo()
        look()
    engine.end_show()
    look()


def extreme_agendas_run(text: str) -> bool:
    """Load ``text``; if it is accepted, run it as a show live and rehearsed. Whether it was
    accepted."""
    try:
        agenda = load_agenda_bytes(text.encode(), Path("extreme.yaml"))
    except AgendaError as error:
        assert all(p.line >= 1 and p.col >= 1 for p in error.problems), str(error)
        return False
    agenda_warnings(agenda)
    render_timeline(agenda)
    real = FakeClock(wall=default_anchor(agenda, FakeClock()).sim_wall, mono=50_000.0)
    run_whole_show(ShowEngine(agenda, real), real.advance)

    rehearsal_real = FakeClock(wall=1_700_000_000.0, mono=80_000.0)
    for at in (None, 0, DAY - 1):  # the default a minute before the start, and the day's edges
        anchor = default_anchor(agenda, rehearsal_real, 60.0, at)
        clock = RehearsalClock(rehearsal_real, anchor)
        for day in (local_date(agenda, anchor.sim_wall), agenda.event.date):
            engine = ShowEngine(agenda, clock, mode="rehearsal", show_date=day)
            run_whole_show(engine, lambda s, c=clock: rehearsal_real.advance(s / c.speed))
    return True


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(extreme_agendas())
def test_every_agenda_the_loader_accepts_runs_a_whole_show(agenda):
    """Extreme but valid-looking agendas: refused with positions, or run start to end (live,
    and rehearsed at 60x from the agenda's date) without any exception."""
    extreme_agendas_run(to_yaml(agenda))


@pytest.mark.parametrize(
    ("date", "zone", "start", "end"),
    [
        ("1971-01-01", "Pacific/Kiritimati", "0:00", "23:59"),
        ("1971-01-01", "Etc/GMT+12", "0:00", "23:59"),
        ("2999-12-31", "Pacific/Kiritimati", "23:59", "23:59:30"),
        ("2999-12-31", "Etc/GMT+12", "23:59", "23:59:30"),
    ],
)
def test_the_longest_show_at_the_edges_of_the_date_range_runs(date, zone, start, end):
    """The worst accepted case, chosen by hand: a day-long programme on the first or last
    supported date in the zones furthest from UTC, starting at midnight or a minute before."""
    rows = "".join(f"  - title: Hour {i}\n    duration: 1h\n" for i in range(24))
    text = (
        f"event:\n  title: Edge\n  date: {date}\n  start: {start}\n  end: {end}\n"
        f"  timezone: {zone}\nprogramme:\n{rows}"
    )
    assert extreme_agendas_run(text)
