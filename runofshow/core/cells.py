"""Text in terminal cells: Korean takes two, so tables line up only if we count cells.

``runofshow check`` and ``runofshow report`` print tables mixing Hangul titles with digits;
a column padded by ``len()`` would drift by one cell per Hangul syllable. East Asian wide and
full-width characters take two cells, combining marks and format characters none.
"""

from __future__ import annotations

import unicodedata


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells (right-aligned if ``right``)."""
    fill = " " * max(0, width - cell_width(text))
    return fill + text if right else text + fill


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, marked with ``...`` when cut."""
    if cell_width(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        cells = cell_width(char)
        if used + cells > width - 3:
            break
        out, used = out + char, used + cells
    return out + "..."
