"""Screenshots of a follower's windows (docs/two-machines.md): the stage manager's laptop
following the MC's, on the show-day rig's two monitors (its own screen and the projector it
drives), under a window manager, in Korean.

    python docs/screenshots/make_peer_screenshots.py

Needs what the show-day tests need (tests/showday/conftest.py: Xorg's dummy driver, xrandr,
openbox, xdotool, pulseaudio, root) and libfaketime: both laptops' wall clocks start at
15:14:18 on the show day (their monotonic clocks are real: the follower measures the
primary's). The MC's laptop runs offscreen, serving on loopback; the stage manager's laptop
joins it with ``--stage-manager --stage-screen 1``. The MC starts the show and goes to pitch ②,
a message goes to the stage; then the MC's laptop is killed, and the stage manager's laptop
says so and takes over. Writes ``follower-stage-manager.png`` (its stage manager's window,
following), ``follower-stage.png`` (its projector: the confidence display),
``follower-not-connected.png`` (the stage manager's window once the MC's laptop is gone) and
``follower-took-over.png`` (its MC window after taking over) beside this script.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path[:0] = [str(REPO / "tests" / "showday"), str(REPO / "tests" / "qt"), str(REPO / "tests")]

from showday_checks import eventually  # noqa: E402
from stage_laptop import RunningApp, start_stage_laptop  # noqa: E402
from torture_proc import PIN, App  # noqa: E402

from runofshow.resources import default_agenda  # noqa: E402


def libfaketime() -> str:
    found = sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))
    if not found:
        raise SystemExit("libfaketime is missing: apt-get install faketime")
    return str(found[0])


def served_url(app: RunningApp) -> str | None:
    for line in app.output().splitlines():
        if line.startswith("runofshow: serving "):
            return line.split()[-1].rstrip("/")
    return None


def get(url: str, path: str) -> dict:
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {PIN}"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="runofshow-peer-shots-"))
    agenda = folder / "my-event.yaml"
    shutil.copy(default_agenda(), agenda)
    fake = {
        "LD_PRELOAD": libfaketime(),
        "FAKETIME": "@2022-11-30 15:14:18",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "Asia/Seoul",
    }
    mc = App([str(agenda), "--state-dir", str(folder / "mc"), "--lang", "ko", "--mute",
              "--name", "사회자 노트북"], env=fake, log=folder / "mc.log")  # fmt: skip
    try:
        assert mc.ready() is not None, "the MC's laptop did not start"
        with start_stage_laptop(folder / "laptop") as laptop:
            sm = RunningApp(laptop, ["--join", mc.url.removeprefix("http://"), "--pin", PIN,
                                     "--serve", "127.0.0.1:0", "--stage-manager",
                                     "--stage-screen", "1", "--lang", "ko", "--mute",
                                     "--name", "무대감독"],
                            **fake)  # fmt: skip
            url = eventually(lambda: served_url(sm), 20, "the follower's server")
            eventually(lambda: get(url, "/api/peer").get("connected"), 20, "following")
            manager = eventually(lambda: sm.window_titled("무대 감독"), 20, "its window")
            mc.act("start")
            for _ in range(4):  # to pitch ②
                time.sleep(0.6)
                mc.act("next")
            time.sleep(1.0)
            mc._get("/api/message?text=" + urllib.request.quote("마무리 부탁드립니다"))
            laptop.activate(manager)
            laptop.run("xdotool", "windowsize", str(manager.id), "1920", "1080", check=False)
            laptop.run("xdotool", "windowmove", str(manager.id), "0", "0", check=False)
            time.sleep(2.5)
            shots = laptop.grab(folder / "following")
            shutil.copy(shots["MC"], HERE / "follower-stage-manager.png")
            shutil.copy(shots["STAGE"], HERE / "follower-stage.png")
            mc.kill()
            eventually(lambda: not get(url, "/api/peer").get("connected"), 5, "NOT CONNECTED")
            time.sleep(1.5)
            shutil.copy(laptop.grab(folder / "lost")["MC"], HERE / "follower-not-connected.png")
            assert get(url, "/api/takeover").get("applied"), "the takeover was refused"
            main_window = eventually(lambda: sm.window_titled("runofshow"), 10, "the MC window")
            laptop.run("xdotool", "windowminimize", str(manager.id), check=False)
            laptop.activate(main_window)
            time.sleep(1.5)
            shutil.copy(laptop.grab(folder / "took-over")["MC"], HERE / "follower-took-over.png")
            sm.quit()
    finally:
        mc.close()
    for name in ("follower-stage-manager", "follower-stage", "follower-not-connected",
                 "follower-took-over"):  # fmt: skip
        print(f"wrote {HERE / name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
