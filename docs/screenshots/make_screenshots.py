"""Screenshots of the MC's window on a real X server, at 1920×1080 and 1366×768.

Run ``python docs/screenshots/make_screenshots.py`` from the repository (Xvfb and ImageMagick's
``import`` must be installed). For each resolution the script starts its own Xvfb on a free
display, opens the real window (``McWindow`` with the bundled agenda, as ``runofshow`` does)
in a child process, and drives the show on an in-process FakeClock so that every picture shows
exactly the intended instant:

- ``*-1501``: 15:01, a minute into the opening
- ``*-pitch2-0430``: pitch ② at 4:30 (danger: 30 s to its 5:00 limit)
- ``*-pitch2-0512``: pitch ② at 5:12 (overtime +0:12)
- ``*-video``: two minutes into the video
- ``*-155930``: 15:59:30, the closing segment (pitch ②'s 42 s won back during the awards)
- ``*-keys``: the key list (F1)
- ``*-ended``: after the close, the show over at 16:00:00 against its plan

The PNGs are written beside this script as ``mc-<width>x<height>-<scene>.png``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESOLUTIONS = ((1920, 1080), (1366, 768))


def free_display() -> int:
    for number in range(90, 200):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError("no free X display number between :90 and :199")


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen, int]:
    number = free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Xvfb :{number} did not start")
        time.sleep(0.05)
    return server, number


def parent() -> None:
    for width, height in RESOLUTIONS:
        server, number = start_xvfb(width, height)
        try:
            env = dict(os.environ, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb")
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
            subprocess.run(
                [sys.executable, __file__, "--child", str(width), str(height)], env=env, check=True
            )
        finally:
            server.terminate()
            server.wait()


# -- the child: one resolution, on the X display the parent started -------------------------


def child(width: int, height: int) -> None:
    import datetime as dt
    import zoneinfo

    private = Path(tempfile.mkdtemp(prefix="runofshow-shots-"))
    os.environ["XDG_RUNTIME_DIR"] = str(private)
    os.chmod(private, 0o700)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from runofshow._qt.app.host import ShowHost
    from runofshow._qt.app.main import application, load_agenda
    from runofshow._qt.app.settings import WindowSettings
    from runofshow._qt.i18n import Translator
    from runofshow._qt.windows.mc_window import McWindow
    from runofshow.core.clock import FakeClock
    from runofshow.core.engine import ShowEngine
    from runofshow.core.session import ShowSession
    from runofshow.resources import default_agenda

    app = application([])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(private))
    agenda = load_agenda(default_agenda())
    zone = zoneinfo.ZoneInfo(agenda.event.timezone or "UTC")
    start = dt.datetime.combine(agenda.event.date, dt.time(15, 0), tzinfo=zone).timestamp()
    clock = FakeClock(wall=start)
    host = ShowHost(
        Translator("ko"),
        WindowSettings(),
        load_agenda,
        lambda a, _fresh: ShowSession(ShowEngine(a, clock, mode="live")),
    )
    window = McWindow(
        host, {"stage_manager": lambda: None, "show_stage": lambda: None, "open_logs": lambda: None}
    )
    host.open_first(default_agenda())
    host.set_sink(_AudibleSink())
    window.setGeometry(0, 0, width, height)
    window.show()
    engine = host.engine

    def settle() -> None:
        host.controller.refresh()
        for _ in range(5):
            app.processEvents()
            time.sleep(0.05)

    def shoot(scene: str) -> None:
        settle()
        out = HERE / f"mc-{width}x{height}-{scene}.png"
        subprocess.run(["import", "-window", "root", str(out)], check=True)
        print(f"wrote {out.relative_to(REPO)}")

    def run(seconds: float) -> None:
        clock.advance(seconds)
        host.controller.refresh()

    def at_segment(index: int, catch_up: dict[int, float] | None = None) -> None:
        """Run each segment for its planned slot (shortened by ``catch_up[i]`` seconds, as a
        stage manager recovers lost time), pressing Next at its end, until ``index`` runs."""
        while engine.now().index < index:
            now = engine.now()
            slot = now.segment.duration_s - (catch_up or {}).get(now.index, 0.0)
            run(max(0.0, slot - now.elapsed_s))
            host.execute("next")

    settle()
    host.execute("start")
    run(60)
    shoot("1501")
    at_segment(4)  # pitch ②
    run(270 - engine.now().elapsed_s)
    shoot("pitch2-0430")
    run(42)
    shoot("pitch2-0512")
    at_segment(8)  # the video
    run(120 - engine.now().elapsed_s)
    shoot("video")
    at_segment(13, catch_up={10: 42.0})  # the close; the award ceremony wins back 42 s
    target = dt.datetime.combine(agenda.event.date, dt.time(15, 59, 30), tzinfo=zone).timestamp()
    run(max(0.0, target - clock.wall()))
    shoot("155930")
    window.help_toggle()
    shoot("keys")
    window.help_toggle()
    run(30)
    host.execute("next")  # past the close: the show has ended
    shoot("ended")
    window.close()
    QApplication.processEvents()


class _AudibleSink:
    """Stands in for a working audio output, so no "no sound" badge shows (Xvfb has none)."""

    available = True

    def play(self, name: str) -> None:
        """Silent in screenshots."""


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
    else:
        parent()
