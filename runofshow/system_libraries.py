"""The Linux system libraries Qt's X11 platform needs, checked before Qt loads.

PySide6's wheels carry Qt but not the X11 helper libraries its ``xcb`` platform plugin links
against. On a machine without one of them, Qt aborts with a message naming only the first it
thought of ("xcb-cursor0 or libxcb-cursor0 is needed") even when others are missing too
(libxcb-icccm4 and libxcb-keysyms1, on a fresh Debian desktop). So the app looks for all of
them first and, if any is missing, prints the one command that installs every one (the same
line README gives) instead of Qt's abort. macOS and Windows need nothing: Qt brings its own.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable

# Each library the xcb plugin loads (by its soname) and the Debian/Ubuntu package with it.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
}
INSTALL_LINE = "sudo apt-get install -y " + " ".join(XCB_LIBRARIES.values())


def uses_x11(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether Qt will use its X11 (xcb) platform: on Linux, unless another platform is
    asked for (offscreen, wayland) or the session is Wayland's."""
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.startswith("xcb")
    return environ.get("XDG_SESSION_TYPE") != "wayland"


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(loads: Callable[[str], bool] | None = None) -> list[str]:
    """The Debian packages of the X11 libraries that cannot be loaded, in install order."""
    loads = loads or _loads
    return [package for soname, package in XCB_LIBRARIES.items() if not loads(soname)]


def explain(missing: list[str]) -> str:
    """What the user reads instead of Qt's abort."""
    return (
        "runofshow: this computer lacks system libraries the window needs: "
        f"{', '.join(missing)}.\n"
        f"On Debian or Ubuntu, install them all with:\n\n    {INSTALL_LINE}\n\n"
        "then start runofshow again (macOS and Windows need nothing extra)."
    )
