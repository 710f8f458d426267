"""Timeline warnings: what is odd about a plan but does not stop the show."""

from __future__ import annotations

from pathlib import Path

from runofshow.core.loader import load_agenda_bytes
from runofshow.core.problems import Severity
from runofshow.core.timeline import timeline_warnings

HEAD = """\
event:
  title: Show
  date: 2025-05-14
  start: 9:00
  end: 10:00
programme:
"""


def _warnings(body: str, head: str = HEAD) -> list[str]:
    agenda = load_agenda_bytes((head + body).encode(), Path("w.yaml"))
    problems = timeline_warnings(agenda)
    assert all(p.severity is Severity.WARNING for p in problems)
    return [p.format() for p in problems]


def test_a_plan_that_fits_exactly_has_no_warnings():
    """Slots that fill the event from start to end raise nothing."""
    assert _warnings("  - title: A\n    duration: 1h\n") == []


def test_a_programme_running_past_the_declared_end_is_warned_about():
    """Slots longer than the event say by how much, at the event's line."""
    (warning,) = _warnings("  - title: A\n    duration: 1h5m\n")
    assert warning.startswith("w.yaml:1:1: warning: ")
    assert "10:05:00, 5:00 after the event's declared end 10:00:00" in warning


def test_a_programme_ending_early_is_warned_about():
    """Unplanned time at the end of the event is pointed out."""
    (warning,) = _warnings("  - title: A\n    duration: 50m\n")
    assert "10:00 before the event's declared end" in warning


def test_a_gap_before_a_fixed_start_is_warned_about():
    """A fixed start later than the previous end leaves idle time; its length is named."""
    body = "  - title: A\n    duration: 20m\n  - title: B\n    start: 9:30\n    duration: 30m\n"
    (warning,) = _warnings(body)
    assert warning.startswith("w.yaml:9:5: warning: ")
    assert 'segment 2 "B": a gap of 10:00 before its fixed start 09:30:00' in warning


def test_a_fixed_start_the_plan_overruns_is_warned_about():
    """When earlier slots run past a fixed start (but no anchor makes it impossible), warn."""
    body = (
        "  - title: A\n    duration: 20m\n  - title: B\n    duration: 20m\n"
        "  - title: C\n    start: 9:30\n    duration: 20m\n"
    )
    warnings = _warnings(body)
    assert any('segment 3 "C": fixed start 09:30:00 cannot be met' in w for w in warnings)
    assert any("10:00 late" in w for w in warnings)


def test_a_limit_longer_than_its_slot_is_warned_about():
    """A speaker allowed past their slot makes the show late by the difference."""
    body = "  - title: A\n    duration: 55m\n    limit: 1h\n  - title: B\n    duration: 5m\n"
    (warning,) = _warnings(body)
    assert "limit 1:00:00 is longer than its slot 55:00" in warning
    assert "runs 5:00 late" in warning


def test_a_group_off_its_target_is_warned_about():
    """A group whose segments do not add up to its target says both numbers."""
    body = "  - group: G\n    target: 30m\n    segments:\n      - title: A\n        duration: 1h\n"
    (warning,) = _warnings(body)
    assert 'group 1 "G": its segments add up to 1:00:00, not its target 30:00' in warning
