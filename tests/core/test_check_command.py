"""``runofshow check``: the timeline people read, the problems editors parse, the exit code."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from runofshow.check_command import main, render_commands
from runofshow.core.cells import cell_width
from runofshow.core.loader import load_agenda
from runofshow.resources import default_agenda

CORPUS = Path(__file__).parent / "corpus"
GOOD = """\
event:
  title: Show
  date: 2025-05-14
  start: 9:00
  end: 10:00
programme:
  - title: A
    duration: 1h
"""


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def _segment_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"\d\d:\d\d:\d\d", line)]


def test_seed_timeline_lists_every_segment_with_times_and_exit_0():
    """The seed prints 14 rows from 15:00:00 to 16:00:00, both group headers, totals."""
    code, text = _run(str(default_agenda()))
    assert code == 0
    rows = _segment_rows(text)
    assert len(rows) == 14
    assert rows[0].startswith("15:00:00") and "15:05:00" in rows[0] and "사회자" in rows[0]
    assert rows[-1].split()[1] == "16:00:00"
    assert "── < 프로그램 1 >" in text and "── < 프로그램 2 >" in text
    assert "14 segments in 2 groups, planned 1:00:00" in text
    assert "15:10:00   15:14:30    4:30   5:00  pitch" in text


def test_columns_line_up_in_terminal_cells_with_korean_text():
    """Kind, Title and Speaker start at the header's display cell on every row."""
    _, text = _run(str(default_agenda()))
    header = next(line for line in text.splitlines() if line.startswith("Start"))
    rows = _segment_rows(text)
    for column in ("Kind", "Title", "Speaker"):
        cell = cell_width(header[: header.index(column)])
        for row in rows:
            if column == "Speaker" and cell_width(row) <= cell:
                continue  # no speaker: the row ends before the column
            prefix = _prefix_of_width(row, cell)
            assert prefix is not None, f"{column} misaligned in {row!r}"
            assert prefix.endswith(" ") and row[len(prefix)] != " ", f"{column}: {row!r}"


def _prefix_of_width(line: str, cells: int) -> str | None:
    for i in range(len(line) + 1):
        if cell_width(line[:i]) == cells:
            return line[:i]
    return None


def test_speaker_column_starts_at_one_cell_on_every_seed_row():
    """The speaker names form a straight column although titles mix Hangul and ASCII."""
    _, text = _run(str(default_agenda()))
    starts = set()
    for row in _segment_rows(text):
        for speaker in (
            "사회자",
            "중소벤처기업부 차관",
            "행정안전부 정부혁신조직실장",
            "사례 담당자",
            "명예공무원",
        ):
            if row.endswith(speaker):
                starts.add(cell_width(row[: -len(speaker)]))
    assert len(starts) == 1


def test_cell_width_counts_wide_characters_as_two():
    """Hangul and full-width forms take two cells, ASCII one, combining marks none."""
    assert cell_width("abc") == 3
    assert cell_width("사회자") == 6
    assert cell_width("ＡＢ") == 4
    assert cell_width("e\u0301") == 1


def test_seed_warns_about_pitch_limits_beyond_their_slots():
    """The seed's 5:00 limits over 4:30 slots are shown as warnings, exit still 0."""
    code, text = _run(str(default_agenda()))
    warnings = [line for line in text.splitlines() if ": warning: " in line]
    assert code == 0 and len(warnings) == 4
    assert all("limit 5:00 is longer than its slot 4:30" in w for w in warnings)


def test_strict_turns_warnings_into_exit_2():
    """With --strict any warning fails the check."""
    code, text = _run(str(default_agenda()), "--strict")
    assert code == 2
    assert "--strict: failing" in text


def test_clean_agenda_passes_strict(tmp_path):
    """An agenda without warnings passes even --strict."""
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    code, text = _run(str(path), "--strict")
    assert code == 0 and "OK: no errors, no warnings" in text


def test_broken_agenda_prints_every_error_with_a_hint_and_exits_2(tmp_path):
    """All errors are listed as PATH:LINE:COL: error: lines with hints; no traceback."""
    path = tmp_path / "bad.yaml"
    path.write_text(
        GOOD.replace("end: 10:00", "end: 25:00").replace(
            "duration: 1h", "duration: 5 mins\n    speeker: X"
        )
    )
    code, text = _run(str(path))
    assert code == 2
    errors = [line for line in text.splitlines() if ": error: " in line]
    assert errors == [
        f"{path}:5:8: error: event, end: '25:00' is not a time of day (hours 0-23, minutes 0-59)",
        f"{path}:8:15: error: segment 1 \"A\", duration: '5 mins' is not a duration",
        f"{path}:9:5: error: segment 1 \"A\": unknown key 'speeker'",
    ]
    assert text.count("\n  hint: ") == 3
    assert "Traceback" not in text


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()))
def test_every_corpus_file_exits_2_without_a_traceback(name):
    """Every broken agenda in the corpus is a clean exit 2."""
    code, text = _run(str(CORPUS / name))
    assert code == 2 and ": error: " in text


