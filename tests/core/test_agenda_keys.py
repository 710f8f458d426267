"""The keys that make the format fit real programmes (issue 18): ``at:``, group defaults,
short segments, ``min:``/``fixed:``, ``mode: roll``, ``then:`` and events past midnight.
Each key loads into the model as documented and each of its mistakes is an error at its line
with a hint (never a traceback, never a half-loaded show)."""

from __future__ import annotations

from pathlib import Path

import pytest

from runofshow.core.agenda import DAY_S, EndAction, Kind
from runofshow.core.loader import agenda_notes, agenda_warnings, load_agenda_bytes
from runofshow.core.problems import AgendaError, Problem, Severity
from runofshow.core.timeline import planned_end, planned_starts

HEAD = """\
event:
  title: Demo day
  date: 2025-05-14
  start: 9:00
  end: 13:00
programme:
"""


def _load(programme: str, head: str = HEAD):
    return load_agenda_bytes((head + programme).encode(), Path("/shows/demo.yaml"))


def _errors(programme: str, head: str = HEAD) -> list[Problem]:
    with pytest.raises(AgendaError) as caught:
        _load(programme, head)
    problems = caught.value.problems
    assert all(p.severity is Severity.ERROR and p.hint for p in problems)
    return problems


def _one_error(programme: str, head: str = HEAD) -> Problem:
    problems = _errors(programme, head)
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


# -- at: ---------------------------------------------------------------------------------------


def test_at_pins_a_start_and_start_still_works_as_its_older_spelling():
    """``at: 12:30`` and ``start: 12:30`` are the same fixed start; lunch waits for it."""
    for key in ("at", "start"):
        agenda = _load(
            f"  - title: Talk\n    duration: 3h\n  - title: Lunch\n    {key}: 12:30\n"
            "    duration: 30m\n"
        )
        assert agenda.segments[1].fixed_start_s == 12 * 3600 + 30 * 60
        assert planned_starts(agenda)[1] == 12 * 3600 + 30 * 60


def test_at_and_start_together_is_an_error_at_start():
    problem = _one_error("  - title: Lunch\n    duration: 30m\n    at: 12:30\n    start: 12:30\n")
    assert (problem.line, problem.col) == (10, 12)
    assert "given twice, as at: and as start:" in problem.message
    assert "keep at:" in (problem.hint or "")


def test_an_unreachable_at_is_reported_at_the_at_key():
    """The existing fixed-start rule speaks of ``at`` when that is what was written."""
    problem = _one_error(
        "  - title: Talk\n    duration: 1h\n  - title: Panel\n    at: 9:15\n    duration: 30m\n"
    )
    assert (problem.line, problem.col) == (10, 9)
    assert 'segment 2 "Panel", at: fixed start 09:15:00 is before segment 1' in problem.message


def test_a_bad_at_value_names_the_time_format():
    problem = _one_error("  - title: Lunch\n    duration: 30m\n    at: noon\n")
    assert "at: 'noon' is not a time of day" in problem.message


# -- group defaults --------------------------------------------------------------------------

PITCHES = """\
  - group: Pitches
    kind: pitch
    limit: 5m
    wrapup: 1m
    danger: 20s
    speaker: Founder
    end_action: advance
    segments:
      - title: Acme
        duration: 4m30s
      - title: Q&A
        kind: qa
        speaker: Jury
        duration: 3m
        limit: 3m
        end_action: hold
"""


def test_a_group_sets_limit_wrapup_danger_kind_speaker_and_end_action_for_its_segments():
    """Written once on the group, each pitch inherits them; a segment's own value wins."""
    pitch, qa = _load(PITCHES).segments
    assert (pitch.kind, pitch.limit_s, pitch.wrapup_s, pitch.danger_s) == (Kind.PITCH, 300, 60, 20)
    assert (pitch.speaker, pitch.end_action) == ("Founder", EndAction.ADVANCE)
    assert (qa.kind, qa.speaker, qa.limit_s, qa.end_action) == (
        Kind.QA,
        "Jury",
        180,
        EndAction.HOLD,
    )
    assert (qa.wrapup_s, qa.danger_s) == (60, 20)


