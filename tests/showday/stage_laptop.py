"""The show-day rig: what a stage laptop with a projector has, started for one test.

- **An X server with two monitors on one X screen**, as a laptop with a projector has: Xorg's
  dummy driver with a 3200x1080 framebuffer, split by ``xrandr --setmonitor`` into ``MC``
  (1920x1080 at 0,0, primary) and ``STAGE`` (1280x720 at 1920,0). Qt reports them as two
  QScreens. (Two Xvfb ``-screen``s would be two X screens: the window manager then delivers
  no keys to Qt and windows land on the wrong screen; Xvfb cannot split one screen.)
- **A real window manager** (openbox), which moves focus, honours full screen and decides
  which window gets the keys, as a desktop does.
- **Sound**: a private PulseAudio with a null sink ``speakers`` whose monitor ``parec``
  records, so a test hears the chimes the app plays.
- **A fresh home**: ``XDG_CONFIG_HOME`` (QSettings), ``XDG_RUNTIME_DIR`` and the state folder
  are the test's own; nothing reads or writes the user's real settings.

Everything is started by PID and stopped by PID, whatever happens in the test.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pulse_daemon import PulseDaemon, Recorder

# tests/bench is not a package (its scripts run by path): share its process helper.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from xenv import stop

REPO = Path(__file__).resolve().parents[2]
TOOLS = ("Xorg", "xrandr", "openbox", "xdotool", "xprop", "pulseaudio", "parec")
DUMMY_DRIVER = Path("/usr/lib/xorg/modules/drivers/dummy_drv.so")
WIDTH, HEIGHT = 3200, 1080
MONITORS = {
    # name: (xrandr --setmonitor geometry, QRect-style x, y, width, height)
    "MC": ("1920/508x1080/286+0+0", (0, 0, 1920, 1080)),
    "STAGE": ("1280/338x720/190+1920+0", (1920, 0, 1280, 720)),
}
XORG_CONF = f"""\
Section "Device"
    Identifier "dummy"
    Driver "dummy"
    VideoRam 256000
EndSection
Section "Monitor"
    Identifier "monitor"
    HorizSync 5.0 - 1000.0
    VertRefresh 5.0 - 200.0
EndSection
Section "Screen"
    Identifier "screen"
    Device "dummy"
    Monitor "monitor"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Virtual {WIDTH} {HEIGHT}
    EndSubSection
