"""Which characters the bundled fonts can draw, read from the fonts' own ``cmap`` tables.

The app draws every text in the bundled NanumSquare fonts, so Korean looks the same on any
machine. Characters those fonts lack (emoji, Thai, Devanagari, Arabic, Hebrew…) are drawn by
Qt from a system font when the machine has one, and as empty boxes when it has not: worth a
warning from ``runofshow check`` before the show, not a surprise on the stage screen.

Answering needs no Qt: a TrueType/OpenType file's ``cmap`` table maps code points to glyphs.
This reads the Unicode subtables of format 4 (the Basic Multilingual Plane) and format 12
(all planes), which every font built since the 1990s has, into a set of the code points that
map to a real glyph, once per process. It costs about 10 ms and runs only for ``check``'s
warnings (``loader.agenda_warnings``), never on the window's way to its first frame.
"""

from __future__ import annotations

import functools
import logging
import struct
import unicodedata
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

FONT_PATTERN = "NanumSquare*.ttf"  # the fonts the window draws with (runofshow/_qt/fonts.py)
_UNICODE_ENCODINGS = {(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 6), (3, 1), (3, 10)}
_NOT_DRAWN = {"Cc", "Cf", "Zs", "Zl", "Zp"}  # controls, format marks, spaces: nothing to draw


class FontError(ValueError):
    """A font file that is not a TrueType/OpenType font we can read the cmap of."""


def cmap_code_points(data: bytes) -> frozenset[int]:
    """The code points the font in ``data`` maps to a glyph other than .notdef."""
    try:
        offset, length = _table(data, b"cmap")
        return _cmap_code_points(data[offset : offset + length])
    except struct.error as exc:
        raise FontError(f"truncated font: {exc}") from None


@functools.lru_cache(maxsize=8)  # the regular and bold weights share one character map
def _cmap_code_points(cmap_table: bytes) -> frozenset[int]:
    return frozenset(_code_points(cmap_table))


def _code_points(data: bytes) -> set[int]:
    """From the bytes of a ``cmap`` table (its subtables' offsets count from its start)."""
    cmap = 0
    _version, count = struct.unpack_from(">HH", data, cmap)
    points: set[int] = set()
    seen: set[int] = set()
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        start = cmap + offset
        if (platform, encoding) not in _UNICODE_ENCODINGS or start in seen:
            continue
        seen.add(start)
        subtable_format = struct.unpack_from(">H", data, start)[0]
        if subtable_format == 4:
            points.update(_format4(data, start))
        elif subtable_format == 12:
            points.update(_format12(data, start))
    if not seen:
        raise FontError("no Unicode cmap subtable")
    return points


def _table(data: bytes, tag: bytes) -> tuple[int, int]:
    """The offset and length of table ``tag`` in the font."""
    if data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise FontError("not a TrueType or OpenType font")
    (count,) = struct.unpack_from(">H", data, 4)
    for i in range(count):
        record_tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if record_tag == tag:
            return offset, length
    raise FontError(f"no {tag.decode()} table")


def _format4(data: bytes, start: int) -> Iterable[int]:
    """Segments of code points; each maps by a delta, or through the glyph id array."""
    seg_count = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends_at = start + 14
    starts_at = ends_at + 2 * seg_count + 2
    deltas_at = starts_at + 2 * seg_count
    range_offsets_at = deltas_at + 2 * seg_count
    ends = struct.unpack_from(f">{seg_count}H", data, ends_at)
    starts = struct.unpack_from(f">{seg_count}H", data, starts_at)
    deltas = struct.unpack_from(f">{seg_count}h", data, deltas_at)
    range_offsets = struct.unpack_from(f">{seg_count}H", data, range_offsets_at)
    for i, (first, last, delta, range_offset) in enumerate(
        zip(starts, ends, deltas, range_offsets, strict=True)
    ):
        last = min(last, 0xFFFE)  # 0xFFFF ends the last segment; it is not a character
        if range_offset == 0:  # glyph = c + delta: every c but the one that wraps to 0
            unmapped = -delta & 0xFFFF
            yield from range(first, min(last, unmapped - 1) + 1) if first <= unmapped else ()
            yield from range(max(first, unmapped + 1), last + 1)
            continue
        glyphs_at = range_offsets_at + 2 * i + range_offset
        count = last - first + 1
        if count <= 0:
            continue
        glyphs = struct.unpack_from(f">{count}H", data, glyphs_at)
        pairs = zip(range(first, last + 1), glyphs, strict=True)
        yield from (c for c, g in pairs if g and (g + delta) & 0xFFFF)


def _format12(data: bytes, start: int) -> Iterable[int]:
    """Groups of consecutive code points mapped to consecutive glyphs."""
    (group_count,) = struct.unpack_from(">I", data, start + 12)
    for i in range(group_count):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * i)
        last = min(last, 0x10FFFF)
        yield from range(first + (glyph == 0), last + 1)


@functools.cache
def bundled_coverage(folder: Path | None = None) -> frozenset[int] | None:
    """Code points any bundled font can draw, read once per process; None when the fonts
    cannot be read (a warning about every character would then be wrong, so none is given)."""
    if folder is None:
        from runofshow.resources import assets_dir

        folder = assets_dir() / "fonts"
    fonts = sorted(folder.glob(FONT_PATTERN))
    if not fonts:
        logger.warning("no bundled fonts matching %s in %s", FONT_PATTERN, folder)
        return None
    covered: set[int] = set()
    for font in fonts:
        try:
            covered |= cmap_code_points(font.read_bytes())
        except (OSError, FontError):
            logger.warning("cannot read the character map of %s", font, exc_info=True)
            return None
    return frozenset(covered)


def missing_characters(text: str, covered: frozenset[int]) -> list[str]:
    """The distinct characters of ``text`` the fonts cannot draw, in order of appearance.

    Characters that draw nothing themselves are left out: spaces, controls, format marks
    (a zero-width joiner) and variation selectors (the one after an emoji).
    """
    return [
        char
        for char in dict.fromkeys(text)
        if ord(char) not in covered
        and unicodedata.category(char) not in _NOT_DRAWN
        and not _is_variation_selector(ord(char))
    ]


def _is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
