"""The message composer: one short line for the speaker's confidence display, typed or picked
from presets by the MC or the stage manager, with an optional flash.

Sending is the show command ``message`` (journaled like every operator action, so a restart
and a second machine show it too); the line on stage comes back in the show's ``Display``.
Presets come in the operator's language; "Next: {speaker}" is filled in with the next
segment's speaker when sent.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
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

from runofshow._qt.app.host import ShowHost
from runofshow._qt.i18n import Translator
from runofshow._qt.show.display import Display
from runofshow.core.commands import MAX_MESSAGE_CHARS
from runofshow.core.engine import ShowEngine
from runofshow.core.fold import StageMessage

PRESETS = ("wrap_up", "one_minute", "mic_check", "louder", "next_speaker")


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


TypingKeysFilter = _TypingKeysFilter  # for the other boxes the stage manager types in


class MessageComposer(QWidget):
    """Type a message (Enter sends), tick Flash, or press a preset; shows what is on stage."""

    def __init__(self, host: ShowHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.tr_ = host.tr_
        self.current: StageMessage | None = None
        self.line = QLineEdit()
        self.line.setMaxLength(MAX_MESSAGE_CHARS)
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
        host.display_changed.connect(self._follow)
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
        """Send what is typed (Enter or the Send button) and empty the box for the next one;
        blank text takes the message off instead."""
        text = self.line.text()
        if not text.strip():
            self.host.execute("clear_message", source="menu")
            return
        if self.host.execute(
            "message", {"text": text, "flash": self.flash.isChecked()}, source="menu"
        ).taken:  # applied here, or sent to the primary (a refusal there is said)
            self.line.clear()

    def send_preset(self, name: str) -> None:
        text = preset_text(name, self.tr_, self.host.engine)
        self.host.execute("message", {"text": text, "flash": self.flash.isChecked()}, source="menu")

    def _follow(self, display: Display) -> None:
        if display.message != self.current:
            self.current = display.message
            self._show_current(display.message)

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
        self._show_current(self.current)
