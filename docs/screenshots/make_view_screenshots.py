"""Screenshots of the browser views, from the real app and a real browser engine.

    python docs/screenshots/make_view_screenshots.py [OUT_DIR]

The app runs the bundled agenda as a rehearsal in Korean, serving on a free loopback port
(``--serve 127.0.0.1:0``); the show is put in place through the HTTP API, and each view is
loaded in QtWebEngine (``tests/qt/network/browser_probe.py``) and grabbed:

- ``view-timer.png``: pitch ② with 0:45 left (WRAP UP) and a message to the speaker (1920×1080);
- ``view-backstage.png``: the live vote with 0:20 left, the video's cue in STANDBY, the stage
  manager's controls (the control PIN in the URL) (1280×800, a tablet);
- ``view-foyer.png``: the same moment on the screen outside the room (1920×1080).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO / "tests" / "qt"), str(REPO / "tests" / "qt" / "network")]

from torture_proc import PIN, App  # noqa: E402

from runofshow.resources import default_agenda  # noqa: E402

PROBE = REPO / "tests" / "qt" / "network" / "browser_probe.py"


def grab(url: str, out: Path, size: str) -> None:
    done = subprocess.run(
        [sys.executable, str(PROBE), url, str(out.with_suffix(".json")), "--size", size,
         "--screenshot", str(out), "--watch", "1.2"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        lines = [x for x in done.stderr.splitlines() if "console" in x or "timed out" in x]
        raise RuntimeError(f"{url}: {lines[-20:]} {done.stderr[-300:]}")
    out.with_suffix(".json").unlink()
    print("wrote", out)


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="runofshow-views-"))
    agenda = scratch / "innovation-relay-2022.yaml"
    shutil.copy(default_agenda(), agenda)
    args = [str(agenda), "--state-dir", str(scratch / "state"), "--rehearse", "15:14:00",
            "--lang", "ko", "--mute"]  # fmt: skip
    app = App(args)
    try:
        assert app.ready() is not None, "the app did not start"
        for command, arg in (("start", ""), ("goto", "4"), ("remove", "255")):
            assert app.act(command, arg)["applied"], command
        assert app.act("message", "다음: ③ 소상공인 대환보증")["applied"]
        base = app.url
        grab(f"{base}/timer", out_dir / "view-timer.png", "1920x1080")
        for command, arg in (("clear_message", ""), ("goto", "7"), ("remove", "100")):
            assert app.act(command, arg)["applied"], command
        grab(f"{base}/backstage?pin={PIN}", out_dir / "view-backstage.png", "1280x800")
        grab(f"{base}/foyer", out_dir / "view-foyer.png", "1920x1080")
    finally:
        app.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
