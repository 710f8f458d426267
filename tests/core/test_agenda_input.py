"""What the loader accepts is safe to run, and what it refuses is said where and how to fix.

Accepted values are bounded (no slot longer than a day, no date the clock code cannot handle),
YAML's null means "no value", one-line fields hold one line, and a broken or odd file (a FIFO,
a device, UTF-16 without a byte-order mark, 20,000 errors) gets a short, positioned answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from runofshow.core import agenda_file
from runofshow.core.agenda_cache import AgendaCache
from runofshow.core.loader import agenda_warnings, load_agenda, load_agenda_bytes
from runofshow.core.problems import AgendaError, Problem

HEAD = "event:\n  title: Show\n  date: 2022-11-30\n  start: 15:00\n  end: 16:00\nprogramme:\n"
SEGMENT = "  - title: Talk\n    duration: 5m\n"


def load(text: str, name: str = "show.yaml"):
    return load_agenda_bytes(text.encode("utf-8"), Path(name))


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(AgendaError) as caught:
        load(text)
    return caught.value.problems


def only_problem(text: str) -> Problem:
    (problem,) = problems_of(text)
    return problem


# -- YAML null is "no value" ------------------------------------------------------------------


@pytest.mark.parametrize("null", ["null", "Null", "NULL", "~"])
def test_a_plain_null_is_no_value_not_the_word(null):
    """``speaker: null`` (any spelling YAML gives null) shows no speaker, not "null"."""
    agenda = load(
        HEAD + f"  - title: Talk\n    duration: 5m\n    speaker: {null}\n"
        f"    subtitle: {null}\n    notes: {null}\n    cue: {null}\n"
    )
    seg = agenda.segments[0]
    assert (seg.speaker, seg.subtitle, seg.notes, seg.cue) == (None, None, None, None)


def test_a_quoted_null_stays_text():
    """Quoting says "I mean the word": a band called "null" keeps its name."""
    agenda = load(HEAD + "  - title: 'null'\n    duration: 5m\n    speaker: \"~\"\n")
    assert (agenda.segments[0].title, agenda.segments[0].speaker) == ("null", "~")


def test_a_null_title_is_a_missing_value_at_its_position():
    """A required key given as null is "has no value", pointed at where it was written."""
    problem = only_problem(HEAD + "  - title: null\n    duration: 5m\n")
    assert (problem.line, problem.col) == (7, 12)
    assert "title has no value" in problem.message


# -- one-line fields hold one line ------------------------------------------------------------

ONE_LINE_FIELDS = [
    # (agenda text with {v} where the value goes, the field's line, what the message names)
    (HEAD.replace("title: Show", "title: {v}") + SEGMENT, 2, "event, title"),
    (HEAD.replace("  date:", "  subtitle: {v}\n  date:") + SEGMENT, 3, "event, subtitle"),
    (HEAD.replace("  start:", "  venue: {v}\n  start:") + SEGMENT, 4, "event, venue"),
    (HEAD + "  - title: {v}\n    duration: 5m\n", 7, "segment 1, title"),
    (HEAD + SEGMENT + "    subtitle: {v}\n", 9, 'segment 1 "Talk", subtitle'),
    (HEAD + SEGMENT + "    speaker: {v}\n", 9, 'segment 1 "Talk", speaker'),
    (HEAD + SEGMENT + "    cue: {v}\n", 9, 'segment 1 "Talk" cue, text'),
    (HEAD + SEGMENT + "    cue:\n      text: {v}\n", 10, 'segment 1 "Talk" cue, text'),
    (
        HEAD + "  - group: {v}\n    segments:\n  " + SEGMENT.replace("\n    ", "\n      "),
        7,
        "group 1, group",
    ),
    (
        HEAD
        + "  - group: G\n    subtitle: {v}\n    segments:\n  "
        + SEGMENT.replace("\n    ", "\n      "),
        8,
        'group 1 "G", subtitle',
    ),
]


@pytest.mark.parametrize(("template", "line", "subject"), ONE_LINE_FIELDS)
@pytest.mark.parametrize("value", ['"First\\nsecond"', "|\n        First\n        second"])
def test_a_line_break_in_a_one_line_field_is_refused_where_it_is(template, line, subject, value):
    """Titles, subtitles, the venue, speakers and cue texts are drawn on one line: a quoted
    ``\\n`` or a ``|`` block is refused at the value, with a hint, not drawn half off screen."""
    problem = only_problem(template.format(v=value))
    assert problem.line == line, problem.format()
    assert problem.col > 1
    assert problem.message.startswith(f"{subject}: ")
    assert "line break" in problem.message
    assert problem.hint and "one line" in problem.hint
    assert "\n" not in problem.format().split("\n  hint: ")[0]


def test_notes_may_run_over_several_lines():
    """Notes are for the operator's eyes and keep their lines."""
    agenda = load(HEAD + SEGMENT + "    notes: |\n      Bring the mic.\n      Then the slides.\n")
    assert agenda.segments[0].notes == "Bring the mic.\nThen the slides.\n"


