"""The loader turns good agendas into the model and refuses bad ones with every problem listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from runofshow.core import agenda_file
from runofshow.core.agenda import EndAction, Kind
from runofshow.core.loader import agenda_warnings, load_agenda, load_agenda_bytes
from runofshow.core.problems import AgendaError, Problem, Severity
from runofshow.core.timeline import planned_end, planned_starts
from runofshow.core.yamlsource import MAX_BYTES
from runofshow.resources import agendas_dir, default_agenda

SEED = default_agenda()

SMALL = """\
event:
  title: Small show
  date: 2025-05-14
  start: 9:00
  end: 10:00
programme:
  - title: Talk
    duration: 1h
"""


def _load(text: str, name: str = "show.yaml", folder: Path | None = None):
    path = (folder or Path("/shows")) / name
    return load_agenda_bytes(text.encode("utf-8"), path)


def test_seed_agenda_transcribes_the_programme_table():
    """The bundled seed is the 2022 Innovation Relay: 15:00-16:00 in Seoul, 14 rows."""
    agenda = load_agenda(SEED)
    event = agenda.event
    assert event.title == "2022년 제5회 혁신 이어달리기"
    assert event.subtitle
    assert event.date == dt.date(2022, 11, 30)
    assert (event.start_s, event.end_s) == (15 * 3600, 16 * 3600)
    assert event.venue == "서울 팁스타운(S6)"
    assert event.timezone == "Asia/Seoul"
    assert len(agenda.segments) == 14
    assert all(seg.subtitle for seg in agenda.segments)


def test_seed_pitching_block_is_four_pitches_and_a_vote_in_twenty_minutes():
    """Four 4:30 pitches with hard 5:00 limits plus a 2:00 vote fill 15:10-15:30."""
    agenda = load_agenda(SEED)
    pitches = [s for s in agenda.segments if s.kind is Kind.PITCH]
    assert [p.title[0] for p in pitches] == ["①", "②", "③", "④"]
    assert all(
        (p.duration_s, p.limit_s, p.wrapup_s, p.danger_s) == (270, 300, 60, 30) for p in pitches
    )
    vote = next(s for s in agenda.segments if s.kind is Kind.VOTE)
    assert vote.title == "현장투표" and vote.duration_s == 120
    starts = planned_starts(agenda)
    assert starts[pitches[0].index] == 15 * 3600 + 10 * 60
    assert starts[vote.index] + vote.duration_s == 15 * 3600 + 30 * 60


def test_seed_sums_to_an_hour_and_ends_at_four():
    """The seed's slots add up to 60 minutes and the plan ends at 16:00:00."""
    agenda = load_agenda(SEED)
    assert agenda.planned_total_s == 3600
    assert planned_end(agenda) == 16 * 3600


def test_seed_video_segment_runs_1530_to_1535_with_a_stage_cue():
    """The video is 15:30-15:35 and tells the stage manager what to play 30 s ahead."""
    agenda = load_agenda(SEED)
    video = next(s for s in agenda.segments if s.kind is Kind.VIDEO)
    start = planned_starts(agenda)[video.index]
    assert (start, start + video.duration_s) == (15 * 3600 + 30 * 60, 15 * 3600 + 35 * 60)
    assert video.cue is not None
    assert video.cue.text == "play 소상공인 피해 회복 지원 영상"
    assert video.cue.standby_s == 30


def test_seed_groups_index_their_segments():
    """Programme 1 holds the pitches, vote and video; Programme 2 runs to the close."""
    agenda = load_agenda(SEED)
    first, second = agenda.groups
    assert first.title.startswith("< 프로그램 1 >") and second.title.startswith("< 프로그램 2 >")
    assert (first.first, first.last, second.first, second.last) == (3, 8, 9, 13)
    assert all(agenda.segments[i].group == 0 for i in first.segment_indexes())
    assert [s.group for s in agenda.segments[:3]] == [None, None, None]
    handover = next(s for s in agenda.segments if s.kind is Kind.HANDOVER)
    assert handover.speaker is None  # the table names no one for this row


def test_every_bundled_agenda_loads_and_ids_are_unique():
    """All shipped examples load, and no two segments share an id."""
    bundled = sorted(agendas_dir().glob("*.yaml"))
    assert len(bundled) >= 2
    for path in bundled:
        agenda = load_agenda(path)
        ids = [s.id for s in agenda.segments]
        assert len(set(ids)) == len(ids)
        assert [s.index for s in agenda.segments] == list(range(len(agenda.segments)))


def test_unquoted_clock_values_and_yes_no_stay_text():
    """``15:00``, ``no`` and ``010`` are not turned into 900, False and 8 by YAML 1.1 rules."""
    agenda = _load(SMALL.replace("title: Talk", "title: no\n    speaker: 010\n    sounds: no"))
    seg = agenda.segments[0]
    assert (seg.title, seg.speaker, seg.sounds) == ("no", "010", False)
    assert agenda.event.start_s == 9 * 3600


def test_defaults_are_inherited_and_overridden_per_segment():
    """A segment without its own settings takes the defaults; its own settings win."""
    text = SMALL.replace(
        "programme:",
        "defaults:\n  wrapup: 2m\n  danger: 20s\n  end_action: advance\n  sounds: off\n"
        "  standby: 45s\nprogramme:",
    ).replace(
        "duration: 1h",
        "duration: 30m\n    cue: lights\n  - title: B\n    duration: 30m\n"
        "    wrapup: 1m\n    end_action: hold\n    sounds: yes",
    )
    first, second = _load(text).segments
    assert (first.wrapup_s, first.danger_s, first.end_action, first.sounds) == (
        120,
        20,
        EndAction.ADVANCE,
        False,
    )
    assert first.cue is not None and first.cue.standby_s == 45
    assert (second.wrapup_s, second.end_action, second.sounds) == (60, EndAction.HOLD, True)


