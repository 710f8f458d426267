"""Screenshots of the show as it runs on show day: the real app, full screen, on the show-day
rig's two monitors (the MC's laptop screen and the projector), under a window manager.

    python docs/screenshots/make_showday_screenshots.py

Needs what the show-day tests need (tests/showday/conftest.py: Xorg's dummy driver, xrandr,
openbox, xdotool, pulseaudio, root) and libfaketime: the app's clocks start at 15:14:18 on
the show day and run ten times fast, so pitch ② can run over its limit in seconds. Drives
the bundled agenda with real key presses: Space, four PageDowns to pitch ②, a stage message
once it runs over, then Ctrl+2 for the stage manager's window. Writes ``showday-mc.png``
(1920x1080, the MC's screen), ``showday-stage.png`` (1280x720, the projector) and
``showday-stage-manager.png`` (the MC's screen with the stage manager's window in front)
beside this script.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path[:0] = [str(REPO / "tests" / "showday"), str(REPO / "tests")]

from showday_checks import eventually, journal_names  # noqa: E402
from stage_laptop import RunningApp, start_stage_laptop  # noqa: E402

from runofshow.resources import default_agenda  # noqa: E402


def libfaketime() -> str:
    found = sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))
    if not found:
        raise SystemExit("libfaketime is missing: apt-get install faketime")
    return str(found[0])


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="runofshow-showday-shots-"))
    agenda = folder / "my-event.yaml"
    shutil.copy(default_agenda(), agenda)
    with start_stage_laptop(folder / "laptop") as laptop:
        fake = {
            "LD_PRELOAD": libfaketime(),
            "FAKETIME": "@2022-11-30 15:14:18 x10",
            "TZ": "Asia/Seoul",
        }
        app = RunningApp(laptop, [str(agenda), "--fullscreen", "--stage-screen", "1",
                                  "--lang", "ko", "--mute"], **fake)  # fmt: skip
        eventually(lambda: (w := app.window_titled("runofshow")) and w.fullscreen, 20)
        laptop.key("space")
        for _ in range(4):  # to pitch ② (a clicker's presses, past the bounce guard)
            time.sleep(0.1)
            laptop.key("Next")
        eventually(lambda: journal_names(laptop.state).count("next") == 4)
        time.sleep(31.3)  # 5:13 of the show's time: twelve seconds over its limit
        laptop.key("ctrl+2")
        manager = eventually(lambda: app.window_titled("무대 감독"))
        laptop.activate(manager)
        laptop.key("t")
        time.sleep(0.3)  # the message box has the keyboard before the first character
        laptop.run("xdotool", "type", "--delay", "250", "마무리 부탁드립니다")
        laptop.key("Return", "Escape")
        time.sleep(0.5)
        shots = laptop.grab(folder / "with-manager")
        shutil.copy(shots["MC"], HERE / "showday-stage-manager.png")
        laptop.run("xdotool", "windowminimize", str(manager.id))
        time.sleep(0.8)
        shots = laptop.grab(folder / "shots")
        shutil.copy(shots["MC"], HERE / "showday-mc.png")
        shutil.copy(shots["STAGE"], HERE / "showday-stage.png")
        app.quit()
    for name in ("showday-mc.png", "showday-stage.png", "showday-stage-manager.png"):
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