# -- every duration, time and date the format allows is bounded -------------------------------

TOO_LONG = [
    # (agenda text with {v} for the duration, the line the value is on)
    (HEAD + "  - title: Talk\n    duration: {v}\n", 8),
    (HEAD + SEGMENT + "    limit: {v}\n", 9),
    (HEAD + SEGMENT + "    wrapup: {v}\n", 9),
    (HEAD + SEGMENT + "    danger: {v}\n", 9),
    (HEAD + SEGMENT + "    cue:\n      text: Go\n      standby: {v}\n", 11),
    (HEAD + SEGMENT + "    cue:\n      text: Go\n      timeout: {v}\n", 11),
    (HEAD.replace("programme:", "defaults:\n  wrapup: {v}\nprogramme:") + SEGMENT, 7),
    (HEAD.replace("programme:", "defaults:\n  standby: {v}\nprogramme:") + SEGMENT, 7),
    (
        HEAD
        + "  - group: G\n    target: {v}\n    segments:\n      - title: T\n        duration: 5m\n",
        8,
    ),
]


@pytest.mark.parametrize(("template", "line"), TOO_LONG)
@pytest.mark.parametrize(
    "value", ["100000000000000000000s", "99999h", "24:00:01", "9" * 5000 + "s"]
)
def test_no_duration_may_be_longer_than_a_day(template, line, value):
    """A slot, limit, threshold, cue standby or timeout, or group target longer than a day
    (the longest an event can be) is refused at its value: a typo such as 99999h would
    otherwise show a countdown of 99998:59:59, and 10**20 s crashes the show."""
    found = problems_of(template.format(v=value))
    problem = next(p for p in found if "longer than a day" in p.message)
    assert problem.line == line, problem.format()
    assert problem.hint and "24:00:00" in problem.hint
    assert "Exceeds the limit" not in problem.format()  # Python's own int-size message


@pytest.mark.parametrize("value", ["24h", "1440m", "24:00:00"])
def test_a_day_long_slot_is_the_longest_accepted(value):
    """24 hours is allowed: an all-day stream is a real if rare show."""
    text = HEAD.replace("start: 15:00", "start: 0:00").replace("end: 16:00", "end: 23:59")
    agenda = load(text + f"  - title: All day\n    duration: {value}\n")
    assert agenda.segments[0].duration_s == 24 * 3600


def test_a_programme_running_past_a_day_is_refused_at_the_segment_that_crosses_it():
    """Slots that each fit a day but add up to more than a day from the event's start are
    refused at the first one that ends past it: every time of day on screen would wrap."""
    rows = "".join(f"  - title: Hour {i}\n    duration: 1h\n" for i in range(1, 26))
    problem = only_problem(HEAD + rows)
    assert (problem.line, problem.col) == (7 + 2 * 24 + 1, 15)
    assert problem.message.startswith('segment 25 "Hour 25", duration: ')
    assert "more than a day" in problem.message
    assert problem.hint and "one agenda per day" in problem.hint


def test_a_programme_of_exactly_a_day_is_accepted():
    rows = "".join(f"  - title: Hour {i}\n    duration: 1h\n" for i in range(1, 25))
    assert len(load(HEAD + rows).segments) == 24


