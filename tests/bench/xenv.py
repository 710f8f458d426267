"""Processes the benchmarks start and must always stop: Xvfb, busy loops, the windows.

Everything is started by PID and stopped by PID in ``finally`` blocks, so an interrupted run
leaves no X server or CPU hog behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BENCH = Path(__file__).resolve().parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen, timeout: float = 5.0) -> None:
    """Terminate one process we started (its own PID only), killing it if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


@contextlib.contextmanager
def xvfb(width: int = 1920, height: int = 1080) -> Iterator[str]:
    """A private Xvfb; yields its DISPLAY (``-displayfd`` picks a free number)."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [
            *("Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24"),
            *("-nolisten", "tcp", "-noreset"),
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        stop(server)


@contextlib.contextmanager
def busy_cores(count: int) -> Iterator[list[int]]:
    """``count`` pure-Python busy loops (one core each); yields their PIDs."""
    hogs = [
        subprocess.Popen([PYTHON, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        yield [hog.pid for hog in hogs]
    finally:
        for hog in hogs:
            stop(hog)


def app_env(display: str, home: Path, **extra: str) -> dict[str, str]:
    """The environment of a window under test: its own X server, settings and state."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNOFSHOW_")}
    runtime = home / "xdg-runtime"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_RUNTIME_DIR=str(runtime),
        RUNOFSHOW_STATE_DIR=str(home / "state"),
        PYTHONPATH=str(REPO),
        QT_LOGGING_RULES="qt.multimedia*=false",
    )
    env.update(extra)
    return env


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (``/proc/PID/stat`` utime + stime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def wait_for(predicate, timeout: float, what: str, poll: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(poll)


def drop_page_cache() -> bool:
    """Drop the kernel's page cache (root only); False if this machine does not allow it."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def byte_compile_package() -> bool:
    """Write the package's bytecode (``__pycache__``), as ``pip install`` does. This machine
    sets PYTHONDONTWRITEBYTECODE=1, so a source checkout would otherwise compile every module
    from source at every launch (~10 ms of ours), which no installed copy ever does."""
    import runofshow

    done = subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(Path(runofshow.__file__).parent)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def scratch(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"runofshow-bench-{prefix}-"))


def interrupt_safe_sleep(seconds: float) -> None:
    """Real-time waiting is the point of a benchmark; Ctrl+C still reaches the finally blocks."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    time.sleep(max(0.0, seconds))
