"""The real app in a real X window (Xvfb), driven by real key events (xdotool), the way an MC
with a clicker drives it: Space starts, PageDown advances, a bounced second PageDown is
ignored, Ctrl+Z takes the stray one back, B blacks out the stage; every key lands in the
journal on disk."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tools import need
from torture_proc import App

# tests/bench is not a package (its scripts run by path): share its Xvfb helper, not a copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from xenv import xvfb

from runofshow.core.journal import ShowStore
from runofshow.resources import default_agenda


@pytest.fixture
def display() -> Iterator[str]:
    """A private Xvfb at 1366x768: the benchmarks' own helper, which stops it by PID."""
    need("Xvfb", "xdotool")
    with xvfb(1366, 768) as name:
        yield name


def xdotool(display: str, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    return done.stdout


def now_when(app: App, ready, timeout: float = 10.0) -> dict:
    """The app's state once ``ready(now)`` holds: asked again each time it answers (the
    reply itself paces the loop; key events and questions share the app's event loop)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now, _, _ = app.ask_now()
        if ready(now):
            return now
    raise AssertionError(f"state never reached: {now}")


def test_an_mc_drives_the_real_window_with_keys(display: str, tmp_path: Path):
    """Space, PageDown, a bounce, Ctrl+Z and B through the X server: the show moves, undoes,
    blacks out the stage, and the journal holds exactly the keys that counted."""
    state = tmp_path / "state"
    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display, "XDG_RUNTIME_DIR": str(tmp_path)}
    app = App([str(default_agenda()), "--state-dir", str(state), "--mute"], env=env)
    try:
        assert app.ready(20) is not None
        window = xdotool(display, "search", "--sync", "--onlyvisible", "--pid", str(app.proc.pid))
        wid = window.split()[-1]
        xdotool(display, "windowfocus", "--sync", wid, "key", "space")
        running = now_when(app, lambda n: n["status"] == "running")
        xdotool(display, "key", "Next", "Next")  # a clicker's double send: one counts
        now_when(app, lambda n: n["index"] == 1)
        xdotool(display, "key", "ctrl+z")
        back = now_when(app, lambda n: n["index"] == 0)
        # the time that ran while the stray "next" was in effect still counts
        ran = back["t"] - running["t"]
        assert back["elapsed_s"] == pytest.approx(running["elapsed_s"] + ran, abs=0.01)
        xdotool(display, "key", "b")
        assert now_when(app, lambda n: n["blackout"])["countdown"]
    finally:
        app.close()
    with ShowStore(state) as store:
        record = store.latest_show(default_agenda())
        names = [a.name for a in store.journal(record.id).actions()]
    assert names == ["start", "next", "undo", "blackout"]
