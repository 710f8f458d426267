"""Messages to the stage: one short line on the speaker's confidence display, sent by the MC or
the stage manager, with an optional flash, cleared with one key.

``StageMessages`` is the one shared state (both windows write it, the confidence display reads
it); there is one message at a time, so sending replaces. ``MessageComposer`` is the typing box,
the flash switch and the preset buttons, usable in either window. Presets come in the
operator's language; "Next: {speaker}" is filled in with the next segment's speaker when sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from runofshow._qt.i18n import Translator
from runofshow.core.engine import ShowEngine

MAX_CHARS = 80  # one line the speaker can read at a glance
PRESETS = ("wrap_up", "one_minute", "mic_check", "louder", "next_speaker")


@dataclass(frozen=True, slots=True)
class StageMessage:
    """The message on stage. ``serial`` grows with every send, so sending the same words again
    is a new message (it flashes again)."""

    text: str
    flash: bool
    serial: int


def one_line(text: str) -> str:
    """Whitespace (newlines from a paste included) folded to single spaces, cut to MAX_CHARS."""
    return " ".join(text.split())[:MAX_CHARS]


class StageMessages(QObject):
    """The message on stage, shared by every window; ``changed`` carries it (or None)."""

    changed = Signal(object)  # StageMessage | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current: StageMessage | None = None
        self._serial = 0

    @property
    def current(self) -> StageMessage | None:
        return self._current

    def send(self, text: str, flash: bool = False) -> bool:
        """Put ``text`` on stage, replacing any message; blank text clears instead."""
        line = one_line(text)
        if not line:
            return self.clear()
        self._serial += 1
        self._current = StageMessage(line, flash, self._serial)
        self.changed.emit(self._current)
        return True

    def clear(self) -> bool:
        """Take the message off stage; False when there was none."""
        if self._current is None:
            return False
        self._current = None
        self.changed.emit(None)
        return True


def preset_text(name: str, tr: Translator, engine: ShowEngine) -> str:
    """A preset's words now: "Next: {speaker}" names the next segment's speaker (its title when
    it has none)."""
    if name != "next_speaker":
        return tr(f"preset.{name}")
    next_index = engine.now().next_index
    if next_index is None:
        return tr("preset.end_of_show")
    segment = engine.agenda.segments[next_index]
    return tr("preset.next_speaker", speaker=segment.speaker or segment.title)


class _TypingKeysFilter(QObject):
    """Keys typed in the message box stay in it: Return/Enter send the message (without this
    the window's "next" shortcut, Return and Enter, would take the key and advance the show)
    and Esc leaves the box, so the show keys (A, Space, …) are the window's again."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent):
            return False
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        escape = event.key() == Qt.Key.Key_Escape
        if event.type() == QEvent.Type.ShortcutOverride and (enter or escape):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress and escape and isinstance(watched, QWidget):
            watched.clearFocus()
            return True
        return False


class MessageComposer(QWidget):
    """Type a message (Enter sends), tick Flash, or press a preset; shows what is on stage."""

    def __init__(
        self,
        messages: StageMessages,
        tr: Translator,
        engine: Callable[[], ShowEngine],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.messages = messages
        self.tr_ = tr
        self._engine = engine
        self.line = QLineEdit()
        self.line.setMaxLength(MAX_CHARS)
        # Focus only when clicked or asked for (T): with the box focused by default, the stage
        # manager's A ("acknowledge GO") typed an "a" into it instead.
        self.line.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._filter = _TypingKeysFilter(self)
        self.line.installEventFilter(self._filter)
        self.line.returnPressed.connect(self.send_typed)
        self.flash = QCheckBox()
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self.send_typed)
        self.presets = {name: QPushButton() for name in PRESETS}
        for name, button in self.presets.items():
            button.clicked.connect(lambda _c=False, n=name: self.send_preset(n))
        self.on_stage = QLabel()
        self.on_stage.setTextFormat(Qt.TextFormat.PlainText)
        for button in (self.send_button, *self.presets.values()):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and Enter stay show keys
        self.flash.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._lay_out()
        messages.changed.connect(self._show_current)
        self.retranslate()

    def _lay_out(self) -> None:
        typing = QHBoxLayout()
        typing.addWidget(self.line, 1)
        typing.addWidget(self.flash)
        typing.addWidget(self.send_button)
        presets = QHBoxLayout()
        for button in self.presets.values():
            presets.addWidget(button)
        presets.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(typing)
        outer.addLayout(presets)
        outer.addWidget(self.on_stage)

    def send_typed(self) -> None:
        """Send what is typed (Enter or the Send button) and empty the box for the next one."""
        if self.messages.send(self.line.text(), self.flash.isChecked()):
            self.line.clear()

    def send_preset(self, name: str) -> None:
        self.messages.send(preset_text(name, self.tr_, self._engine()), self.flash.isChecked())

    def _show_current(self, message: StageMessage | None) -> None:
        if message is None:
            self.on_stage.setText(self.tr_("msg.none"))
        else:
            self.on_stage.setText(self.tr_("msg.on_stage", text=message.text))

    def retranslate(self) -> None:
        """Words in the current language (the next-speaker button shows its template)."""
        self.line.setPlaceholderText(self.tr_("msg.placeholder"))
        self.flash.setText(self.tr_("msg.flash"))
        self.send_button.setText(self.tr_("msg.send"))
        for name, button in self.presets.items():
            values = {"speaker": "…"} if name == "next_speaker" else {}
            button.setText(self.tr_(f"preset.{name}", **values))
        self._show_current(self.messages.current)
