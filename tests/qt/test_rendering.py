"""How the window draws: contrast, scaling digits, fixed glyph cells, Korean fonts."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QFontMetricsF, QImage
from qt_helpers import advance

from runofshow._qt.fonts import FAMILY, korean_families, ui_font
from runofshow._qt.widgets.countdown_widget import DIGITS, CountdownWidget, GlyphCells
from runofshow._qt.widgets.phase_style import (
    ALL_STYLES,
    MIN_CONTRAST,
    SECONDARY_ROLE,
    contrast_ratio,
    relative_luminance,
)


def test_wcag_contrast_formula_matches_known_values():
    """The contrast function agrees with WCAG's reference points."""
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("style", ALL_STYLES, ids=lambda s: s.name)
def test_every_phase_keeps_text_contrast_of_seven_to_one(style):
    """Main and secondary text reach WCAG AAA (7:1) in every phase and both flash states."""
    assert contrast_ratio(style.text, style.background) >= MIN_CONTRAST
    assert contrast_ratio(style.secondary, style.background) >= MIN_CONTRAST


def test_the_palette_on_screen_has_the_contrast_too(window, engine, clock):
    """What the view actually paints with (its background and its palette's text colours)
    keeps 7:1 through a whole pitch, both halves of the overtime flash included."""
    engine.start()
    engine.goto(1)
    seen = set()
    for _ in range(330 * 4):
        advance(window, clock, 0.25)
        palette = window.view.palette()
        bg = window.view.countdown_background()
        for role in (palette.windowText(), palette.brush(SECONDARY_ROLE)):
            assert contrast_ratio(role.color().name(), bg) >= MIN_CONTRAST
        seen.add(window.view.style_.name)
    assert seen == {"normal", "wrapup", "danger", "overtime", "overtime-dark"}


def test_digits_are_drawn_in_equal_cells():
    """Every digit gets the same cell width, so a running clock does not shimmy."""
    cells = GlyphCells(ui_font(120, bold=True))
    assert {cells.cell(d) for d in DIGITS} == {cells.digit}
    assert cells.width("1:11") == cells.width("8:88")


def test_the_countdown_grows_with_the_window(qtbot, window, engine):
    """Resizing the window rescales the digits: bigger window, bigger countdown."""
    window.resize(800, 500)
    qtbot.waitUntil(lambda: window.view.countdown.height() < 250)
    small = window.view.countdown.pixel_size()
    window.resize(1900, 1050)
    qtbot.waitUntil(lambda: window.view.countdown.height() > 350)
    large = window.view.countdown.pixel_size()
    assert large > small * 1.8


def test_countdown_fills_its_box_without_clipping(qtbot):
    """The template's cells fit the widget's width and the digits its height."""
    widget = CountdownWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.set_countdown("+12:34", "+88:88")
    cells = GlyphCells(ui_font(widget.pixel_size(), bold=True))
    assert cells.width("+88:88") <= widget.width()
    assert cells.digit_height <= widget.height()
    assert cells.width("+88:88") > 0.8 * widget.width() or cells.digit_height > 0.8 * 300


def test_the_size_does_not_jump_when_minutes_lose_a_digit(window, engine, clock):
    """10:00 -> 9:59 keeps the digit size (the template is the segment's widest text)."""
    engine.start()
    window.host.execute("add", {"seconds": 360})  # 11:00 on the opening's clock
    advance(window, clock, 59.5)
    before = window.view.countdown.pixel_size()
    assert window.view.countdown.text() == "10:01"
    advance(window, clock, 2)
    assert window.view.countdown.text() == "9:59"
    assert window.view.countdown.pixel_size() == before


def test_bundled_font_gives_korean(bundled_fonts):
    """NanumSquare is registered and Qt lists it among the families that write Korean."""
    assert FAMILY in bundled_fonts
    assert FAMILY in korean_families()
    assert QFontDatabase.WritingSystem.Korean in QFontDatabase.writingSystems(FAMILY)


def test_korean_title_is_painted(qtbot, window):
    """The Korean title paints real glyphs: some pixels in its box differ from the background."""
    window.view.title.setText("개회")
    image: QImage = window.view.title.grab().toImage()
    bg = window.view.palette().window().color().rgb()
    inked = sum(
        image.pixel(x, y) != bg
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )
    assert inked > 20


def test_a_second_flip_repaints_only_the_changed_digit(qtbot):
    """4:59 -> 4:58 repaints the last cell only; a change of layout (9:59 -> 10:00 in a wider
    template, or the sign appearing) repaints the whole countdown."""
    widget = CountdownWidget()
    qtbot.addWidget(widget)
    widget.resize(1200, 400)
    widget.set_countdown("4:59", "8:88")
    spans = widget._spans("4:58")
    rect = widget._changed_rect("4:59", "4:58")
    last_left, _width = spans[-1]
    assert rect.left() >= last_left - 5 and rect.right() <= widget.width()
    assert rect.width() < widget.width() / 3
    assert widget._same_cells("+0:59", "+1:00")
    assert not widget._same_cells("9:59", "10:00")
    assert not widget._same_cells("0:01", "+0:00")


def test_a_line_shrinks_to_fit_and_is_cut_only_when_even_the_smallest_size_is_too_wide(qtbot):
    """A title longer than its box is drawn smaller, whole; only a text too wide at the
    smallest size is cut with an ellipsis, so a long Korean title never runs off the screen."""
    from runofshow._qt.widgets.fit_label import MIN_PX, FitLabel

    label = FitLabel()
    qtbot.addWidget(label)
    label.resize(400, 60)
    label.setText("② 중소기업 전용 기술보호 정책보험")
    size, font, text = label._layout()
    assert size > MIN_PX and text == "② 중소기업 전용 기술보호 정책보험"
    assert QFontMetricsF(font).horizontalAdvance(text) <= label.width()
    label.setText("② 중소기업 전용 기술보호 정책보험 " * 20)
    size, _font, text = label._layout()
    assert size == MIN_PX and text.endswith("…") and len(text) < len(label.text())


@pytest.mark.parametrize(
    ("seconds", "phase"), [(60, "normal"), (250, "wrapup"), (280, "danger"), (312, "overtime")]
)
def test_the_digits_stand_at_least_forty_percent_of_a_laptop_window(
    qtbot, window, engine, clock, seconds, phase
):
    """On a 1366x768 stage laptop, full screen, the countdown's digits are at least 40 % of
    the window's height before overtime, a third in it (they were 33 % and 29 %): the MC reads
    them from across the stage."""
    from runofshow._qt.widgets.countdown_widget import REFERENCE_PX, GlyphCells

    window.showFullScreen()
    qtbot.waitUntil(window.isFullScreen)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.height() == 768)
    window.host.execute("start")
    advance(window, clock, seconds)
    assert window.host.controller.display.visual == phase
    countdown = window.view.countdown
    countdown.layout() or window.view.layout().activate()
    digit = GlyphCells(ui_font(REFERENCE_PX, bold=True)).digit_height
    height = countdown.pixel_size() * digit / REFERENCE_PX
    # Overtime is bound by the width of "+8:88": 34 % (it was 29 %).
    assert height >= (0.40 if phase != "overtime" else 0.33) * window.height(), height