def test_derived_ids_are_unique_even_for_equal_titles():
    """Two segments with one title get different ids, and never one written explicitly."""
    text = SMALL.replace(
        "duration: 1h",
        "duration: 20m\n  - title: Talk\n    duration: 20m\n  - id: talk-1\n    title: X\n"
        "    duration: 20m",
    )
    ids = [s.id for s in _load(text).segments]
    assert len(set(ids)) == 3 and "talk-1" in ids


def test_cue_command_as_string_is_split_like_a_shell():
    """``command: 'vlc "my clip.mp4"'`` becomes argv without running a shell."""
    text = SMALL.replace(
        "duration: 1h",
        "duration: 1h\n    cue:\n      text: roll\n      command: 'vlc \"my clip.mp4\"'",
    )
    cue = _load(text).segments[0].cue
    assert cue is not None and cue.command == ("vlc", "my clip.mp4")


def test_video_path_resolves_next_to_the_agenda_and_missing_file_only_warns(tmp_path):
    """A relative video path is stored absolute; a missing file is a warning, not an error."""
    (tmp_path / "clips").mkdir()
    text = SMALL.replace(
        "duration: 1h", "duration: 1h\n    kind: video\n    video: clips/intro.mp4"
    )
    agenda = _load(text, folder=tmp_path)
    assert agenda.segments[0].video == (tmp_path / "clips" / "intro.mp4").resolve()
    warnings = agenda_warnings(agenda)
    assert [w.severity for w in warnings] == [Severity.WARNING]
    assert "video file not found" in warnings[0].message
    (tmp_path / "clips" / "intro.mp4").write_bytes(b"x")
    assert agenda_warnings(agenda) == []


def test_a_utf8_bom_is_accepted():
    """Files saved by Windows editors with a byte-order mark load normally."""
    agenda = load_agenda_bytes(b"\xef\xbb\xbf" + SMALL.encode(), Path("bom.yaml"))
    assert agenda.event.title == "Small show"


def test_all_problems_are_reported_at_once():
    """One run lists every error in file order, so the user fixes them all in one go."""
    text = SMALL.replace("end: 10:00", "end: 25:00").replace(
        "duration: 1h", "duration: 5 mins\n    speeker: X\n  - title: B\n    duration: -1m"
    )
    with pytest.raises(AgendaError) as caught:
        _load(text)
    problems = caught.value.problems
    assert len(problems) == 4
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert str(caught.value) == "\n".join(p.format() for p in problems)


def test_problem_format_is_path_line_col_severity_message_and_hint():
    """Problems print in the compiler style editors can jump to."""
    problem = Problem(Path("a.yaml"), 3, 7, Severity.ERROR, "bad", "fix it")
    assert problem.format() == "a.yaml:3:7: error: bad\n  hint: fix it"
    assert Problem(Path("a.yaml"), 0, 0, Severity.WARNING, "whole file").format() == (
        "a.yaml: warning: whole file"
    )


def test_file_size_is_capped_at_one_mebibyte():
    """A file over 1 MiB is refused before parsing; one just at the cap still loads."""
    padding = MAX_BYTES - len(SMALL.encode()) - 2
    at_cap = SMALL.encode() + b"#" + b"x" * padding + b"\n"
    assert len(at_cap) == MAX_BYTES
    assert load_agenda_bytes(at_cap, Path("big.yaml")).event.title == "Small show"
    with pytest.raises(AgendaError) as caught:
        load_agenda_bytes(at_cap + b"\n", Path("big.yaml"))
    assert "an agenda may be at most 1,048,576" in str(caught.value)


def test_missing_file_and_directory_are_clear_errors(tmp_path):
    """Naming a file that is not there, or a folder, gives one clear error, no traceback."""
    with pytest.raises(AgendaError, match="no such file"):
        load_agenda(tmp_path / "nope.yaml")
    with pytest.raises(AgendaError, match="is a folder, not an agenda file"):
        load_agenda(tmp_path)


def test_unreadable_file_is_a_clear_error(tmp_path, monkeypatch):
    """A file we may not read is reported as such (simulated: tests may run as root)."""
    target = tmp_path / "locked.yaml"
    target.write_text(SMALL)

    def refuse(path, *_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(agenda_file.os, "open", refuse)
    with pytest.raises(AgendaError, match="permission denied"):
        load_agenda(target)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (MemoryError(), "the YAML could not be read"),
        (UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed"), "could not be read"),
    ],
)
def test_parser_failures_of_any_kind_become_problems(monkeypatch, failure, message):
    """Whatever the YAML library raises, the user gets a Problem and not a traceback."""
    from runofshow.core import yamlsource

    class FailingParser:
        def __init__(self, text: str) -> None:
            pass

        def get_event(self) -> None:
            raise failure

        def dispose(self) -> None:
            pass

    monkeypatch.setattr(yamlsource, "_Parser", FailingParser)
    with pytest.raises(AgendaError, match=message):
        _load(SMALL)


def test_the_documented_example_loads():
    """The complete example in docs/agenda-format.md is a valid agenda."""
    doc = (Path(__file__).parents[2] / "docs" / "agenda-format.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    agenda = load_agenda_bytes(example.encode(), Path("docs/example.yaml"))
    kinds = [s.kind for s in agenda.segments]
    assert kinds == [Kind.TALK, Kind.BREAK, Kind.TALK, Kind.QA, Kind.VIDEO]
    assert agenda.segments[1].fixed_start_s == 10 * 3600 + 5 * 60
    assert agenda.segments[1].min_s == 15 * 60 and agenda.segments[4].fixed
    assert agenda.segments[2].tied_next and agenda.segments[3].limit_s == 300  # the group's
