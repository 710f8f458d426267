"""The speaker's confidence display: digit size against the screen, phase colours, messages
and their flash, blackout (keys, property, signal), and its screen: the pure choice on made-up
screen lists, and the window's own handling of a screen removed and added back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from qt_helpers import host_for

from runofshow._qt.fonts import ui_font
from runofshow._qt.i18n import Translator
from runofshow._qt.show.controller import ShowController
from runofshow._qt.widgets.countdown_widget import REFERENCE_PX, GlyphCells
from runofshow._qt.widgets.phase_style import DANGER, NORMAL, WRAPUP
from runofshow._qt.windows.confidence_display import (
    FLASH_TOGGLES,
    SETTINGS_KEY,
    ConfidenceDisplay,
    Placement,
    ScreenKey,
    place,
    placement_text,
)
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine

LAPTOP = ScreenKey("eDP-1", 0, 0, 1920, 1080)
STAGE = ScreenKey("HDMI-1", 1920, 0, 1920, 1080)
PROJECTOR = ScreenKey("DP-2", 3840, 0, 1280, 720)


@pytest.fixture
def stage(qtbot, engine: ShowEngine) -> tuple[ConfidenceDisplay, ShowController]:
    """A display fed by the host of the hand-built show, 1920×1080, not yet started."""
    host = host_for(engine, "ko")
    controller = host.controller
    display = ConfidenceDisplay(host.tr_, QSettings())
    qtbot.addWidget(display)
    host.setParent(display)  # lives as long as the display
    host.display_changed.connect(display.show_display)
    controller.refresh()
    display.resize(1920, 1080)
    display.show()
    qtbot.waitExposed(display)
    return display, controller


def digit_height(display: ConfidenceDisplay) -> float:
    reference = GlyphCells(ui_font(REFERENCE_PX, bold=True)).digit_height
    return display.countdown.pixel_size() * reference / REFERENCE_PX


@pytest.mark.parametrize("size", [(1920, 1080), (1920, 1200), (1280, 720)])
@pytest.mark.parametrize("template", ["8:88", "88:88", "+8:88"])
def test_digits_at_least_forty_percent_of_the_screen(stage, size, template: str) -> None:
    """Up to a 99-minute countdown and ten minutes of overtime, the digits stand at least 40 %
    of the screen high. (Ten minutes over, ``+88:88`` is bound by the width: 36 % at 16:9.)"""
    display, _controller = stage
    display.resize(*size)
    display.countdown.set_countdown(template.replace("8", "0"), template)
    display.layout().activate()
    display.content.layout().activate()
    assert digit_height(display) >= 0.4 * size[1]


def test_phase_colours_and_words(stage, engine: ShowEngine, clock: FakeClock) -> None:
    """Normal is black, wrap-up amber with its word, danger red: the MC's own colours."""
    display, controller = stage
    controller.parent().execute("start")
    assert display.content.palette().window().color().name() == NORMAL.background
    clock.advance(250)
    controller.refresh()
    assert display.content.palette().window().color().name() == WRAPUP.background
    assert display.phase_word.text() == "마무리"
    assert display.countdown.text() == "0:50"
    clock.advance(30)
    controller.refresh()
    assert display.content.palette().window().color().name() == DANGER.background


def test_message_shows_and_flashes(qtbot, stage) -> None:
    """A message appears on a lit band; a flashing one blinks for FLASH_TOGGLES half-periods,
    then stays lit; clearing empties the band."""
    display, controller = stage
    host = controller.parent()
    host.execute("message", {"text": "마무리 부탁드립니다"})
    assert display.message.text() == "마무리 부탁드립니다"
    assert display.message_lit and not display.flashing
    host.execute("message", {"text": "WRAP UP", "flash": True})
    assert display.flashing
    seen = set()
    for _ in range(FLASH_TOGGLES):
        display._flash_step()
        seen.add(display.message_lit)
    assert seen == {True, False}
    assert display.message_lit and not display.flashing
    host.execute("clear_message")
    assert display.message.text() == "" and not display.message_lit


def test_flash_runs_on_its_timer(qtbot, stage) -> None:
    """Left to its timer, the flash stops by itself and the message stays on."""
    display, controller = stage
    controller.parent().execute("message", {"text": "Mic check", "flash": True})
    qtbot.waitUntil(lambda: not display.flashing, timeout=8000)
    assert display.message_lit and display.message.text() == "Mic check"


def test_blackout_by_property_and_signal(qtbot, stage) -> None:
    """Blackout turns the display black and back; the property and the signal say so, and
    the countdown's content is hidden while black. (The B key is the operators' windows'
    show key: the display itself never takes the keyboard, see below.)"""
    display, _controller = stage
    with qtbot.waitSignal(display.blackout_changed) as blocker:
        display.setProperty("blackout", True)
    assert blocker.args == [True]
    assert display.property("blackout") is True and display.content.isHidden()
    assert display.grab().toImage().pixelColor(960, 540).name() == "#000000"
    with qtbot.waitSignal(display.blackout_changed) as blocker:
        display.toggle_blackout()
    assert blocker.args == [False] and not display.is_blackout()
    with qtbot.assertNotEmitted(display.blackout_changed):
        display.set_blackout(False)


