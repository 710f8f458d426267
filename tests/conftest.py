"""Shared by every test folder: ``tools.need`` (tests that need Xvfb, ffmpeg, ...) is importable
from tests/core, tests/qt and tests/bench alike."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
