"""Consent to cue commands: what an agenda would run, approvals remembered by the commands'
content (a changed command asks again), kept in the state folder as plain JSON written whole,
and a damaged or foreign approvals file approving nothing."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest
from show_builders import SEED_ROWS, make_agenda

from runofshow.core.agenda import Agenda, Cue
from runofshow.core.consent import (
    APPROVALS_NAME,
    CommandConsent,
    agenda_commands,
    commands_digest,
)


def with_cues(agenda: Agenda, cues: dict[int, Cue]) -> Agenda:
    segments = list(agenda.segments)
    for index, cue in cues.items():
        segments[index] = dataclasses.replace(segments[index], cue=cue)
    return dataclasses.replace(agenda, segments=tuple(segments))


@pytest.fixture
def show() -> Agenda:
    """The seed's shape with two commands: the video's player (detached) and a lights cue."""
    agenda = make_agenda([dict(row) for row in SEED_ROWS])
    return with_cues(
        agenda,
        {
            8: Cue("roll it", 30, ("vlc", "--fullscreen", "clip.mp4"), 20, detach=True),
            10: Cue("lights", 30, ("lights", "--scene", "awards"), 5),
        },
    )


def test_the_list_names_segment_program_arguments_timeout_and_detach(show):
    listed = [(c.number, c.title, c.argv, c.timeout_s, c.detach) for c in agenda_commands(show)]
    assert listed == [
        (9, "Video", ("vlc", "--fullscreen", "clip.mp4"), 20, True),
        (11, "Awards", ("lights", "--scene", "awards"), 5, False),
    ]


def test_an_approval_is_kept_in_the_state_folder_for_the_next_start(show, tmp_path):
    assert not CommandConsent(tmp_path).approved(show)
    assert CommandConsent(tmp_path).approve(show)
    assert CommandConsent(tmp_path).approved(show)
    stored = json.loads((tmp_path / APPROVALS_NAME).read_text(encoding="utf-8"))
    assert list(stored["approved"]) == [commands_digest(show)]
    assert [p.name for p in tmp_path.iterdir()] == [APPROVALS_NAME]  # no temporary left


def test_a_changed_command_asks_again_other_edits_do_not(show, tmp_path):
    """Consent is for the commands as they were shown: a changed argument, timeout or detach
    is a new question; a retitled or retimed segment is not."""
    consent = CommandConsent(tmp_path)
    consent.approve(show)
    retitled = dataclasses.replace(
        show,
        segments=tuple(dataclasses.replace(s, title=s.title + "!") for s in show.segments),
    )
    assert consent.approved(retitled)
    video = show.segments[8].cue
    for change in ({"command": ("vlc", "other.mp4")}, {"timeout_s": 21}, {"detach": False}):
        edited = with_cues(show, {8: dataclasses.replace(video, **change)})
        assert not CommandConsent(tmp_path).approved(edited), change


def test_an_agenda_without_commands_needs_no_consent(tmp_path):
    assert CommandConsent(tmp_path).approved(make_agenda([dict(row) for row in SEED_ROWS]))


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b'{"format": "something-else", "version": 1, "approved": {}}',
        b'__import__("os").system("touch PWNED")',
        b"[" * 100_000,  # nested past Python's recursion limit: a RecursionError, not a ValueError
        b'{"format": "runofshow-approved-commands", "version": 1, "approved": {"x": {}}}',
    ],
)
def test_a_damaged_or_foreign_approvals_file_approves_nothing_and_is_kept(
    show, tmp_path, caplog, content
):
    """Whatever is in the file, it is only ever parsed as JSON: nothing in it runs, nothing is
    approved by it (said in the log), and approving again keeps it aside, not overwritten."""
    path = tmp_path / APPROVALS_NAME
    digest = commands_digest(show)
    if b"approved" in content and b"something-else" in content:
        content = content.replace(b"{}}", f'{{"{digest}": {{}}}}}}'.encode())
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="runofshow.core.consent"):
        assert not CommandConsent(tmp_path).approved(show)
    assert str(path) in caplog.text
    assert not (Path.cwd() / "PWNED").exists() and not (tmp_path / "PWNED").exists()
    assert CommandConsent(tmp_path).approve(show)
    assert CommandConsent(tmp_path).approved(show)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(f"{APPROVALS_NAME}.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == content


def test_an_approval_that_cannot_be_saved_holds_for_this_run(show, tmp_path):
    """The state folder is a file's child (cannot exist): the operator's "Allow" still counts
    until the app quits, and approve() says it was not kept."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    consent = CommandConsent(blocker / "state")
    assert consent.approve(show) is False
    assert consent.approved(show)
    assert not CommandConsent(blocker / "state").approved(show)
