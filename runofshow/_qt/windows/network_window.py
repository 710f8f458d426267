"""View ▸ Show network…: serve the show or not, where, with which PINs; the address to open,
as text and as a QR code for phones, and how many screens are connected.

A view of ``NetworkControl``; what it sets is remembered for the next start.
"""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from runofshow._qt.i18n import Translator
from runofshow._qt.network.control import DEFAULT_ADDRESS, NetworkControl

QR_SCALE = 6


def qr_pixmap(text: str) -> QPixmap:
    """``text`` as a QR code (segno), black on white with its quiet zone."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=QR_SCALE, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class NetworkWindow(QWidget):
    """The Network window of ``control``."""

    def __init__(self, control: NetworkControl, tr: Translator, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.control, self.tr_ = control, tr
        self.setWindowTitle(tr("network.title"))
        self.serve = QCheckBox(tr("network.serve"))
        self.address = QLineEdit(control.settings.network_address() or DEFAULT_ADDRESS)
        self.pin = QLineEdit(control.pin)
        self.view_pin = QLineEdit(control.view_pin or "")
        self.apply = QPushButton(tr("network.apply"))
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout()
        self.apply.clicked.connect(self._apply)
        self.serve.toggled.connect(lambda _on: self._apply())
        control.changed.connect(self.refresh)
        self.refresh()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.serve)
        form.addRow(self.tr_("network.address"), self.address)
        form.addRow(QLabel(self.tr_("network.lan_hint")))
        form.addRow(self.tr_("network.pin"), self.pin)
        form.addRow(self.tr_("network.view_pin"), self.view_pin)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.status)
        column.addWidget(self.qr)

    def _apply(self) -> None:
        """Set the PINs, then turn serving on (at the address typed) or off."""
        wanted = self.serve.isChecked()  # before the PINs' change redraws the switch
        try:
            self.control.set_pins(self.pin.text().strip(), self.view_pin.text().strip() or None)
        except ValueError as error:
            self.status.setText(str(error))
            return
        self.control.turn(wanted, self.address.text())

    def refresh(self) -> None:
        """What the control says now: serving where, to how many, or why not."""
        control, tr = self.control, self.tr_
        self.serve.blockSignals(True)
        self.serve.setChecked(control.listening)
        self.serve.blockSignals(False)
        if control.listening:
            url = control.url()
            clients = tr("network.clients", count=control.clients())
            self.status.setText(f"{tr('network.open', url=url)}\n{clients}")
            self.qr.setPixmap(qr_pixmap(url))
        else:
            self.status.setText(control.error or tr("network.off"))
            self.qr.clear()
