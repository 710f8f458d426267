"""Shared by the two-machine tests: every runofshow process a test starts is closed at its
end, whatever happens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from peer_proc import Machine


@pytest.fixture
def machines() -> Iterator[list[Machine]]:
    """Every process a test starts, killed and reaped at the end whatever happens."""
    started: list[Machine] = []
    yield started
    for machine in started:
        machine.close()