def test_segments_outside_the_group_keep_the_agenda_defaults():
    agenda = _load(PITCHES + "  - title: Lunch\n    duration: 30m\n")
    lunch = agenda.segments[2]
    assert (lunch.kind, lunch.limit_s, lunch.speaker, lunch.wrapup_s) == (Kind.TALK, None, None, 60)


@pytest.mark.parametrize(
    ("change", "line", "col", "text"),
    [
        ("kind: pitch", 8, 11, "'pich' is not one of"),
        ("limit: 5m", 9, 12, "'5 mins' is not a duration"),
        ("danger: 20s", 11, 13, "1:00 must be shorter than the wrap-up threshold 1:00"),
        ("limit: 5m", 9, 12, "0:30 is shorter than the group's wrap-up threshold 1:00"),
        ("speaker: Founder", 12, 14, "speaker: has a line break"),
        ("end_action: advance", 13, 17, "'stop' is not one of: hold, advance"),
    ],
)
def test_each_group_default_reports_its_own_mistake(change, line, col, text):
    """A wrong group default is one error at the group's key (not one per segment)."""
    replacement = {
        "'pich'": "kind: pich",
        "'5 mins'": "limit: 5 mins",
        "1:00 must": "danger: 1m",
        "0:30 is": "limit: 30s",
        "line break": 'speaker: "Founder\\nand co"',
        "'stop'": "end_action: stop",
    }
    key = next(k for k in replacement if k in text)
    problem = _one_error(PITCHES.replace(change, replacement[key]))
    assert text in problem.message
    assert (problem.line, problem.col) == (line, col)
    assert problem.message.startswith('group 1 "Pitches"')


def test_a_misspelt_group_default_suggests_the_key():
    problem = _one_error(PITCHES.replace("wrapup: 1m", "wrap_up: 1m"))
    assert "unknown key 'wrap_up'" in problem.message and "did you mean 'wrapup'" in problem.hint


# -- short segments --------------------------------------------------------------------------


def test_a_segment_shorter_than_the_default_wrapup_shrinks_it_with_a_note():
    """A 30-second sponsor clip under a 1-minute default wrap-up loads: wrap-up 0:15, danger
    0:07, and ``check`` notes it (not a warning: --strict still passes)."""
    agenda = _load("  - title: Sponsor clip\n    kind: video\n    duration: 30s\n")
    clip = agenda.segments[0]
    assert (clip.wrapup_s, clip.danger_s, clip.thresholds_fitted) == (15, 7, True)
    (note,) = agenda_notes(agenda)
    assert note.severity is Severity.NOTE and (note.line, note.col) == (7, 5)
    assert (
        "counts down only 0:30" in note.message and "wrap-up 0:15 and danger 0:07" in note.message
    )
    assert all(w.severity is Severity.WARNING for w in agenda_warnings(agenda))


def test_a_group_wrapup_shrinks_for_its_short_member_too():
    agenda = _load(
        PITCHES.replace("duration: 3m\n        limit: 3m", "duration: 40s\n        limit: 40s")
    )
    qa = agenda.segments[1]
    assert (qa.wrapup_s, qa.danger_s, qa.thresholds_fitted) == (20, 10, True)


def test_an_explicit_wrapup_that_does_not_fit_is_still_an_error():
    problem = _one_error("  - title: Talk\n    duration: 1h\n    limit: 45s\n    wrapup: 1m\n")
    assert "limit: 0:45 is shorter than the wrap-up threshold 1:00" in problem.message


def test_an_explicit_wrapup_longer_than_the_groups_limit_is_an_error_at_wrapup():
    problem = _one_error(
        PITCHES.replace("      - title: Acme\n", "      - title: Acme\n        wrapup: 6m\n")
    )
    assert (problem.line, problem.col) == (16, 17)
    assert "wrapup: 6:00 is longer than the countdown 5:00 (the limit its group gives it)" in (
        problem.message
    )


def test_an_explicit_danger_against_a_shrunk_wrapup_says_why():
    problem = _one_error("  - title: Clip\n    duration: 40s\n    danger: 20s\n")
    assert "danger: 0:20 must be shorter than the wrap-up threshold 0:20" in problem.message
    assert "shrunk to fit this short segment" in problem.message


