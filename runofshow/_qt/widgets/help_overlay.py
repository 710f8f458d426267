"""The keys, over the show view (F1 or ?): an MC with a clicker in hand cannot read a menu.

Every command of the table that has keys is listed, the stage manager's included (A, Delete
and T work in the MC's window too, as the show keys work in the stage manager's)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from runofshow._qt.commands.qactions import key_text
from runofshow._qt.fonts import ui_font
from runofshow._qt.i18n import Translator
from runofshow.core.commands import COMMANDS


class HelpOverlay(QWidget):
    """A panel covering its parent, listing every action with its keys."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "HelpOverlay { background: rgba(0, 0, 0, 235); } QLabel { color: white; }"
        )
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if watched is parent and parent is not None and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    def retranslate(self, tr: Translator) -> None:
        rows = "".join(
            f"<tr><td style='padding:2px 24px'>{escape(tr(command.label))}</td>"
            f"<td style='padding:2px 24px'><b>{escape(key_text(command))}</b></td></tr>"
            for command in COMMANDS
            if command.keys
        )
        self.label.setText(
            f"<h1>{escape(tr('help.title'))}</h1><table align='center'>{rows}</table>"
            f"<p>{escape(tr('help.close'))}</p>"
        )

    def toggle(self) -> None:
        self.setVisible(not self.isVisible())
        if self.isVisible():
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
            self.label.setFont(ui_font(max(14, self.height() // 42)))
            self.raise_()
