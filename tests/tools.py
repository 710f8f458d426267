"""Tests that need a program (or library) a platform may lack: skipped by name, or failed in CI.

Some tests shell out to tools Debian has and a developer's Mac may not: Xvfb and xdotool (the
real app in a real X server), pulseaudio and parec (a chime heard on a private sound server),
libfaketime (the wall clock jumping under the real app), ffmpeg and ffprobe (video clips). A
test calls ``need("ffmpeg")`` first; when a tool is missing the test is skipped with the tool
named, so the suite stays green where they are not installed.

CI must prove everything, so ``RUNOFSHOW_REQUIRE_TOOLS=1`` (set by .ci/run) turns each such
skip into a failure that names what is missing.
"""

from __future__ import annotations

import glob
import os
import shutil
from collections.abc import Callable, Mapping

import pytest

REQUIRE_ENV = "RUNOFSHOW_REQUIRE_TOOLS"


def _libfaketime() -> bool:
    """Debian's ``faketime`` package ships the preload library the tests use, not a PATH tool."""
    return bool(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))


def _qtwebengine() -> bool:
    """PySide6-Addons' QtWebEngine and the system libraries its Chromium loads (Debian:
    libnss3, libasound2, libgbm1, …; .ci/run installs them)."""
    import ctypes.util
    import importlib.util

    wanted = ("nss3", "asound", "gbm", "Xcomposite", "Xdamage", "xkbfile", "Xtst")
    found = importlib.util.find_spec("PySide6.QtWebEngineWidgets") is not None
    return found and all(ctypes.util.find_library(name) for name in wanted)


def _network_namespaces() -> bool:
    """A private network namespace can be made (``unshare -n``: root, or user namespaces)
    and set up (``ip``): the mDNS and partition tests run a LAN of their own there
    (multicast, a bridge that can be cut), never on the machine's real network."""
    import subprocess

    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    try:
        done = subprocess.run(["unshare", "-n", "ip", "link", "set", "lo", "up"],
                              capture_output=True, timeout=10)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


# Things that are not a program on PATH, and how to find them.
_SPECIAL: dict[str, Callable[[], bool]] = {
    "libfaketime": _libfaketime,
    "QtWebEngine": _qtwebengine,
    "network namespaces": _network_namespaces,
}


def missing(*tools: str, present: Mapping[str, bool] | None = None) -> list[str]:
    """Which of ``tools`` (programs on PATH, or a name of ``_SPECIAL``) and of the things the
    caller checked itself (``present``: name -> found) are not there."""
    gone = [t for t in tools if not (_SPECIAL[t]() if t in _SPECIAL else shutil.which(t))]
    return gone + [name for name, found in (present or {}).items() if not found]


def need(*tools: str, present: Mapping[str, bool] | None = None) -> None:
    """Skip the calling test (or fixture) when a tool is missing, naming it; fail instead when
    ``RUNOFSHOW_REQUIRE_TOOLS=1`` (CI, where .ci/run installs them all)."""
    gone = missing(*tools, present=present)
    if not gone:
        return
    message = f"needs {', '.join(gone)}, not installed here (.ci/run installs them)"
    if os.environ.get(REQUIRE_ENV, "") not in ("", "0"):
        pytest.fail(f"{message}; {REQUIRE_ENV} is set, so a missing tool is a failure")
    pytest.skip(message)