def test_an_explicit_wrapup_takes_an_inherited_danger_down_with_it():
    """``wrapup: 20s`` under the default danger of 0:30: the danger shrinks to 0:10."""
    talk = _load("  - title: Talk\n    duration: 10m\n    wrapup: 20s\n").segments[0]
    assert (talk.wrapup_s, talk.danger_s, talk.thresholds_fitted) == (20, 10, True)


# -- min: and fixed: -------------------------------------------------------------------------


def test_min_and_fixed_say_how_far_a_segment_can_give():
    agenda = _load(
        "  - title: Panel\n    duration: 45m\n    min: 30m\n"
        "  - title: Lunch\n    duration: 1h\n    fixed: true\n"
    )
    panel, lunch = agenda.segments
    assert (panel.min_s, panel.fixed) == (1800, False)
    assert (lunch.min_s, lunch.fixed) == (None, True)


@pytest.mark.parametrize(
    ("extra", "line", "col", "text"),
    [
        ("min: 50m", 9, 10, "min: 50:00 is longer than the slot 45:00"),
        ("min: 0s", 9, 10, "min: '0s' is zero"),
        ("min: 10 mins", 9, 10, "write 10m, not '10 mins'"),
        ("fixed: maybe", 9, 12, "fixed: 'maybe' is not on or off"),
        ("fixed: yes\n    min: 30m", 10, 10, "a fixed segment has no minimum"),
    ],
)
def test_min_and_fixed_mistakes(extra, line, col, text):
    problem = _one_error(f"  - title: Panel\n    duration: 45m\n    {extra}\n")
    assert text in problem.format()
    assert (problem.line, problem.col) == (line, col)


# -- mode: roll ------------------------------------------------------------------------------


def test_mode_roll_on_the_event_rolls_every_segment_and_a_group_can_say_manual():
    head = HEAD.replace("  end: 13:00\n", "  end: 13:00\n  mode: roll\n")
    agenda = _load(
        PITCHES.replace("    kind: pitch\n", "    kind: pitch\n    mode: manual\n")
        + "  - title: Lunch\n    duration: 30m\n",
        head,
    )
    assert agenda.event.roll
    assert [s.roll for s in agenda.segments] == [False, False, True]
    assert agenda.groups[0].roll is False and agenda.rolls


def test_a_group_can_roll_in_a_manual_event():
    agenda = _load(
        PITCHES.replace("    kind: pitch\n", "    kind: pitch\n    mode: roll\n")
        + "  - title: Lunch\n    duration: 30m\n"
    )
    assert [s.roll for s in agenda.segments] == [True, True, False]


@pytest.mark.parametrize("where", ["event", "group"])
def test_a_misspelt_mode_suggests_roll(where):
    if where == "event":
        problem = _one_error(PITCHES, HEAD.replace("  end: 13:00\n", "  end: 13:00\n  mode: rol\n"))
    else:
        problem = _one_error(
            PITCHES.replace("    kind: pitch\n", "    kind: pitch\n    mode: rol\n")
        )
    assert "mode: 'rol' is not one of: manual, roll" in problem.message
    assert "did you mean 'roll'?" in (problem.hint or "")


def test_mode_is_not_a_segment_key():
    problem = _one_error("  - title: Talk\n    duration: 1h\n    mode: roll\n")
    assert "unknown key 'mode'" in problem.message


# -- then: -----------------------------------------------------------------------------------

PAIR = """\
  - id: pitch-1
    title: Acme
    duration: 5m
    then: qa-1
  - id: qa-1
    title: Q&A
    kind: qa
    duration: 3m
  - id: pitch-2
    title: Bolt
    duration: 5m
"""