def test_missing_file_and_directory_exit_2(tmp_path):
    """A wrong path is an error naming the path, not a crash."""
    code, text = _run(str(tmp_path / "nope.yaml"))
    assert code == 2 and f"{tmp_path / 'nope.yaml'}: error: no such file" in text
    code, text = _run(str(tmp_path))
    assert code == 2 and "is a folder, not an agenda file" in text


def test_help_and_usage_errors(capsys):
    """--help prints usage and exits 0; a missing AGENDA is a usage error (64)."""
    assert main(["--help"]) == 0
    assert "--strict" in capsys.readouterr().out
    assert main([]) == 64
    assert "AGENDA" in capsys.readouterr().err


def test_the_installed_command_line_runs_check_without_qt():
    """``python -m runofshow check`` works and never imports the Qt shell."""
    code = (
        "import sys, runofshow.cli as c; rc = c.main(['check', sys.argv[1]]);"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'runofshow._qt'))];"
        "assert not qt, qt; sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(default_agenda())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "15:59:00" in result.stdout


def test_check_prints_each_videos_real_length_and_warns_when_it_is_off_its_slot(tmp_path):
    """A 3 s clip planned as a 5-minute video: its real length is printed and warned about."""
    from test_media_probe import make_clip

    make_clip(tmp_path / "clip.mp4", 3.0)
    agenda = tmp_path / "show.yaml"
    agenda.write_text(
        "event:\n  title: Clip test\n  date: 2025-01-01\n  start: 10:00\n  end: 10:05\n"
        "programme:\n  - title: The video\n    kind: video\n    duration: 5m\n"
        "    video: clip.mp4\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main([str(agenda)], out=out) == 0
    text = out.getvalue()
    assert "0:03 long, planned 5:00" in text
    assert f"{agenda}:7:5: warning:" in text


COMMANDS = """\
event:
  title: Show
  date: 2025-05-14
  start: 9:00
  end: 10:00
programme:
  - title: Opening
    duration: 10m
  - title: 소개 영상
    duration: 20m
    cue:
      text: roll the clip
      command: vlc --fullscreen "media/my clip.mp4"
      timeout: 30s
  - title: Walk-out music
    duration: 30m
    cue:
      text: music
      command: [mpv, --loop, walkout.mp3]
"""


def test_every_command_the_agenda_would_run_is_listed_for_review(tmp_path):
    """A reviewer sees, before the show, each command with its segment, its argv quoted as a
    shell would need it (shlex.join: it is never run through a shell) and its timeout."""
    path = tmp_path / "commands.yaml"
    path.write_text(COMMANDS, encoding="utf-8")
    code, text = _run(str(path))
    assert code == 0
    section = text[text.index("Commands this agenda runs") :].splitlines()
    assert "segment 2  소개 영상" in section[1]
    assert section[2].strip() == "vlc --fullscreen 'media/my clip.mp4'"
    assert section[3].strip() == "timeout 30 s"
    assert "segment 3  Walk-out music" in section[4]
    assert section[5].strip() == "mpv --loop walkout.mp3"
    assert section[6].strip() == "timeout 10 s"


def test_a_detached_command_is_listed_as_left_running(tmp_path):
    """`detach: true`: the reviewer is told the program is left running (not stopped at its
    timeout, not when the app quits)."""
    path = tmp_path / "commands.yaml"
    path.write_text(COMMANDS, encoding="utf-8")
    agenda = load_agenda(path)
    segments = list(agenda.segments)
    segments[2] = dataclasses.replace(
        segments[2], cue=dataclasses.replace(segments[2].cue, detach=True)
    )
    lines = render_commands(dataclasses.replace(agenda, segments=tuple(segments))).splitlines()
    assert lines[5].strip() == "mpv --loop walkout.mp3"
    assert "detach" in lines[6] and "left running" in lines[6]


def test_an_agenda_without_commands_says_it_runs_none(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert "This agenda runs no commands." in _run(str(path))[1]
