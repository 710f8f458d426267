"""Fixtures for the core's tests: the seed show's shape built in code and a fake clock."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/tools.py (need("ffmpeg")), also when core-only.ini stops pytest from reading the
# conftest.py in tests/ (its folder is the conftest boundary then).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from show_builders import SEED_ROWS, at, make_agenda

from runofshow.core.agenda import Agenda
from runofshow.core.clock import FakeClock
from runofshow.core.journal import ShowStore


@pytest.fixture
def seed_like() -> Agenda:
    """The seed show's shape: 14 segments, 15:00-16:00, four pitches of 4:30 with 5:00 limits."""
    return make_agenda(SEED_ROWS, groups=[("Programme 1", 3, 8), ("Programme 2", 9, 13)])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ShowStore]:
    """A fresh journal store in a temporary state folder."""
    with ShowStore(tmp_path / "state") as opened:
        yield opened


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock standing at 14:59:00 on the show day."""
    return FakeClock(wall=at("14:59:00"), mono=10_000.0)
