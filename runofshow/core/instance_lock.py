"""One app per show: a lock on the state folder that the operating system drops when the
process dies.

Two windows on one state folder would both append to the same journal with the same sequence
numbers, and a restart would then resume a state neither window showed. So the app takes an
exclusive advisory lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on a small file in
the state folder before it opens the journal, and keeps it for as long as it runs. The OS
releases it when the process ends, however it ends: a crashed app never blocks the next start
(no stale lock file to clean up). The file holds the holder's process id, so the second
launch can say which process has the show.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import IO

LOCK_NAME = "runofshow.lock"


class ShowInUse(RuntimeError):
    """Another runofshow process holds this state folder (``pid``, if it could be read)."""

    def __init__(self, folder: Path, pid: int | None) -> None:
        self.folder = folder
        self.pid = pid
        who = f"process {pid}" if pid else "another process"
        super().__init__(f"runofshow is already running the show in {folder} ({who})")


class ShowLock:
    """The held lock; ``release`` (or process exit) lets it go."""

    def __init__(self, folder: Path, handle: IO[str]) -> None:
        self.folder = folder
        self._handle: IO[str] | None = handle

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                _unlock(self._handle)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> ShowLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def hold_show(folder: Path) -> ShowLock:
    """Take the state folder's lock (creating the folder) or raise ``ShowInUse``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = open(path, "a+", encoding="ascii")  # noqa: SIM115 (held for the app's life)
    try:
        _lock(handle)
    except OSError:
        handle.seek(0)
        text = handle.read().strip()
        handle.close()
        raise ShowInUse(folder, int(text) if text.isdigit() else None) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return ShowLock(folder, handle)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
