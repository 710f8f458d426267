"""The bundled NanumSquare, registered with Qt before the first window is built.

An MC laptop may have no Korean font at all (a rented Windows or English-only Linux machine),
and Qt then draws boxes. Registering the font files we ship makes Korean render everywhere;
the check asks ``QFontDatabase.families(Korean)`` because ``fontInfo()`` reports the requested
family even when glyphs fall back to another font.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from runofshow.resources import assets_dir

FONT_FILES = ("NanumSquareR.ttf", "NanumSquareB.ttf")
FAMILY = "NanumSquare"


def load_bundled_fonts() -> list[str]:
    """Register the bundled font files; returns the families Qt found in them."""
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(assets_dir() / "fonts" / name))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(set(families))


def korean_families() -> list[str]:
    """Every family Qt can use to write Korean."""
    return QFontDatabase.families(QFontDatabase.WritingSystem.Korean)


def ui_font(pixel_size: int = 16, bold: bool = False) -> QFont:
    """The UI font at a pixel size (pixels, so a layout scales with the window, not the DPI)."""
    font = QFont(FAMILY)
    font.setPixelSize(max(1, pixel_size))
    font.setBold(bold)
    return font
