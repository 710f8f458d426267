"""Colours of each phase, and the WCAG contrast every one of them must reach.

The MC reads the window from a few metres away under stage light, sometimes colour-blind, so
colour is only a second channel (every phase is also named in words) and each foreground
keeps a contrast of at least 7:1 (WCAG AAA) against its background. Overtime flashes between
two backgrounds; both keep white text above 7:1.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

MIN_CONTRAST = 7.0


@dataclass(frozen=True, slots=True)
class PhaseStyle:
    """The colours of one visual state, as ``#rrggbb``."""

    name: str
    background: str
    text: str  # the countdown and titles
    secondary: str  # smaller lines: subtitle, speaker, next, running order
    accent: str  # the progress bar's filled part and the current running-order row


NORMAL = PhaseStyle("normal", "#000000", "#ffffff", "#d0d0d0", "#4aa3ff")
WRAPUP = PhaseStyle("wrapup", "#ffd21f", "#000000", "#1a1a1a", "#000000")
DANGER = PhaseStyle("danger", "#a00000", "#ffffff", "#ffffff", "#ffffff")
OVERTIME_ON = PhaseStyle("overtime", "#a00000", "#ffffff", "#ffffff", "#ffffff")
# The dark half of the flash, behind the digits only (``steady_style``); its foregrounds
# match OVERTIME_ON's, so a flash recolours nothing but that block.
OVERTIME_OFF = PhaseStyle("overtime-dark", "#000000", "#ffffff", "#ffffff", "#ffffff")

ALL_STYLES = (NORMAL, WRAPUP, DANGER, OVERTIME_ON, OVERTIME_OFF)


def steady_style(style: PhaseStyle) -> PhaseStyle:
    """The colours the whole view keeps while ``style`` shows: the dark half of overtime's
    flash darkens only the digits' block, the rest stays in overtime red."""
    return OVERTIME_ON if style == OVERTIME_OFF else style


def style_for(visual: str, flash_on: bool) -> PhaseStyle:
    """The style for a display's ``visual`` state; overtime alternates on ``flash_on``."""
    if visual == "wrapup":
        return WRAPUP
    if visual == "danger":
        return DANGER
    if visual == "overtime":
        return OVERTIME_ON if flash_on else OVERTIME_OFF
    return NORMAL


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


SECONDARY_ROLE = QPalette.ColorRole.BrightText  # the palette role that carries ``secondary``


def palette_for(style: PhaseStyle, base: QPalette) -> QPalette:
    """``base`` recoloured for ``style``; children inherit it, so one call recolours a view."""
    palette = QPalette(base)
    bg, fg = QColor(style.background), QColor(style.text)
    for role, colour in (
        (QPalette.ColorRole.Window, bg),
        (QPalette.ColorRole.Base, bg),
        (QPalette.ColorRole.Button, bg),
        (QPalette.ColorRole.WindowText, fg),
        (QPalette.ColorRole.Text, fg),
        (QPalette.ColorRole.ButtonText, fg),
        (QPalette.ColorRole.Highlight, QColor(style.accent)),
        (QPalette.ColorRole.HighlightedText, bg),
        (SECONDARY_ROLE, QColor(style.secondary)),
    ):
        palette.setColor(role, colour)
    return palette
