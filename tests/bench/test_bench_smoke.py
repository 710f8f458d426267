"""The benchmark harness in its ~20-second smoke mode, so it cannot rot unnoticed.

Only the presence and sanity of every figure is checked, not the targets: those are for the
full run on a quiet machine (docs/performance.md), not for a shared CI runner.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from tools import need

RUN = Path(__file__).resolve().parent / "run.py"


def test_smoke_run_reports_every_figure(tmp_path: Path) -> None:
    """``run.py --smoke --json`` finishes and its JSON has a number for every figure."""
    need("Xvfb", "xdotool")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(RUN), "--smoke", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    figures = {row["figure"] for row in results["table"]}
    for prefix in (
        "flip lateness idle p99",
        "flip lateness loaded p99",
        "seconds skipped + doubled",
        "drift, fake clock",
        "drift, real run",
        "key to repainted frame p99",
        "start-up cold",
        "start-up warm",
        "peak RSS at first frame",
        "peak RSS counting",
        "CPU counting, normal",
        "CPU counting, flashing overtime",
        "2,000 segments: load + check",
        "2,000 segments: next + repaint",
        "MC flip lateness, 50 ws + 200 req/s, p99",
        "CPU counting and serving",
        "API command -> journaled -> answered p99",
        "browser view flip lateness p99",
        "follower flip lateness vs the primary's boundaries p99",
        "follower catch-up",
        "takeover: kill to first flip on the new primary",
    ):
        assert any(f.startswith(prefix) for f in figures), prefix
    for row in results["table"]:
        value = row["ours"]
        assert value is not None and not math.isnan(value), row["figure"]
    assert results["growth"] and results["machine"]["nproc"]
