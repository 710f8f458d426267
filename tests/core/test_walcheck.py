"""The write-ahead log check: an intact log (committed frames, an uncommitted tail, frames left
from an earlier generation) is not damage; garbage in its header or among committed frames is."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from runofshow.core.walcheck import HEADER_BYTES, wal_damage

PAGE = 4096
FRAME = 24 + PAGE


def crashed_wal(folder: Path, rows: int = 5, *, checkpoint_then: int = 0) -> Path:
    """A WAL-mode database whose writer died (``os._exit``) after ``rows`` one-row commits,
    leaving them only in the log; with ``checkpoint_then``, a checkpoint and that many more
    commits, so the log was rewound over frames of its earlier generation."""
    db = folder / "j.sqlite3"
    code = f"""
import os, sqlite3
c = sqlite3.connect({str(db)!r}, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("CREATE TABLE t (x)")
for i in range({rows}):
    c.execute("INSERT INTO t VALUES (?)", (i,))
if {checkpoint_then}:
    c.execute("PRAGMA wal_checkpoint(PASSIVE)")
    for i in range({checkpoint_then}):
        c.execute("INSERT INTO t VALUES (?)", (100 + i,))
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", code], check=True)
    return folder / "j.sqlite3-wal"


def rows_sqlite_sees(folder: Path) -> int | str:
    try:
        conn = sqlite3.connect(folder / "j.sqlite3")
        try:
            return conn.execute("SELECT count(*) FROM t").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as stream:
        stream.seek(offset)
        stream.write(data)


def test_an_intact_log_of_a_crashed_writer_is_not_damage(tmp_path):
    wal = crashed_wal(tmp_path)
    assert wal.stat().st_size > HEADER_BYTES + 5 * FRAME
    assert wal_damage(wal) is None
    assert wal_damage(tmp_path / "absent-wal") is None


def test_a_log_rewound_over_an_earlier_generation_is_not_damage(tmp_path):
    """After a checkpoint SQLite writes the log from the start again with new salts and leaves
    the older frames behind: they are not damage."""
    wal = crashed_wal(tmp_path, rows=8, checkpoint_then=2)
    assert wal_damage(wal) is None
    assert rows_sqlite_sees(tmp_path) == 10


def test_an_uncommitted_tail_is_not_damage(tmp_path):
    """The last frame half-written (the writer died mid-transaction): SQLite drops it, rightly."""
    wal = crashed_wal(tmp_path)
    size = wal.stat().st_size
    os.truncate(wal, size - PAGE // 2)
    assert wal_damage(wal) is None


def test_garbage_in_the_header_is_damage_sqlite_would_hide(tmp_path):
    """SQLite ignores a log whose header is garbage, and with it every committed row."""
    wal = crashed_wal(tmp_path)
    overwrite(wal, 0, os.urandom(HEADER_BYTES))
    assert "header" in (wal_damage(wal) or "")
    assert rows_sqlite_sees(tmp_path) == "no such table: t"


@pytest.mark.parametrize("where", ["page data", "frame header"])
def test_garbage_among_committed_frames_is_damage(tmp_path, where):
    """Random bytes in the second frame: SQLite reads only the first and drops the rest."""
    wal = crashed_wal(tmp_path)
    second = HEADER_BYTES + FRAME
    overwrite(wal, second + (100 if where == "page data" else 16), os.urandom(8))
    assert "committed" in (wal_damage(wal) or "")
    assert rows_sqlite_sees(tmp_path) != 5


def test_a_log_full_of_random_bytes_is_damage(tmp_path):
    wal = crashed_wal(tmp_path)
    wal.write_bytes(os.urandom(wal.stat().st_size))
    assert wal_damage(wal) is not None
