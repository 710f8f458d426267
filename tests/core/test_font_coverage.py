"""`check` warns about text the bundled fonts cannot draw, read from the fonts' cmap tables."""

from __future__ import annotations

import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runofshow.core import font_coverage
from runofshow.core.font_coverage import (
    FontError,
    bundled_coverage,
    cmap_code_points,
    missing_characters,
)
from runofshow.core.loader import agenda_warnings, load_agenda, load_agenda_bytes
from runofshow.resources import agendas_dir

HEAD = "event:\n  title: Show\n  date: 2022-11-30\n  start: 15:00\n  end: 15:05\nprogramme:\n"


def format4(segments: list[tuple[int, int, int, list[int] | None]]) -> bytes:
    """A cmap format 4 subtable from (first, last, delta, glyph ids or None) segments."""
    count = len(segments)
    glyph_arrays = b""
    range_offsets = []
    for i, (first, last, _delta, glyphs) in enumerate(segments):
        if glyphs is None:
            range_offsets.append(0)
            continue
        assert len(glyphs) == last - first + 1
        # from this segment's idRangeOffset entry to its glyphs, after the remaining entries
        range_offsets.append(2 * (count - i) + len(glyph_arrays))
        glyph_arrays += struct.pack(f">{len(glyphs)}H", *glyphs)
    body = struct.pack(f">{count}H", *(s[1] for s in segments)) + b"\0\0"
    body += struct.pack(f">{count}H", *(s[0] for s in segments))
    body += struct.pack(f">{count}h", *(s[2] for s in segments))
    body += struct.pack(f">{count}H", *range_offsets) + glyph_arrays
    return struct.pack(">HHHHHHH", 4, 14 + len(body), 0, 2 * count, 0, 0, 0) + body


def format12(groups: list[tuple[int, int, int]]) -> bytes:
    body = b"".join(struct.pack(">III", *g) for g in groups)
    return struct.pack(">HHIII", 12, 0, 16 + len(body), 0, len(groups)) + body


def font(subtables: list[tuple[int, int, bytes]]) -> bytes:
    """A minimal TrueType file holding only a cmap table with these subtables."""
    cmap = struct.pack(">HH", 0, len(subtables))
    offset = 4 + 8 * len(subtables)
    records, data = b"", b""
    for platform, encoding, table in subtables:
        records += struct.pack(">HHI", platform, encoding, offset + len(data))
        data += table
    cmap += records + data
    header = struct.pack(">4sHHHH", b"\x00\x01\x00\x00", 1, 16, 0, 0)
    record = struct.pack(">4sIII", b"cmap", 0, 12 + 16, len(cmap))
    return header + record + cmap


SAMPLE = font(
    [
        (
            3,
            1,
            format4(
                [
                    (0x41, 0x43, -0x40, None),  # A-C: glyphs 1-3 by delta
                    (0x50, 0x50, -0x50, None),  # P: the delta wraps to glyph 0, unmapped
                    (0x3131, 0x3133, 0, [5, 0, 6]),  # ㄱ ㄲ ㄳ through the array; ㄲ unmapped
                    (0xFFFF, 0xFFFF, 1, None),  # the obligatory last segment
                ]
            ),
        ),
        (3, 10, format12([(0x1F600, 0x1F602, 10), (0x20, 0x20, 0)])),  # emoji; space unmapped
        (1, 0, b"\x00\x06" + b"\x00" * 10),  # a Macintosh subtable: not Unicode, not read
    ]
)


def test_the_cmap_reader_reads_format_4_and_12_glyph_by_glyph():
    """Delta segments, glyph-array segments, format 12 groups; .notdef (glyph 0) and the
    0xFFFF end marker are not characters."""
    assert cmap_code_points(SAMPLE) == {0x41, 0x42, 0x43, 0x3131, 0x3133, 0x1F600, 0x1F601, 0x1F602}


