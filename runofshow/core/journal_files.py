"""The journal's files on disk: setting damaged ones aside, saving what can still be read, and
reading a journal without changing anything in its folder.

``journal.ShowStore`` decides *when*; this module knows *how*, with the one rule that runs
through it: a file the operator's show was written to is never deleted or overwritten. A damaged
journal is renamed aside with its ``-wal`` and ``-shm`` files, byte for byte; what SQLite can
still read of it is copied into a new journal (``salvage``); and a journal that must only be read
(``runofshow report``, a read-only state folder) is read through ``ReadOnlySnapshot``, which
opens it ``immutable`` or reads a private copy, because even a ``mode=ro`` connection creates
``-wal``/``-shm`` files and rewrites the ``-shm`` index.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["SIDE_FILES", "ReadOnlySnapshot", "salvage", "set_aside"]

SIDE_FILES = ("-wal", "-shm")
_COPY_ATTEMPTS = 5  # a journal written to while it is copied is copied again

logger = logging.getLogger(__name__)


def set_aside(path: Path) -> Path:
    """Rename the database ``path`` and its side files to ``PATH.damaged-STAMP[-N]``; the new
    name of the database is returned. Nothing is deleted or rewritten."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    path.rename(target)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def salvage(aside: Path, into: Path) -> bool:
    """Copy what SQLite can read of the set-aside journal ``aside`` (its database file plus the
    valid frames of its log) into a new database at ``into``; False if nothing usable could be
    read (then ``into`` is not created). The files at ``aside`` are only read."""
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="runofshow-salvage-") as scratch:
        copy = Path(scratch) / "journal.sqlite3"
        _copy_with_log(aside, copy)
        try:
            conn = sqlite3.connect(copy, isolation_level=None)
            try:
                if not _usable(conn):
                    return False
                conn.execute("VACUUM INTO ?", (str(into),))
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            logger.warning("nothing could be salvaged from %s: %s", aside, exc)
            into.unlink(missing_ok=True)
            return False
    return True


def _usable(conn: sqlite3.Connection) -> bool:
    """A sound database that holds the journal's two tables."""
    if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        return False
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {"shows", "actions"} <= tables


def _copy_with_log(source: Path, target: Path) -> None:
    """Copy database ``source`` and its ``-wal`` (never its ``-shm``: SQLite rebuilds that
    index from the log) to ``target``, as one consistent snapshot.

    A process writing the journal meanwhile (the app running while ``report`` reads) could
    checkpoint between the two copies; so the copy is repeated until neither file changed
    while it was taken.
    """
    wal_source = source.with_name(source.name + "-wal")
    wal_target = target.with_name(target.name + "-wal")
    for _ in range(_COPY_ATTEMPTS):
        before = _stamps(source, wal_source)
        shutil.copyfile(source, target)
        if wal_source.exists():
            shutil.copyfile(wal_source, wal_target)
        if _stamps(source, wal_source) == before:
            return
    raise OSError(f"{source} kept changing while it was read; try again in a moment")


def _stamps(*paths: Path) -> list[tuple[int, int] | None]:
    stamps: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            stamps.append(None)
            continue
        stamps.append((stat.st_size, stat.st_mtime_ns))
    return stamps


class ReadOnlySnapshot:
    """A way to read the journal at ``path`` that changes nothing in its folder.

    With no ``-wal`` file every committed action is in the database file, and SQLite can read
    it ``immutable`` (no locks, no side files). With a ``-wal`` (the app is running, or died)
    the committed actions are partly in the log, which ``immutable`` would ignore and
    ``mode=ro`` would change (it creates or rewrites ``-shm``): the two files are copied to a
    private folder and the copy is read. ``close`` removes the copy.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        if not path.with_name(path.name + "-wal").exists():
            self.uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
            return
        self._scratch = tempfile.TemporaryDirectory(prefix="runofshow-read-")
        copy = Path(self._scratch.name) / path.name
        try:
            _copy_with_log(path, copy)
        except OSError:
            self.close()
            raise
        self.uri = f"{copy.as_uri()}?mode=ro"

    def connect(self, timeout: float) -> sqlite3.Connection:
        import sqlite3

        return sqlite3.connect(self.uri, uri=True, timeout=timeout, isolation_level=None)

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