def test_the_display_never_takes_the_keyboard(stage) -> None:
    """Shown full screen on the stage monitor, the display is marked so that a window
    manager never gives it the keyboard (under openbox it took it, and Space, PageDown and B
    then went nowhere; tests/showday proves the keys on a real desktop)."""
    display, _controller = stage
    assert display.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert display.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_place_prefers_the_wanted_screen() -> None:
    """The remembered screen wins wherever it is in the list; a monitor back at another
    resolution is still recognised by its name."""
    assert place(STAGE, [LAPTOP, PROJECTOR, STAGE], [LAPTOP]) == Placement("wanted", 2)
    moved = ScreenKey("HDMI-1", 1920, 0, 1280, 720)
    assert place(STAGE, [LAPTOP, moved], [LAPTOP]) == Placement("wanted", 1)


def test_place_falls_back_then_hides() -> None:
    """Stage screen gone: move to a screen no operator window is on, else hide; never cover
    the MC's laptop. With nothing remembered, the first free screen is taken."""
    assert place(STAGE, [LAPTOP, PROJECTOR], [LAPTOP]) == Placement("moved", 1)
    assert place(STAGE, [LAPTOP], [LAPTOP]) == Placement("hidden")
    assert place(None, [LAPTOP, STAGE], [LAPTOP]) == Placement("wanted", 1)
    assert place(None, [LAPTOP], [LAPTOP]) == Placement("none")


def test_the_mcs_own_screen_is_never_used(qtbot) -> None:
    """A remembered stage screen that an operator's window is on (the MC's laptop screen,
    remembered from a day without a projector) is not used: the display goes to a free
    screen, or nowhere, and says why."""
    assert place(LAPTOP, [LAPTOP, PROJECTOR], [LAPTOP]) == Placement("moved", 1, "operator")
    assert place(LAPTOP, [LAPTOP], [LAPTOP]) == Placement("hidden", None, "operator")
    en = Translator("en")
    assert placement_text(Placement("hidden", None, "operator"), en) == (
        "Stage display hidden: its remembered screen is the MC's own"
    )
    assert placement_text(Placement("none"), en) == "Stage display: no second screen"


def test_placement_words() -> None:
    """The line the MC sees for each placement, in both languages."""
    en, ko = Translator("en"), Translator("ko")
    assert placement_text(Placement("moved", 1), en) == "Stage display moved to screen 1"
    assert placement_text(Placement("hidden"), en) == "Stage display hidden: its screen is gone"
    assert placement_text(Placement("moved", 1), ko) == "무대 화면이 1번 화면으로 옮겨졌습니다"


def test_screen_key_survives_settings() -> None:
    """The remembered screen reads back equal; junk reads as nothing remembered."""
    assert ScreenKey.from_setting(STAGE.to_setting()) == STAGE
    assert ScreenKey.from_setting("not json") is None
    assert ScreenKey.from_setting("") is None


def test_screen_removed_and_added_back(qtbot, stage) -> None:
    """On its screen, the display hides and says so when that screen is removed (the only
    screen left is an operator's), and returns when the same screen is added back; the
    choice is remembered in QSettings."""
    display, _controller = stage
    display.avoid_screens = list
    screen = QGuiApplication.screens()[0]
    assert display.use_screen(0) is None
    assert display.placement == Placement("wanted", 0) and display.isVisible()
    assert ScreenKey.from_setting(QSettings().value(SETTINGS_KEY)) == ScreenKey.of(screen)
    display.avoid_screens = lambda: [screen]
    with qtbot.waitSignal(display.placement_changed) as blocker:
        display._screen_removed(screen)
    assert blocker.args == [Placement("hidden")] and not display.isVisible()
    display.avoid_screens = list  # (no operator's window is on the screen coming back)
    with qtbot.waitSignal(display.placement_changed) as blocker:
        display._screens_changed(screen)
    assert blocker.args == [Placement("wanted", 0)] and display.isVisible()
    assert display.use_screen(5) == "stage.no_such_screen"


def test_restore_and_switch_off(qtbot, stage) -> None:
    """A restored display goes to the remembered screen; switched off it hides and says so."""
    display, _controller = stage
    display.avoid_screens = list
    display.use_screen(0)
    fresh = ConfidenceDisplay(Translator("en"), QSettings())
    qtbot.addWidget(fresh)
    fresh.avoid_screens = list
    fresh.restore_screen()
    assert fresh.placement == Placement("wanted", 0)
    fresh.set_enabled_on_stage(False)
    assert fresh.placement == Placement("off") and not fresh.isVisible()
