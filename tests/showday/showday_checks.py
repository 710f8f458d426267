"""What the show-day tests read from the outside: the journal on disk, the pixels on each
monitor, and a bounded wait for a real process to get somewhere.

The app under test is a separate process on a real X server, so its state can only be
waited for: ``eventually`` polls a condition until a deadline (real time is what these tests
are about: a key press through the window manager, a chime through PulseAudio).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtGui import QColor, QImage

T = TypeVar("T")


def eventually(
    probe: Callable[[], T], timeout: float = 10.0, what: str = "", seen: Callable[[], object] = str
) -> T:
    """``probe()``'s first truthy answer, polled every 50 ms until ``timeout``; on a time-out
    the message says what was awaited and, from ``seen()``, what was there instead."""
    deadline = time.monotonic() + timeout
    while True:
        answer = probe()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}: {seen()}")
        time.sleep(0.05)


def journal_names(state: Path) -> list[str]:
    """The names of the latest show's journaled actions, read with SQLite from outside."""
    db = state / "journal.sqlite3"
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        show = conn.execute("SELECT id FROM shows ORDER BY id DESC LIMIT 1").fetchone()
        if show is None:
            return []
        rows = conn.execute("SELECT name FROM actions WHERE show_id = ? ORDER BY id", show)
        return [row[0] for row in rows]
    except sqlite3.OperationalError:  # the app is creating the database right now
        return []
    finally:
        conn.close()


def journal_sources(state: Path) -> list[tuple[str, str]]:
    """(name, source) of the latest show's journaled actions: where each came from."""
    db = state / "journal.sqlite3"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        show = conn.execute("SELECT id FROM shows ORDER BY id DESC LIMIT 1").fetchone()
        rows = conn.execute("SELECT name, source FROM actions WHERE show_id = ? ORDER BY id", show)
        return [(name, source) for name, source in rows]
    finally:
        conn.close()


def colour_share(png: Path, colour: str, tolerance: int = 40) -> float:
    """The share of the picture's pixels (sampled on a grid) within ``tolerance`` of
    ``colour`` in every channel."""
    image = QImage(str(png))
    assert not image.isNull(), f"cannot read {png}"
    want = QColor(colour)
    hits = total = 0
    for y in range(0, image.height(), 8):
        for x in range(0, image.width(), 8):
            pixel = image.pixelColor(x, y)
            total += 1
            hits += (
                abs(pixel.red() - want.red()) <= tolerance
                and abs(pixel.green() - want.green()) <= tolerance
                and abs(pixel.blue() - want.blue()) <= tolerance
            )
    return hits / max(1, total)


def looks_black(png: Path) -> bool:
    """Nothing but black (a dark stage display, or nothing shown at all)."""
    return colour_share(png, "#000000", tolerance=16) > 0.995
