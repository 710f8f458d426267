"""Every broken agenda in ``corpus/`` must fail to load with the right message at the right place.

Each row: the file, the line and column the problem must point at, and a piece of text the
formatted problem (message or hint) must contain. A problem found elsewhere, or a traceback,
fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from runofshow.core.loader import load_agenda
from runofshow.core.problems import AgendaError, Severity

CORPUS = Path(__file__).parent / "corpus"

EXPECTED: list[tuple[str, int, int, str]] = [
    ("syntax-unquoted-colon.yaml", 7, 17, "mapping values are not allowed"),
    ("syntax-unclosed-quote.yaml", 9, 1, "quoted scalar that began at line 7"),
    ("tab-indentation.yaml", 8, 1, "line 8 is indented with a tab"),
    ("bad-utf8-cp949.yaml", 9, 14, "byte 0xbb is not valid UTF-8"),
    ("nul-byte.yaml", 7, 14, "contains a NUL byte"),
    ("control-character.yaml", 7, 16, "control character U+0007"),
    ("utf16.yaml", 1, 1, "UTF-16"),
    ("empty.yaml", 1, 1, "the file is empty"),
    ("comments-only.yaml", 1, 1, "the file is empty"),
    (
        "top-level-list.yaml",
        1,
        1,
        "must be a mapping of event:, defaults: and programme:, not a list",
    ),
    ("top-level-string.yaml", 1, 1, "not a single value"),
    ("two-documents.yaml", 9, 1, "more than one YAML document"),
    ("duplicate-key.yaml", 9, 5, "duplicate key 'duration' (first given at line 8)"),
    ("unknown-key-speeker.yaml", 9, 5, "did you mean 'speaker'?"),
    ("unknown-top-key.yaml", 6, 1, "did you mean 'programme'?"),
    ("group-unknown-key.yaml", 8, 5, "written as `group: <title>`"),
    ("anchor.yaml", 7, 12, "anchor &t is not allowed"),
    ("alias.yaml", 3, 13, "alias *name is not allowed"),
    ("python-tag.yaml", 7, 12, "explicit tag !!python/object/apply:os.system is not allowed"),
    ("str-tag.yaml", 7, 12, "explicit tag !!str is not allowed"),
    ("deep-nesting.yaml", 9, 29, "nested more than 20 levels"),
    ("negative-duration.yaml", 8, 15, "segment 1 \"Talk\", duration: '-5m' is negative"),
    ("zero-duration.yaml", 8, 15, "segment 1 \"Talk\", duration: '0m' is zero"),
    ("five-mins.yaml", 8, 15, "write 5m, not '5 mins'"),
    ("bare-number.yaml", 8, 15, "a bare number has no unit: write 300s or 300m"),
    ("time-25.yaml", 5, 8, "event, end: '25:00' is not a time of day"),
    ("bad-date.yaml", 3, 9, "'14.05.2025' is not a date"),
    ("bad-timezone.yaml", 6, 13, "'Europe/Berlni' is not a known time zone"),
    ("end-equals-start.yaml", 5, 8, "the event ends at the time it starts"),
    (
        "limit-below-wrapup.yaml",
        9,
        12,
        'segment 1 "Talk", limit: 0:45 is shorter than the wrap-up threshold 1:00',
    ),
    (
        "danger-not-below-wrapup.yaml",
        10,
        13,
        'segment 1 "Talk", danger: 1:00 must be shorter than the wrap-up threshold 1:00',
    ),
    ("defaults-danger-above-wrapup.yaml", 8, 11, "defaults, danger: 0:45 must be shorter"),
    (
        "fixed-start-before-previous.yaml",
        11,
        12,
        'segment 2 "Panel", start: fixed start 09:15:00 is before segment 1 "Talk" can end',
    ),
    ("fixed-start-before-event.yaml", 9, 12, "is before the event starts (09:00:00)"),
    ("missing-title.yaml", 7, 5, 'segment 1 is missing "title"'),
    ("missing-event.yaml", 1, 1, 'the agenda is missing "event"'),
    ("empty-programme.yaml", 6, 12, "programme is empty"),
    ("programme-not-a-list.yaml", 6, 12, "programme should be a list"),
    ("programme-item-text.yaml", 7, 5, "must be a segment or a group"),
    ("title-is-mapping.yaml", 8, 7, "title should be text, not a mapping"),
    ("title-empty.yaml", 7, 11, "title has no value"),
    ("bad-kind.yaml", 9, 11, "did you mean 'pitch'?"),
    ("bad-end-action.yaml", 9, 17, "'stop' is not one of: hold, advance"),
    ("bad-sounds.yaml", 9, 13, "'loud' is not on or off"),
    ("nested-group.yaml", 9, 16, "groups do not nest"),
    ("group-without-segments.yaml", 8, 15, 'group 1 "Morning", segments is empty'),
    ("duplicate-id.yaml", 12, 9, "'talk' is already the id of segment 1"),
    ("bad-id.yaml", 9, 9, "'my talk' is not a usable id"),
    ("cue-without-text.yaml", 10, 7, 'segment 1 "Talk" cue is missing "text"'),
    ("cue-command-unclosed-quote.yaml", 11, 16, "cannot split the command"),
    ("at-and-start.yaml", 10, 12, "the fixed start is given twice, as at: and as start:"),
    ("min-above-duration.yaml", 9, 10, 'segment 1 "Panel", min: 45:00 is longer than the slot'),
    ("then-not-next.yaml", 10, 11, "then: 'qa' is not the segment right after this one"),
    ("group-danger-above-wrapup.yaml", 9, 13, 'group 1 "Pitches", danger: 0:45 must be shorter'),
    ("bad-mode.yaml", 6, 9, "event, mode: 'rolling' is not one of: manual, roll"),
]


def _problems_of(name: str) -> list:
    with pytest.raises(AgendaError) as caught:
        load_agenda(CORPUS / name)
    return caught.value.problems


@pytest.mark.parametrize(("name", "line", "col", "text"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_broken_agenda_reports_the_problem_at_its_position(name, line, col, text):
    """A broken agenda is refused with the expected message at the expected line:col."""
    problems = _problems_of(name)
    matching = [p for p in problems if text in p.format()]
    assert matching, "\n".join(p.format() for p in problems)
    assert (matching[0].line, matching[0].col) == (line, col), matching[0].format()
    assert matching[0].severity is Severity.ERROR
    assert matching[0].format().startswith(f"{CORPUS / name}:{line}:{col}: error: ")


def test_every_corpus_file_has_an_expectation():
    """No file in the corpus goes unchecked, and no expectation names a missing file."""
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file()}
    assert on_disk == {e[0] for e in EXPECTED}
    assert len(on_disk) >= 30


@pytest.mark.parametrize("name", [e[0] for e in EXPECTED])
def test_every_error_carries_a_hint(name):
    """Each reported error tells the user how to fix it, not only what is wrong."""
    assert all(p.hint for p in _problems_of(name))
