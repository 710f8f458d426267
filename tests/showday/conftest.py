"""Fixtures for the show-day tests: a fresh stage laptop (two monitors, openbox, PulseAudio,
a fresh profile) per test, and the bundled agenda copied where the test owns it.

The rig needs Debian's Xorg dummy driver, xrandr, openbox, xdotool, xprop, pulseaudio and
parec, and root (Xorg reads a config file of the test's own). Without them the tests are
skipped with the missing tools named (``tests/tools.need``), and ``RUNOFSHOW_REQUIRE_TOOLS=1``
(set by .ci/run) turns that skip into a failure, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The MC's laptop of the two-laptop tests is tests/qt's peer process (peer_proc, torture_proc).
sys.path.append(str(Path(__file__).resolve().parents[1] / "qt"))

from stage_laptop import DUMMY_DRIVER, TOOLS, StageLaptop, start_stage_laptop
from tools import need

from runofshow.resources import default_agenda

ROOT = os.geteuid() == 0  # Xorg reads a config file of the test's own only for root


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[StageLaptop]:
    need(*TOOLS, present={"xserver-xorg-video-dummy": DUMMY_DRIVER.exists(), "root": ROOT})
    with start_stage_laptop(tmp_path / "laptop") as rig:
        yield rig


@pytest.fixture
def my_event(tmp_path: Path) -> Path:
    """The bundled agenda as a user's own file (the journal keys shows by agenda path)."""
    target = tmp_path / "my-event.yaml"
    shutil.copy(default_agenda(), target)
    return target