EndSection
"""


@dataclass(frozen=True)
class Window:
    """A top-level X window as the window manager sees it."""

    id: int
    title: str
    x: int
    y: int
    width: int
    height: int
    fullscreen: bool

    def on(self, monitor: str) -> bool:
        """Whether the window covers exactly that monitor."""
        return (self.x, self.y, self.width, self.height) == MONITORS[monitor][1]


class StageLaptop:
    """One rig; use ``with start_stage_laptop(folder) as laptop``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.home = folder / "home"
        self.state = folder / "state"
        self.display = ""
        self.processes: list[subprocess.Popen] = []
        self.pulse = PulseDaemon(folder / "pulse", ("speakers",))
        self.recorder: Recorder | None = None
        for sub in ("config", "runtime", "cache"):
            (self.home / sub).mkdir(parents=True, exist_ok=True, mode=0o700)

    # -- starting ------------------------------------------------------------------------
    def start(self) -> None:
        self._start_x()
        self._split_monitors()
        self._start_window_manager()
        self.pulse.start()
        self.recorder = Recorder(self.pulse, "speakers", self.folder / "speakers.raw")

    def _start_x(self) -> None:
        conf = self.folder / "xorg.conf"
        conf.write_text(XORG_CONF)
        read_fd, write_fd = os.pipe()
        server = subprocess.Popen(
            [
                *("Xorg", "-displayfd", str(write_fd), "-config", str(conf)),
                *("-logfile", str(self.folder / "xorg.log"), "-nolisten", "tcp"),
                *("-noreset", "+extension", "RANDR", "-novtswitch", "-sharevts"),
            ],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(server)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError(f"Xorg did not start: {self.xorg_log()}")
        self.display = f":{number}"

    def _split_monitors(self) -> None:
        mode = f"{WIDTH}x{HEIGHT}"
        timings = ["100.0", "3200", "3232", "3264", "3296", "1080", "1083", "1086", "1089"]
        self.run("xrandr", "--newmode", mode, *timings)
        self.run("xrandr", "--addmode", "DUMMY0", mode)
        self.run("xrandr", "--output", "DUMMY0", "--mode", mode, "--primary")
        self.run("xrandr", "--setmonitor", "MC", MONITORS["MC"][0], "DUMMY0")
        self.run("xrandr", "--setmonitor", "STAGE", MONITORS["STAGE"][0], "none")

    def _start_window_manager(self) -> None:
        with open(self.folder / "openbox.log", "wb") as log:
            openbox = subprocess.Popen(
                ["openbox", "--sm-disable"],
                env=self.env(),
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        self.processes.append(openbox)
        deadline = time.monotonic() + 10
        while "_NET_SUPPORTING_WM_CHECK" not in self.run("xprop", "-root", check=False):
            if openbox.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("openbox did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.recorder is not None:
            self.recorder.stop()
        self.pulse.kill()
        for process in reversed(self.processes):
            stop(process)

    # -- what tests use ------------------------------------------------------------------
    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a program on this laptop: its display, its sound, a fresh
        profile, and the state folder of the show."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNOFSHOW_", "QT_"))}
        env.update(
            DISPLAY=self.display,
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            XDG_RUNTIME_DIR=str(self.home / "runtime"),
            RUNOFSHOW_STATE_DIR=str(self.state),
            PYTHONPATH=str(REPO),
            QT_QPA_PLATFORM="xcb",
            LANG="C.UTF-8",
            **self.pulse.client_env,
        )
        env.update(extra)
        return env

    def run(self, *argv: str, check: bool = True) -> str:
        done = subprocess.run(
            argv, env=self.env(), capture_output=True, text=True, timeout=30, check=False
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip()}")
        return done.stdout

    def xorg_log(self) -> str:
        log = self.folder / "xorg.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""

    def key(self, *keys: str) -> None:
        """Real key presses to whatever window has the keyboard focus, as a clicker sends
        them (xdotool ``key``: press and release, through the X server and the WM)."""
        for key in keys:
            self.run("xdotool", "key", "--clearmodifiers", key)

    def focused(self) -> int:
        return int(self.run("xdotool", "getwindowfocus", "-f").strip() or 0)

    def activate(self, window: Window) -> None:
        """Give ``window`` the focus as a click on it would (through the WM)."""
        self.run("xdotool", "windowactivate", "--sync", str(window.id), check=False)

    def windows(self, pid: int) -> list[Window]:
        """The visible top-level windows of process ``pid``, with geometry and full screen."""
        found = self.run("xdotool", "search", "--onlyvisible", "--pid", str(pid), check=False)
        return [w for w in (self._window(int(i)) for i in found.split()) if w is not None]

    def _window(self, wid: int) -> Window | None:
        info = self.run("xdotool", "getwindowgeometry", "--shell", str(wid), check=False)
        values = dict(line.split("=", 1) for line in info.splitlines() if "=" in line)
        if not values:
            return None
        state = self.run("xprop", "-id", str(wid), "_NET_WM_STATE", check=False)
        title = self.run("xdotool", "getwindowname", str(wid), check=False).strip()
        return Window(
            wid,
            title,
            int(values["X"]),
            int(values["Y"]),
            int(values["WIDTH"]),
            int(values["HEIGHT"]),
            "_NET_WM_STATE_FULLSCREEN" in state,
        )

    def grab(self, folder: Path) -> dict[str, Path]:
        """A PNG of each monitor, grabbed from the X server by a separate Qt process (what
        is really on the screens, whatever the app thinks it drew)."""
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("grab_screens.py")), str(folder)],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return {name: Path(path) for name, path in json.loads(done.stdout).items()}


@contextlib.contextmanager
def start_stage_laptop(folder: Path) -> Iterator[StageLaptop]:
    laptop = StageLaptop(folder)
    try:
        laptop.start()
        yield laptop
    finally:
        laptop.stop()


class RunningApp:
    """The real ``runofshow`` process on the laptop, started the way a user starts it."""

    def __init__(self, laptop: StageLaptop, args: list[str], **env: str) -> None:
        self.laptop = laptop
        self.log = laptop.folder / f"app-{len(laptop.processes)}.log"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "runofshow", *args],
                env=laptop.env(**env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=laptop.folder,
            )
        laptop.processes.append(self.process)

    @property
    def pid(self) -> int:
        return self.process.pid

    def windows(self) -> list[Window]:
        return self.laptop.windows(self.pid)

    def window_titled(self, fragment: str) -> Window | None:
        return next((w for w in self.windows() if fragment in w.title), None)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def quit(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (as a session logout would), then wait; the exit status, or None."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
            return None
