"""Short video clips for the tests, made by ffmpeg: the video player's tests and the show-day
rig's video desk play real files, not mocks."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tools import need


def make_clip(path: Path, seconds: float) -> Path:
    """An H.264/AAC clip of ``seconds``: a test pattern with a 440 Hz tone."""
    need("ffmpeg")
    argv = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=160x120:rate=25",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path),
    ]  # fmt: skip
    subprocess.run(argv, check=True, timeout=60)
    return path
