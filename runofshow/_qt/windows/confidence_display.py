"""The speaker's confidence display: a borderless full-screen window on the stage monitor.

It shows only what a speaker can take in at a glance from the lectern: the countdown (digits at
least 40 % of the screen's height), the phase as colour and as a word, and one optional line
from the MC or the stage manager. Blackout (B or '.', a show command) turns it black without
closing it. All of it comes from the show's ``Display``: the blackout and the message are
journaled show state, so this window only draws them (``blackout_changed`` tells the stage
manager's status line).

Its screen is remembered in QSettings by name and geometry. When that screen disappears (a
cable pulled mid-show) the window moves to a screen no operator window is on, or hides, and
``placement_changed`` tells the operators where it went; when a screen with the same name comes
back, it returns there. The choice of screen is the pure ``place()``, tested on made-up lists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from PySide6.QtCore import Property, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from runofshow._qt.i18n import Translator
from runofshow._qt.show.display import Display
from runofshow._qt.widgets.countdown_widget import CountdownWidget
from runofshow._qt.widgets.drawn_when_shown import DrawnWhenShown
from runofshow._qt.widgets.fit_label import FitLabel
from runofshow._qt.widgets.phase_style import NORMAL, PhaseStyle, palette_for, style_for
from runofshow.core.fold import StageMessage

SETTINGS_KEY = "stage/screen"
FLASH_INTERVAL_MS = 500  # one flash a second: well under the 3 Hz photosensitivity limit
FLASH_TOGGLES = 10  # five seconds of flashing, then the message stays steady

# wanted: on its screen; moved: its screen is gone (or the MC's), on another; hidden: its screen
# is gone (or the MC's) and no other is free; none: there never was a screen for it (a laptop
# alone); off: switched off in the menu.
PlacementState = Literal["wanted", "moved", "hidden", "none", "off"]


@dataclass(frozen=True, slots=True)
class ScreenKey:
    """A screen as it can be recognised again after it was unplugged: name and geometry."""

    name: str
    x: int
    y: int
    width: int
    height: int

    @classmethod
    def of(cls, screen: QScreen) -> ScreenKey:
        g = screen.geometry()
        return cls(screen.name(), g.x(), g.y(), g.width(), g.height())

    def to_setting(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_setting(cls, value: object) -> ScreenKey | None:
        """The remembered screen, or None for a missing or unreadable setting."""
        try:
            return cls(**json.loads(str(value)))
        except (TypeError, ValueError, RecursionError):
            return None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the display is: on its chosen screen, moved to another, hidden, or switched off.
    ``number`` counts from 0, as the MC window's ``--screen N`` does."""

    state: PlacementState
    number: int | None = None
    # Why it is not where it was wanted: "operator" when the wanted screen is one an
    # operator's window is on (the MC's own laptop screen); None otherwise.
    because: str | None = None


def find_screen(wanted: ScreenKey, screens: Sequence[ScreenKey]) -> int | None:
    """The wanted screen in ``screens``: same name and geometry, else the same name (a monitor
    plugged back in at another resolution is still the stage monitor)."""
    for match in (lambda s: s == wanted, lambda s: s.name == wanted.name):
        found = next((i for i, screen in enumerate(screens) if match(screen)), None)
        if found is not None:
            return found
    return None


def place(
    wanted: ScreenKey | None, screens: Sequence[ScreenKey], avoid: Sequence[ScreenKey]
) -> Placement:
    """Where the display goes: its wanted screen if present and no operator's window is on
    it; otherwise a screen no operator window is on (never over the MC's countdown, even if
    that is the screen remembered); otherwise nowhere."""
    because = None
    if wanted is not None:
        found = find_screen(wanted, screens)
        if found is not None and screens[found] not in avoid:
            return Placement("wanted", found)
        because = "operator" if found is not None else None
    spare = next((i for i, s in enumerate(screens) if s not in avoid), None)
    if spare is None:
        return Placement("none") if wanted is None else Placement("hidden", None, because)
    return Placement("wanted" if wanted is None else "moved", spare, because)


