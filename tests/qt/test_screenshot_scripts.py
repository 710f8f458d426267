"""The scripts that draw the README's screenshots still run against the app as it is.

They import the app's windows and the core's journal directly, so a refactor can break
them without any other test noticing (one did: the planning pictures needed a handler the
MC's window began to require, the PDF pages an import that had moved). Each one runs here
as the docs say, into a temporary folder, and must write every picture it promises, each
with something drawn on it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.tools import need

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "docs" / "screenshots"


def _run(script: str, out: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(out / "config")}
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / script), str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _drawn(path: Path) -> bool:
    """Whether the picture has more than one colour in it (not a blank or failed grab)."""
    image = QImage(str(path))
    if image.isNull():
        return False
    step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step_x)
        for y in range(0, image.height(), step_y)
    }
    return len(colours) > 3


@pytest.mark.parametrize(
    ("script", "pictures"),
    [
        (
            "make_stage_screenshots.py",
            ["stage-manager-standby", "stage-manager-go", "stage-manager-video"]
            + [f"confidence-{s}" for s in ("normal", "wrapup", "danger", "overtime")]
            + ["confidence-message", "confidence-blackout"],
        ),
        ("make_planning_screenshots.py", ["stage-manager-landing-plan", "stage-manager-what-if"]),
        ("make_pdf_screenshots.py", ["runsheet-page1", "report-page1"]),
    ],
)
def test_a_screenshot_script_writes_every_picture_it_promises(tmp_path, script, pictures):
    if script == "make_pdf_screenshots.py":
        need("pdftoppm")
    _run(script, tmp_path)
    for name in pictures:
        png = tmp_path / f"{name}.png"
        assert png.is_file(), f"{script} did not write {png.name}"
        if name != "confidence-blackout":  # black on purpose
            assert _drawn(png), f"{png.name} is blank"
