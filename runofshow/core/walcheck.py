"""Is the journal's write-ahead log intact? SQLite itself will not say.

With ``journal_mode=WAL`` every committed action sits in ``journal.sqlite3-wal`` until a
checkpoint copies it into the database file. When SQLite opens a database whose WAL is damaged,
it does not report an error: it reads frames from the start of the log until the first one whose
salt or checksum is wrong and silently ignores the rest, or all of it if the header is wrong. A
journal whose log was hit by garbage therefore opens "fine" with its latest actions, or all the
actions since the last checkpoint, gone, and the show resumes in the wrong place or not at all.

``wal_damage`` reads the log the way SQLite's recovery does (https://sqlite.org/fileformat2.html,
"The WAL File Format") and tells a damaged log from the two things that legitimately follow the
last valid commit:

- the frames of a transaction that never committed (the app died mid-write): they carry the
  log's salts but none of them is a commit frame;
- frames left from an earlier generation of the log (SQLite rewinds it after a checkpoint
  without truncating): they carry other salts.

So the log is damaged when its header is not a valid WAL header, or when after the first invalid
frame there is still a *commit* frame carrying the log's own salts: committed work SQLite would
silently drop. Only the file is read; nothing is written.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

__all__ = ["HEADER_BYTES", "wal_damage"]

HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24
_MAGIC_LITTLE = 0x377F0682  # checksums over little-endian 32-bit words
_MAGIC_BIG = 0x377F0683  # ... over big-endian words
_VERSION = 3007000
_MASK = 0xFFFFFFFF
_READ_ATTEMPTS = 3  # a log being written while it is read is read again


def wal_damage(wal: Path) -> str | None:
    """Why the WAL file ``wal`` is damaged, or None if it is intact (or absent, or empty).

    A log that changes while it is read (another process appending or checkpointing) is read
    again, so a write in progress is not mistaken for damage.
    """
    for _ in range(_READ_ATTEMPTS):
        try:
            before = os.stat(wal)
            data = wal.read_bytes()
            after = os.stat(wal)
        except FileNotFoundError:
            return None
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
            break
    return _damage(data)


def _damage(data: bytes) -> str | None:
    """``wal_damage`` on the log's bytes."""
    if len(data) < HEADER_BYTES:
        return None  # nothing was ever committed through a log this short
    magic, version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:32])
    if magic not in (_MAGIC_LITTLE, _MAGIC_BIG):
        return f"its header is not a SQLite write-ahead log header (magic {magic:#010x})"
    words = "<" if magic == _MAGIC_LITTLE else ">"
    sums = _checksum(data[:24], 0, 0, words)
    if version != _VERSION or not _valid_page_size(page_size) or sums != (c1, c2):
        return "its header is damaged (bad version, page size or checksum)"
    return _frames_damage(data, page_size, (salt1, salt2), sums, words)


def _frames_damage(
    data: bytes, page_size: int, salts: tuple[int, int], sums: tuple[int, int], words: str
) -> str | None:
    """The frames after the header: damage is a commit frame of this log after a broken one."""
    size = FRAME_HEADER_BYTES + page_size
    broken_at: int | None = None
    for number, offset in enumerate(range(HEADER_BYTES, len(data) - size + 1, size), start=1):
        page, commit, s1, s2, c1, c2 = struct.unpack(">6I", data[offset : offset + 24])
        own = (s1, s2) == salts
        if broken_at is None:
            if own and page != 0:
                body = data[offset : offset + 8] + data[offset + 24 : offset + size]
                candidate = _checksum(body, *sums, words)
                if candidate == (c1, c2):
                    sums = candidate
                    continue
            broken_at = number
            if own and commit != 0:
                return f"frame {number}, a committed transaction, fails its checksum"
            continue
        if own and commit != 0:
            return (
                f"frame {broken_at} is broken, and committed frames of the same log follow it"
                f" (frame {number}): SQLite would silently drop them"
            )
    return None


def _valid_page_size(size: int) -> bool:
    return 512 <= size <= 65536 and size & (size - 1) == 0


def _checksum(data: bytes, s0: int, s1: int, words: str) -> tuple[int, int]:
    """SQLite's WAL checksum: pairs of 32-bit words, each sum carrying the other."""
    values = struct.unpack(f"{words}{len(data) // 4}I", data)
    pairs = iter(values)
    for first, second in zip(pairs, pairs, strict=True):
        s0 = (s0 + first + s1) & _MASK
        s1 = (s1 + second + s0) & _MASK
    return s0, s1
