"""Keep ``None``, ``True`` and ``False`` alive under PySide6 builds that under-count them.

PySide6 6.12 on CPython 3.11 drops one reference to ``None`` on every call of a method that
returns nothing (``QWidget.update()``, ``QTimer.start()``, ``QAction.setChecked()``...) and
one to ``True``/``False`` on every emit of a ``Signal(bool)``. CPython 3.12 made these
objects immortal, so there the bug is harmless; on 3.11 a window that repaints a few times a
second exhausts ``None``'s count within minutes and the interpreter aborts with
``Fatal Python error: none_dealloc``. A countdown that dies mid-show is the worst failure
this program can have, so on CPython before 3.12 we give the three singletons a reference
count no program can spend, which is what 3.12 does by design.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40  # ~10^12 references: decades of repaints
_guarded = False


def guard_singletons() -> bool:
    """Make None, True and False effectively immortal (CPython < 3.12 only); idempotent."""
    global _guarded
    if _guarded or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every PyObject in release builds of CPython.
        ctypes.c_ssize_t.from_address(id(singleton)).value += RESERVE
    _guarded = True
    return True
