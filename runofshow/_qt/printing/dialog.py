"""File → Print run sheet…: Qt's print dialog, then the run sheet drawn on the chosen printer.

The dialog offers the machine's printers and, on every platform, printing to a PDF file (Qt's
own dialog on Linux has "Print to File (PDF)", Windows has "Microsoft Print to PDF", macOS a
PDF button). The printer starts on A4 landscape with the run sheet's margins; whatever the
user picks, the sheet is laid out for that page.
"""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from runofshow._qt.fonts import load_bundled_fonts
from runofshow._qt.printing.run_sheet import page_layout, render_run_sheet
from runofshow._qt.printing.words import WORDS
from runofshow.core.agenda import Agenda


def print_run_sheet_dialog(
    parent: QWidget, agenda: Agenda, lang: str, digest: str | None = None
) -> bool:
    """Ask where to print and print the run sheet there; True when it was printed.
    ``digest``: as ``render_run_sheet``'s (a follower's comes from the MC's laptop)."""
    words = WORDS[lang if lang in WORDS else "en"]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout("a4"))
    printer.setDocName(f"{agenda.event.title} — {words['run_sheet']}")
    printer.setCreator("runofshow")
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(words["dialog.title"])
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    load_bundled_fonts()
    try:
        render_run_sheet(printer, agenda, lang if lang in WORDS else "en", digest=digest)
    except OSError as exc:
        QMessageBox.warning(parent, words["failed.title"], words["failed"].format(reason=exc))
        return False
    return True
