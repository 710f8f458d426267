"""A private PulseAudio daemon with null sinks, and a recorder of what comes out of them.

Shared by the chime tests (tests/qt/test_sound_pulse.py) and the show-day rig: each daemon
runs in a folder of its own on a socket of its own, so nothing here touches the machine's own
sound, and a null sink is a sound card that records instead of playing: ``Recorder`` captures
its monitor with ``parec``, and ``onsets`` finds the chimes in the recording.
"""

from __future__ import annotations

import array
import contextlib
import math
import os
import signal
import socket
import subprocess
from pathlib import Path

RATE = 48_000  # the recording's samples per second (mono, s16le)


class PulseDaemon:
    """A private ``pulseaudio`` on a socket of its own, started and killed by PID."""

    def __init__(self, folder: Path, sinks: tuple[str, ...]) -> None:
        self.folder = folder
        self.socket = folder / "native"  # short: a unix socket path has ~100 bytes at most
        self.sinks = sinks
        self.pid: int | None = None
        (folder / "home").mkdir(parents=True, exist_ok=True)
        (folder / "runtime").mkdir(mode=0o700, exist_ok=True)
        self.client_env = {
            "PULSE_RUNTIME_PATH": str(folder / "runtime"),
            "PULSE_SERVER": f"unix:{self.socket}",
            "PULSE_COOKIE": str(folder / "cookie"),
        }
        self.env = {**os.environ, "HOME": str(folder / "home"), **self.client_env}
        self.env.pop("DISPLAY", None)

    def start(self) -> None:
        """Start the daemon; returns once it listens. ``--daemonize=yes`` makes pulseaudio's
        own parent process wait for the daemon to finish starting (modules loaded, socket
        open) before it exits, so there is nothing to poll."""
        modules = [f"module-null-sink sink_name={name}" for name in self.sinks]
        modules.append(f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}")
        done = subprocess.run(
            # -n: no default.pa (no hardware, no X11, no D-Bus modules), only ours;
            # --system=false: a per-user daemon even as root (CI), which only warns
            ["pulseaudio", "-n", "--daemonize=yes", "--use-pid-file=yes", "--system=false"]
            + ["--exit-idle-time=-1", "--disallow-exit", "--disable-shm=yes"]
            + [f"--log-target=file:{self.folder / 'daemon.log'}"]
            + [arg for module in modules for arg in ("-L", module)],
            env=self.env,
            capture_output=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, f"pulseaudio did not start: {done.stderr!r} {self.log()}"
        self.pid = int((self.folder / "runtime" / "pid").read_text())
        assert self.accepts(), f"pulseaudio started but does not listen: {self.log()}"

    def accepts(self) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(self.socket))
            except OSError:
                return False
            return True

    def kill(self) -> None:
        """SIGKILL, as a crash or a pulled USB interface would leave it."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.pid = None
            # What a killed daemon leaves: its socket, and a pid file naming a process that
            # may linger as a zombie in a container, which a new daemon would take as running.
            self.socket.unlink(missing_ok=True)
            (self.folder / "runtime" / "pid").unlink(missing_ok=True)

    def log(self) -> str:
        log = self.folder / "daemon.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""


class Recorder:
    """``parec`` recording one sink's monitor to a raw file (48 kHz mono s16le)."""

    def __init__(self, daemon: PulseDaemon, sink: str, path: Path) -> None:
        self.path = path
        with open(path, "wb") as out:
            self.process = subprocess.Popen(
                [
                    *("parec", "-d", f"{sink}.monitor", "--raw", "--format=s16le"),
                    *(f"--rate={RATE}", "--channels=1", "--latency-msec=20"),
                ],
                env=daemon.env,
                stdout=out,
            )

    def started(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def samples(self) -> array.array:
        samples = array.array("h")
        data = self.path.read_bytes()
        samples.frombytes(data[: len(data) // 2 * 2])
        return samples

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def window_rms(samples: array.array, window: int = 4800) -> list[float]:
    """RMS (out of 32768) of consecutive windows (0.1 s at 48 kHz by default)."""
    levels = []
    for start in range(0, len(samples) - window + 1, window):
        chunk = samples[start : start + window]
        levels.append(math.sqrt(sum(x * x for x in chunk) / len(chunk)))
    return levels


def loudest_rms(samples: array.array, window: int = 4800) -> float:
    """The loudest 0.1 s of a recording, as RMS out of 32768."""
    return max(window_rms(samples, window), default=0.0)


def strikes(samples: array.array, threshold: float = 800.0, window: int = 480) -> list[float]:
    """Seconds into the recording where a chime strikes: a 10 ms window at least ``threshold``
    loud and twice as loud as the quietest of the three before it (a chime's strikes ring
    into each other, so a strike is a jump in level, not sound after silence). Strikes
    closer than 0.1 s are one."""
    levels = window_rms(samples, window)
    found: list[float] = []
    for i, level in enumerate(levels):
        before = min(levels[max(0, i - 3) : i], default=0.0)
        at = i * window / RATE
        if level >= threshold and level >= 2 * before and (not found or at - found[-1] > 0.1):
            found.append(at)
    return found