@pytest.mark.parametrize("date", ["0001-01-01", "1970-12-31", "3000-01-01", "9999-12-31"])
def test_a_date_outside_the_supported_range_is_refused(date):
    """Year 1 or 9999 passes as a date but cannot be turned into a time of day in every
    zone (a rehearsal crashed with "date value out of range")."""
    problem = only_problem(HEAD.replace("2022-11-30", date) + SEGMENT)
    assert (problem.line, problem.col) == (3, 9)
    assert "1971-01-01" in problem.message and "2999-12-31" in problem.message


@pytest.mark.parametrize("date", ["1971-01-01", "2999-12-31"])
def test_the_edges_of_the_date_range_load(date):
    assert load(HEAD.replace("2022-11-30", date) + SEGMENT).event.date.isoformat() == date


# -- a file full of errors is answered quickly and briefly ------------------------------------

ONE_ERROR_EACH = {
    "bad duration": "  - title: S{i}\n    duration: 5 mins\n",
    "misspelt key": "  - title: S{i}\n    duration: 5m\n    speeker: x\n",
    "in a group": "      - title: S{i}\n        duration: 5 mins\n",
    "duplicate key": "  - title: S{i}\n    title: T\n    duration: 5m\n",
}


@pytest.mark.parametrize("kind", ONE_ERROR_EACH)
def test_twenty_thousand_errors_take_little_time_and_list_the_first_hundred(kind):
    """A file just under the size cap with an error in each of 20,000 segments: the first 100
    problems in file order and one more saying how many were not listed, in well under 2 s
    of CPU (it took 43 s while each error's label walked the whole programme)."""
    head = HEAD + ("  - group: G\n    segments:\n" if kind == "in a group" else "")
    text = head + "".join(ONE_ERROR_EACH[kind].format(i=i) for i in range(20_000))
    assert len(text.encode()) < 1024 * 1024
    began = time.process_time()
    with pytest.raises(AgendaError) as caught:
        load(text)
    seconds = time.process_time() - began
    problems = caught.value.problems
    assert seconds < 2.0, f"{seconds:.2f} s"
    assert len(problems) == 101
    assert caught.value.found == 20_000
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    last = problems[-1]
    assert last.message == "… and 19,900 more errors, not listed"
    assert last.line >= problems[-2].line > 0 and last.col > 0
    assert problems[-2].message != last.message
    if kind != "duplicate key":
        assert 'segment 100 "S99"' in problems[99].message
    if kind == "in a group":
        assert problems[0].message.startswith('segment 1 "S0", duration:')


