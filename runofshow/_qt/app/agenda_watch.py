"""Reload a broken agenda by itself once it is saved fixed.

``QFileSystemWatcher`` stops watching a file that an editor replaces (write a temporary file,
rename it over the original: vim, VS Code, gedit), so the folder is watched as well and the
file is re-added whenever it exists again. A change is reported once the file's identity
(inode, size, modification time) really changed, after a short quiet spell, because editors
save in several steps.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 150

Signature = tuple[int, int, int] | None


def file_signature(path: Path) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class AgendaWatcher(QObject):
    """Emits ``changed`` when ``path`` was written, replaced or re-created."""

    changed = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path.resolve()
        self._seen = file_signature(self.path)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.addPath(str(self.path.parent))
        self._rewatch()
        self._watcher.fileChanged.connect(self._poke)
        self._watcher.directoryChanged.connect(self._poke)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)

    def _rewatch(self) -> None:
        if self.path.exists() and str(self.path) not in self._watcher.files():
            self._watcher.addPath(str(self.path))

    def _poke(self, _changed_path: str) -> None:
        self._rewatch()
        self._settle.start()

    def _settled(self) -> None:
        self._rewatch()
        signature = file_signature(self.path)
        if signature is not None and signature != self._seen:
            self._seen = signature
            self.changed.emit()
