"""Agenda errors, shown where the MC will see them.

Started on a broken agenda there is no show to run, so the window shows the problems
(``PATH:LINE:COL: error: …``, the same lines ``runofshow check`` prints) and waits for the file
to be saved fixed. Opening or reloading a broken agenda during a show instead raises a dialog
and leaves the running show alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget

from runofshow._qt.fonts import ui_font
from runofshow._qt.i18n import Translator
from runofshow.core.problems import Problem


def problem_text(problems: Sequence[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


class ProblemsPage(QWidget):
    """The problems of the agenda the window is waiting on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setFont(ui_font(28, bold=True))
        self.hint = QLabel()
        self.hint.setFont(ui_font(18))
        self.listing = QPlainTextEdit()
        self.listing.setReadOnly(True)
        self.listing.setFont(ui_font(16))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.listing, 1)
        self._problems: Sequence[Problem] = ()

    def show_problems(self, problems: Sequence[Problem], tr: Translator) -> None:
        self._problems = problems
        self.retranslate(tr)

    def retranslate(self, tr: Translator) -> None:
        self.heading.setText(tr("errors.title"))
        self.hint.setText(tr("errors.waiting"))
        self.listing.setPlainText(problem_text(self._problems))


def problems_dialog(parent: QWidget, problems: Sequence[Problem], tr: Translator) -> QMessageBox:
    """A window-modal, non-blocking message listing the problems; the show keeps running."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("errors.title"))
    box.setText(f"{tr('errors.title')}\n{tr('errors.kept')}")
    box.setDetailedText(problem_text(problems))
    box.setInformativeText(problem_text(problems[:8]))
    box.open()
    return box