# -- messages that help -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text", [HEAD + SEGMENT, HEAD.replace("Show", "혁신 이어달리기") + SEGMENT]
)
def test_utf16_without_a_byte_order_mark_is_named_as_utf16(encoding, text):
    """Notepad's "Unicode" without a BOM is a NUL byte in every other place: the one problem
    says it is UTF-16, not "byte 0xac is not valid UTF-8" or a NUL at each column."""
    with pytest.raises(AgendaError) as caught:
        load_agenda_bytes(text.encode(encoding), Path("show.yaml"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.col) == (1, 1)
    assert "UTF-16" in problem.message
    assert (
        "big-endian" in problem.message if encoding.endswith("be") else "little" in problem.message
    )
    assert problem.hint and "UTF-8" in problem.hint


def test_a_stray_nul_byte_in_utf8_is_still_a_nul_byte():
    """One NUL in a UTF-8 file is not UTF-16: it is reported where it is."""
    data = (HEAD + SEGMENT).encode().replace(b"Talk", b"Ta\x00lk")
    with pytest.raises(AgendaError) as caught:
        load_agenda_bytes(data, Path("show.yaml"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.col, problem.message) == (7, 14, "the file contains a NUL byte")


def test_a_group_titled_with_title_gets_the_group_hint_at_that_key():
    """``title:`` where ``group:`` belongs: one error at the title, saying how to write it,
    not "missing duration" and "unknown key 'segments'" as if it were a segment."""
    problem = only_problem(
        HEAD + "  - title: Programme 1\n    segments:\n      - title: A\n        duration: 5m\n"
    )
    assert (problem.line, problem.col) == (7, 5)
    assert problem.hint == "a group's title is written as `group: <title>`"


def test_a_video_naming_a_folder_says_it_is_a_folder(tmp_path):
    """``video: media`` (the folder, not the file in it) is not "file not found"."""
    (tmp_path / "media").mkdir()
    agenda = load_agenda_bytes(
        (HEAD + SEGMENT + "    kind: video\n    video: media\n").encode(), tmp_path / "show.yaml"
    )
    (warning,) = [w for w in agenda_warnings(agenda) if "media" in w.message]
    assert warning.message.endswith("media is a folder, not a video file")
    assert warning.hint and "name the file" in warning.hint


@pytest.mark.parametrize("value", ['"Lea Novak"', "'Lea Novak'", "Lea Novak"])
def test_an_over_indented_key_is_an_indentation_problem_not_a_quoting_one(value):
    """A key indented deeper than the one above it: YAML calls it "mapping values are not
    allowed"; the hint must be about indentation, never "a value containing ': ' must be
    quoted" for a value already in quotes."""
    problem = only_problem(HEAD + SEGMENT + f"      speaker: {value}\n")
    assert (problem.line, problem.col) == (9, 14)
    assert "must be quoted" not in (problem.hint or "")
    assert problem.hint and "indent" in problem.hint


def test_a_colon_in_an_unquoted_value_still_gets_the_quoting_hint():
    problem = only_problem(HEAD + "  - title: Panel: the future\n    duration: 5m\n")
    assert (problem.line, problem.col) == (7, 17)
    assert problem.hint and "must be quoted" in problem.hint


# -- only a regular file is read --------------------------------------------------------------


def refused_within(path: Path, seconds: float = 10.0) -> Problem:
    """``load_agenda(path)`` on a daemon thread: it must be refused within ``seconds`` (a
    hang would otherwise hang the test run; the thread is abandoned if it does)."""
    outcome: list[object] = []

    def attempt() -> None:
        try:
            outcome.append(load_agenda(path))
        except AgendaError as error:
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"reading {path} did not return within {seconds} s"
    (error,) = outcome
    assert isinstance(error, AgendaError)
    (problem,) = error.problems
    return problem


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "agenda.yaml"
    os.mkfifo(path)
    return path


def test_a_fifo_is_refused_without_waiting_for_a_writer(fifo):
    """Opening a FIFO for reading waits for a writer: `check` used to hang for ever."""
    problem = refused_within(fifo)
    assert problem.message == "is a FIFO (named pipe), not an agenda file"
    assert problem.hint


def test_check_on_a_fifo_returns_promptly_with_exit_2(fifo):
    done = subprocess.run(
        [sys.executable, "-m", "runofshow", "check", str(fifo)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert f"{fifo}: error: is a FIFO (named pipe), not an agenda file" in done.stdout


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(device):
    """/dev/zero used to be read up to the cap and reported as "0 bytes at 1:1048577"."""
    problem = refused_within(Path(device))
    assert (problem.line, problem.message) == (0, "is a device, not an agenda file")
    assert problem.hint


def test_a_file_swapped_for_a_fifo_after_the_look_is_still_refused(fifo, monkeypatch):
    """The path is looked at, then opened: if a FIFO took the file's place in between, the
    open does not block and the opened thing is looked at again."""
    regular = fifo.parent / "regular.yaml"
    regular.write_text(HEAD + SEGMENT, encoding="utf-8")
    real_stat = os.stat
    monkeypatch.setattr(
        agenda_file.os, "stat", lambda path, *a, **k: real_stat(regular if path == fifo else path)
    )
    problem = refused_within(fifo)
    assert problem.message == "is a FIFO (named pipe), not an agenda file"


def test_the_agenda_cache_does_not_read_a_fifo_either(fifo, tmp_path):
    """The window opens agendas through the cache, which reads the file first."""
    outcome: list[object] = []

    def attempt() -> None:
        try:
            AgendaCache(tmp_path / "cache").load(fifo)
        except AgendaError as error:
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    (error,) = outcome
    assert "is a FIFO (named pipe)" in str(error)
