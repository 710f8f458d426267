"""A quicker answer to the question PySide6 asks of every module imported after it.

For its ``__feature__`` switches (snake_case, true_property; this app uses neither), PySide6
decides for each newly imported module whether it "uses PySide6" by reading its whole source
with ``inspect.getsource`` and searching it for the string (PYSIDE-2029). ``getsource`` goes
through ``linecache`` and ``tokenize``: ~0.1 ms a module, ~10 ms over the ~90 modules
(ours and the standard library's) imported before the first frame, where a bare PySide6
window imports almost none. ``faster_feature_scan`` gives the same answer from the file's raw
bytes (``PySide6`` is ASCII, so the bytes hold it exactly when the text does) and leaves
every other case (no ``.py`` file, an unreadable one) to PySide6's own check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"


def faster_feature_scan() -> bool:
    """Install the byte search in PySide6's feature module; False where this PySide6 has no
    such check (then nothing is changed)."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "byte_scan", False):
        return False
    feature._mod_uses_pyside = byte_scan(original)  # type: ignore[union-attr]
    return True


def byte_scan(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """PySide6's "does this module's source mention PySide6?", answered from the file."""

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.byte_scan = True  # type: ignore[attr-defined]
    uses_pyside.original = original  # type: ignore[attr-defined]
    return uses_pyside