def placement_text(placement: Placement, tr: Translator) -> str:
    """The line the operators' windows show about the stage display."""
    key = {
        "wanted": "stage.on_screen",
        "moved": "stage.moved",
        "hidden": "stage.hidden",
        "none": "stage.no_screen",
        "off": "stage.closed",
    }[placement.state]
    if placement.because == "operator":
        key += "_operator"
    return tr(key, n=placement.number)


class ConfidenceDisplay(DrawnWhenShown, QWidget):
    """The stage monitor's window. Feed it ``show_display`` (the controller's Display)."""

    blackout_changed = Signal(bool)
    placement_changed = Signal(object)  # Placement

    def __init__(
        self,
        tr: Translator,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        flags = Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
        # The speaker's screen never takes the keyboard from an operator's window: under a
        # window manager it did, and Space, PageDown and B then went nowhere.
        super().__init__(parent, flags | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.tr_ = tr
        self.settings = settings
        self._message: StageMessage | None = None
        self.avoid_screens: Callable[[], list[QScreen]] = _primary_only
        self._blackout = False
        self._enabled = True
        self._style: PhaseStyle | None = None
        self._placement = Placement("off")
        self._wanted: ScreenKey | None = None
        self._flash_left = 0
        self._lit = False
        self._build()
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication), "a window needs a QGuiApplication"
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screen_removed)
        self.setWindowTitle(tr("window.confidence"))
        self.setCursor(Qt.CursorShape.BlankCursor)

    def _build(self) -> None:
        self.setAutoFillBackground(True)
        self.setPalette(_black(self.palette()))
        self.content = QWidget(self)
        self.content.setAutoFillBackground(True)
        self.countdown = CountdownWidget()
        self.phase_word = FitLabel(bold=True, align=Qt.AlignmentFlag.AlignHCenter)
        self.message_band = QWidget()
        self.message_band.setAutoFillBackground(True)
        self.message = FitLabel(bold=True, align=Qt.AlignmentFlag.AlignHCenter, height_fill=0.7)
        band = QVBoxLayout(self.message_band)
        band.setContentsMargins(16, 0, 16, 0)
        band.addWidget(self.message)
        inner = QVBoxLayout(self.content)
        inner.setContentsMargins(24, 8, 24, 16)
        inner.setSpacing(0)
        inner.addWidget(self.countdown, 56)
        inner.addWidget(self.phase_word, 17)
        inner.addWidget(self.message_band, 23)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.content)

    # -- what it shows ------------------------------------------------------------------------
    def show_display(self, display: Display) -> None:
        """Blackout and the message follow at once, shown or not (the stage manager's window
        reports them); the countdown is drawn only while shown (``DrawnWhenShown``)."""
        self.set_blackout(display.blackout)
        if display.message != self._message:
            self._message = display.message
            self._show_message(display.message)
        super().show_display(display)

    @property
    def message_text(self) -> str:
        return "" if self._message is None else self._message.text

    def _draw(self, display: Display) -> None:
        """The countdown, its colours and its word, from the same Display the MC sees (only
        while shown: ``DrawnWhenShown``)."""
        style = style_for(display.visual, display.flash_on)
        if style != self._style:
            self._style = style
            self.content.setPalette(palette_for(style, self.content.palette()))
            self._paint_band()
        self.countdown.set_countdown(display.countdown, display.template)
        self.phase_word.setText(display.phase_word)

    def _show_message(self, message: StageMessage | None) -> None:
        """A message sits on a band in the phase's colours swapped, so it reads as a message
        and not as the phase word; a flashing one blinks the band for a few seconds."""
        self.message.setText("" if message is None else message.text)
        self._flash_left = FLASH_TOGGLES if message is not None and message.flash else 0
        self._lit = message is not None
        if self._flash_left:
            self._flash_timer.start()
        else:
            self._flash_timer.stop()
        self._paint_band()

    def _flash_step(self) -> None:
        """One half-period of a flashing message: swap its colours; after the last, steady."""
        self._flash_left -= 1
        self._lit = not self._lit
        if self._flash_left <= 0:
            self._flash_timer.stop()
            self._lit = self._message is not None
        self._paint_band()

    @property
    def message_lit(self) -> bool:
        """Whether the message band is lit (phase colours swapped): a message is on and, if it
        flashes, in the lit half of the flash."""
        return self._lit

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    def _paint_band(self) -> None:
        """The band takes the phase's colours, swapped while it is lit."""
        style = self._style or NORMAL
        bg, fg = (style.background, style.text)
        if self._lit:
            bg, fg = fg, bg
        palette = QPalette(self.message_band.palette())
        palette.setColor(QPalette.ColorRole.Window, QColor(bg))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(fg))
        self.message_band.setPalette(palette)

    # -- blackout -----------------------------------------------------------------------------
    def is_blackout(self) -> bool:
        return self._blackout

    def set_blackout(self, on: bool) -> None:
        """Black screen (the countdown keeps running underneath); tells listeners on change.
        The show's blackout is a show command: this only draws it."""
        if on == self._blackout:
            return
        self._blackout = on
        self.content.setVisible(not on)
        self.blackout_changed.emit(on)

    def toggle_blackout(self) -> None:
        self.set_blackout(not self._blackout)

    blackout = Property(bool, is_blackout, set_blackout, notify=blackout_changed)

    # -- which screen -------------------------------------------------------------------------
    @property
    def placement(self) -> Placement:
        return self._placement

    def restore_screen(self) -> None:
        """The remembered screen from QSettings (if any), then go there."""
        if self.settings is not None:
            self._wanted = ScreenKey.from_setting(self.settings.value(SETTINGS_KEY, ""))
        self.relocate()

    def use_screen(self, number: int) -> str | None:
        """Put the display on screen ``number`` (from 0, as ``--screen N``; what
        ``--stage-screen N`` and the menu pick) and remember it. None when done, else the
        catalogue key saying why not: there is no such screen, or an operator's window is on
        it (the MC's countdown is never covered)."""
        screens = QGuiApplication.screens()
        if not 0 <= number < len(screens):
            return "stage.no_such_screen"
        if screens[number] in self.avoid_screens():
            return "stage.operator_screen"
        self._wanted = ScreenKey.of(screens[number])
        if self.settings is not None:
            self.settings.setValue(SETTINGS_KEY, self._wanted.to_setting())
        self._enabled = True
        self.relocate()
        return None

    def set_enabled_on_stage(self, on: bool) -> None:
        """Switch the stage display on or off (the menu's "Show stage display")."""
        self._enabled = on
        self.relocate()

    def relocate(self, gone: QScreen | None = None) -> Placement:
        """Go where ``place()`` says among the present screens (less ``gone``, a screen being
        removed right now), and tell the operators if that changed."""
        screens = [s for s in QGuiApplication.screens() if s is not gone]
        keys = [ScreenKey.of(s) for s in screens]
        avoid = [ScreenKey.of(s) for s in self.avoid_screens() if s is not gone]
        placement = place(self._wanted, keys, avoid) if self._enabled else Placement("off")
        if placement.number is None:
            self.hide()
        else:
            self._move_to(screens[placement.number])
        if placement != self._placement:
            self._placement = placement
            self.placement_changed.emit(placement)
        return placement

    def _move_to(self, screen: QScreen) -> None:
        """Full screen on ``screen``: leave full screen first, or the window stays put."""
        if self.isVisible() and self.screen() is screen:
            return
        self.hide()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        # Not showFullScreen(): it activates the window (see __init__).
        self.setWindowState(Qt.WindowState.WindowFullScreen)
        self.show()

    def _screens_changed(self, _screen: QScreen) -> None:
        self.relocate()

    def _screen_removed(self, screen: QScreen) -> None:
        self.relocate(gone=screen)


def _primary_only() -> list[QScreen]:
    """Until the lead says which screens the operators' windows are on: the primary screen."""
    primary = QGuiApplication.primaryScreen()
    return [primary] if primary is not None else []


def _black(base: QPalette) -> QPalette:
    palette = QPalette(base)
    palette.setColor(QPalette.ColorRole.Window, QColor("#000000"))
    return palette
