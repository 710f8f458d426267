"""What the loader accepts is safe to run, and what it refuses is said where and how to fix.

Accepted values are bounded (no slot longer than a day, no date the clock code cannot handle),
YAML's null means "no value", one-line fields hold one line, and a broken or odd file (a FIFO,
a device, UTF-16 without a byte-order mark, 20,000 errors) gets a short, positioned answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from runofshow.core.loader import load_agenda_bytes
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
