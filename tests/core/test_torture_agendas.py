"""Hostile agendas through ``runofshow check`` (a real subprocess, timed, its peak memory
measured) and the loader fuzzed with hypothesis: every refusal is ``file:line:col`` errors
within 2 s and 300 MB, and nothing but the loader's own ``AgendaError`` ever escapes.

The GUI's side of the same cases (open and reload during a show) is in
tests/qt/test_torture_window.py; longer fuzzing in tests/soak/run_soak.py.
"""

from __future__ import annotations

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

from runofshow.core.loader import load_agenda_bytes
from runofshow.core.problems import AgendaError

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
    """50 corpus files and 22 built to hurt (alias bomb, 50 MB, 10,000-deep nesting, NUL
    bytes, UTF-16/32, tabs, Python tags, a list as key, 100,000 segments...): `check` exits 2
    with every error as file:line:col within 2 s and 300 MB; CRLF, BOM+CRLF and lone-CR files
    load (exit 0)."""
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
    assert len(results) >= 70
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