def test_then_ties_a_pitch_to_the_qa_right_after_it():
    agenda = _load(PAIR)
    pitch, qa, bolt = agenda.segments
    assert pitch.tied_next and not qa.tied_next
    assert agenda.tied_to_previous(qa) and not agenda.tied_to_previous(bolt)


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            PAIR.replace("then: qa-1", "then: pitch-2"),
            "'pitch-2' is not the segment right after",
            'move segment 3 "Bolt" right after this one',
        ),
        (
            PAIR.replace("then: qa-1", "then: qa-9"),
            "'qa-9' is not the segment right after",
            "no segment has the id 'qa-9'; the segment after this one has the id 'qa-1'",
        ),
        (
            PAIR.replace("then: qa-1", "then: pitch-1"),
            "'pitch-1' is not the segment right after",
            "not to itself",
        ),
        (
            PAIR.replace("    duration: 3m\n", "    duration: 3m\n    then: pitch-2\n"),
            "'qa-1' is tied to the segment after it as well",
            "tie the pitch to its Q&A only",
        ),
        (
            PAIR + "    then: nothing\n",
            "'nothing' is not the segment right after",
            "no segment has the id 'nothing'",
        ),
    ],
)
def test_then_mistakes_are_errors_at_the_then(text, message, hint):
    problem = _one_error(text)
    assert message in problem.message and hint in (problem.hint or "")
    assert problem.line in (10, 17, 18) and problem.col == 11


def test_a_pair_cannot_straddle_groups():
    text = (
        "  - group: Pitches\n    segments:\n      - title: Acme\n        duration: 5m\n"
        "        then: qa-1\n  - id: qa-1\n    title: Q&A\n    duration: 3m\n"
    )
    problem = _one_error(text)
    assert "'qa-1' is in another group; a pair stays in one group" in problem.message
    assert (problem.line, problem.col) == (11, 15)


# -- events past midnight ----------------------------------------------------------------------

NIGHT = """\
event:
  title: Night
  date: 2025-12-31
  start: 22:00
  end: 2:00
programme:
  - title: Countdown party
    duration: 2h
  - title: Fireworks
    at: 0:30
    duration: 30m
  - title: After party
    duration: 1h
"""


def test_an_end_earlier_than_the_start_is_the_next_day_and_at_follows_it():
    """22:00-02:00: the end and a fixed start after midnight are the next day's."""
    agenda = load_agenda_bytes(NIGHT.encode(), Path("night.yaml"))
    assert agenda.event.end_s == DAY_S + 2 * 3600 and agenda.event.crosses_midnight
    assert agenda.segments[1].fixed_start_s == DAY_S + 1800
    assert planned_end(agenda) == DAY_S + 2 * 3600
    assert not [w for w in agenda_warnings(agenda) if "declared end" in w.message]


def test_an_event_may_end_at_24_00():
    head = NIGHT.split("programme:")[0].replace("end: 2:00", "end: 24:00")
    agenda = _load(
        "  - title: Party\n    duration: 1h30m\n  - title: Toast\n    duration: 30m\n",
        head + "programme:\n",
    )
    assert agenda.event.end_s == DAY_S and not agenda.event.crosses_midnight
    assert planned_end(agenda) == DAY_S
    assert agenda_warnings(agenda) == []


@pytest.mark.parametrize(
    ("end", "text"),
    [("22:00", "the event ends at the time it starts"), ("24:30", "'24:30' is not a time of day")],
)
def test_impossible_ends(end, text):
    problem = _one_error(
        "  - title: Party\n    duration: 2h\n",
        NIGHT.split("programme:")[0].replace("end: 2:00", f"end: {end}") + "programme:\n",
    )
    assert text in problem.message and (problem.line, problem.col) == (5, 8)


def test_an_at_before_the_start_outside_the_night_is_still_an_error():
    """In a 22:00-02:00 night, 08:00 is neither after the start nor before the end."""
    problem = _one_error(
        "  - title: Party\n    duration: 1h\n"
        "  - title: Breakfast\n    at: 8:00\n    duration: 1h\n",
        NIGHT.split("programme:")[0] + "programme:\n",
    )
    assert "fixed start 08:00:00 is before the event starts (22:00:00)" in problem.message
    assert "up to the event's end (02:00:00 +1) is the next day's" in (problem.hint or "")


def test_a_night_programme_is_still_at_most_a_day():
    problem = _one_error(
        "  - title: Party\n    duration: 24h\n  - title: More\n    duration: 1m\n",
        NIGHT.split("programme:")[0] + "programme:\n",
    )
    assert "more than a day" in problem.message
