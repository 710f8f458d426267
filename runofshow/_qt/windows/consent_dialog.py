"""The operator's consent to an agenda's cue commands, asked before any of them runs.

An agenda may name programs to run when segments start (``cue.command``). Opening one never
runs anything; the first time its commands could run, the operator sees every one of them,
program and arguments exactly as they would be started (they never go through a shell), which
segment fires it and how long it may run, and chooses "Allow these commands" or "Not now" (the
default: Enter and Esc both decline). The answer is remembered by the commands' content
(``runofshow.core.consent``): an edited command is asked about again.

The shell's use, in short (the menu item Show ▸ Allow cue commands calls ``ask_consent`` too)::

    consent = CommandConsent(state_dir(args.state_dir))
    runner = CueRunner(controller, controller, allowed=consent.approved)
    ask_consent(window, tr, agenda, consent)          # after opening an agenda with commands
"""

from __future__ import annotations

import shlex

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runofshow._qt.i18n import Translator
from runofshow.core.agenda import Agenda
from runofshow.core.consent import AgendaCommand, CommandConsent, agenda_commands

__all__ = ["ConsentDialog", "ask_consent"]


class ConsentDialog(QDialog):
    """Every command ``agenda`` would run, with "Allow these commands" and "Not now"."""

    def __init__(self, tr: Translator, agenda: Agenda, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.commands = agenda_commands(agenda)
        self.setWindowTitle(tr("consent.title"))
        self.setModal(True)
        self.intro = QLabel(tr("consent.intro", file=agenda.path.name, n=len(self.commands)))
        self.intro.setWordWrap(True)
        self.table = self._table()
        buttons = QDialogButtonBox(self)
        self.allow_button = QPushButton(tr("consent.allow"))
        self.not_now_button = QPushButton(tr("consent.not_now"))
        buttons.addButton(self.allow_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.not_now_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.allow_button.setAutoDefault(False)
        self.not_now_button.setDefault(True)  # Enter declines: allowing takes a deliberate click
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 200 + 28 * len(self.commands))
        self.not_now_button.setFocus()

    def _table(self) -> QTableWidget:
        """One row per command: the segment, the program and arguments (monospace, quoted as
        a shell would need them), and how long it runs."""
        headers = [
            self.tr_("consent.segment"),
            self.tr_("consent.command"),
            self.tr_("consent.runs"),
        ]
        table = QTableWidget(len(self.commands), len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for row, command in enumerate(self.commands):
            for column, text in enumerate(self.cells(command)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 1:
                    item.setFont(mono)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return table

    def cells(self, command: AgendaCommand) -> tuple[str, str, str]:
        """The row's three cells, in the dialog's language."""
        segment = self.tr_("consent.segment_cell", n=command.number, title=command.title)
        if command.detach:
            runs = self.tr_("consent.detach", t=command.timeout_s)
        else:
            runs = self.tr_("consent.timeout", t=command.timeout_s)
        return segment, shlex.join(command.argv), runs


def ask_consent(
    parent: QWidget | None, tr: Translator, agenda: Agenda, consent: CommandConsent
) -> bool:
    """Whether ``agenda``'s commands may run: True at once if they were allowed before (or
    there are none); otherwise the dialog asks, and "Allow" is remembered. Blocks while the
    dialog is open."""
    if consent.approved(agenda):
        return True
    dialog = ConsentDialog(tr, agenda, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        consent.approve(agenda)
        return True
    finally:
        dialog.deleteLater()