@pytest.mark.parametrize(
    "data", [b"", b"not a font at all", SAMPLE[:40], b"\x00\x01\x00\x00\x00\x00" + b"\0" * 6]
)
def test_a_broken_font_is_a_font_error_not_a_crash(data):
    with pytest.raises(FontError):
        cmap_code_points(data)


def test_unreadable_bundled_fonts_give_no_warnings_and_are_logged(tmp_path, caplog):
    """No coverage is better than a warning about every character."""
    (tmp_path / "NanumSquareR.ttf").write_bytes(b"broken")
    assert bundled_coverage(tmp_path) is None
    assert "cannot read the character map" in caplog.text


def test_the_bundled_fonts_draw_korean_and_ascii_but_not_emoji_or_thai():
    covered = bundled_coverage()
    assert covered is not None
    assert missing_characters("2022년 제5회 혁신 이어달리기 ① ~ Q&A 漢字 かな", covered) == []
    assert missing_characters("🎤 นำเสนอ\u200d\ufe0f", covered) == ["🎤", "น", "ำ", "เ", "ส", "อ"]


@pytest.mark.parametrize(
    ("text", "chars"),
    [
        ("🎤 Keynote", "🎤 (U+1F3A4)"),
        ("นำเสนอ", "น (U+0E19)"),
        ("प्रस्तुति", "प (U+092A)"),
        ("عرض", "ع (U+0639)"),
        ("הצגה", "ה (U+05D4)"),
    ],
)
def test_check_warns_where_a_title_needs_a_font_we_do_not_bundle(text, chars):
    """The warning names the file, line and column, the field and the characters."""
    agenda = load_agenda_bytes(
        (HEAD + f"  - title: Intro\n    duration: 5m\n  - title: {text}\n    duration: 1m\n")
        .replace("15:05", "15:06")
        .encode(),
        Path("show.yaml"),
    )
    (warning,) = agenda_warnings(agenda)
    assert (warning.line, warning.col) == (9, 5)
    assert warning.message.startswith(f'segment 2 "{text}", title: the bundled fonts have no ')
    assert chars in warning.message
    assert warning.hint and "system font" in warning.hint and "boxes" in warning.hint


def test_every_shown_field_is_checked():
    text = (
        HEAD.replace("title: Show", "title: Show 🎤").replace(
            "  date:", "  venue: תל אביב\n  date:"
        )
        + "  - group: กลุ่ม\n    segments:\n      - title: T\n        duration: 5m\n"
        "        speaker: अ\n        notes: ع\n        cue: 😀\n"
    )
    warnings = agenda_warnings(load_agenda_bytes(text.encode(), Path("show.yaml")))
    fields = [w.message.split(":")[0] for w in warnings]
    assert fields == [
        "event, title",
        "event, venue",
        "group 1, group",
        'segment 1 "T", speaker',
        'segment 1 "T", notes',
        'segment 1 "T" cue, text',
    ]


def test_the_bundled_agendas_have_no_such_warning():
    for path in sorted(agendas_dir().glob("*.yaml")):
        assert not [w for w in agenda_warnings(load_agenda(path)) if "fonts" in w.message]


def test_reading_the_fonts_costs_little_and_stays_off_the_windows_path():
    """Under 0.25 s of CPU from cold (it measures ~15 ms), and only `check`'s warnings ask:
    opening an agenda through the cache, as the window does, never imports the reader."""
    bundled_coverage.cache_clear()
    font_coverage._cmap_code_points.cache_clear()
    began = time.process_time()
    assert bundled_coverage()
    assert time.process_time() - began < 0.25
    code = (
        "import sys, tempfile; from pathlib import Path\n"
        "from runofshow.core.agenda_cache import AgendaCache\n"
        "from runofshow.resources import default_agenda\n"
        "AgendaCache(Path(tempfile.mkdtemp())).load(default_agenda())\n"
        "print('runofshow.core.font_coverage' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
