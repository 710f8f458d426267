"""Every command of the MC's window as a ``QAction``: its words, its keys, its menu.

One table (``ACTION_SPECS``) holds the keys, so the menus, the buttons and the help overlay
(F1) all show the same shortcuts. The keys follow what MCs already have in hand: a presentation
clicker sends PageDown/PageUp (or Right/Left, or B and '.' for blackout), a keyboard has Space.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from runofshow._qt.i18n import Translator


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One command: catalogue key, shortcuts (first one is shown in menus), menu, checkable."""

    name: str
    keys: tuple[str, ...]
    menu: str
    checkable: bool = False
    # Show keys work from every window of the app (the stage manager's, or a stage display
    # someone clicked), not only the MC's; window keys (full screen, Esc) act on their own.
    app_wide: bool = True


ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("next", ("PgDown", "Right", "Return", "Enter", "N"), "show"),
    ActionSpec("previous", ("PgUp", "Left", "P"), "show"),
    ActionSpec("toggle", ("Space",), "show"),
    ActionSpec("start", ("F5",), "show"),
    ActionSpec("undo", ("Ctrl+Z",), "show"),
    ActionSpec("add_minute", ("+", "=", "Num++"), "time"),
    ActionSpec("remove_minute", ("-", "Num+-"), "time"),
    ActionSpec("add_10s", ("Shift++", "Shift+Num++"), "time"),
    ActionSpec("remove_10s", ("Shift+-", "_", "Shift+Num+-"), "time"),
    ActionSpec("blackout", ("B", "."), "view", checkable=True),
    ActionSpec("mute", ("M",), "view", checkable=True),
    ActionSpec("stage_manager", ("Ctrl+2",), "view"),
    ActionSpec("fullscreen", ("F11",), "view", checkable=True, app_wide=False),
    ActionSpec("leave_fullscreen", ("Esc",), "view", app_wide=False),
    ActionSpec("help", ("F1", "?"), "help"),
    ActionSpec("open", ("Ctrl+O",), "file"),
    ActionSpec("new_show", ("Ctrl+Shift+N",), "file"),
    ActionSpec("reload", ("Ctrl+R",), "file"),
    ActionSpec("quit", ("Ctrl+Q",), "file"),
)

MENU_ORDER = ("file", "show", "time", "view", "help")


def key_text(spec: ActionSpec) -> str:
    """All of an action's keys as the user's platform writes them: ``PgDown, Right, …``."""
    return ", ".join(
        QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.keys
    )


def build_actions(
    owner: QWidget, handlers: Mapping[str, Callable[[], object]]
) -> dict[str, QAction]:
    """Create the actions on ``owner`` (so their keys work with the menu bar hidden in full
    screen) and connect each to its handler."""
    actions: dict[str, QAction] = {}
    for spec in ACTION_SPECS:
        action = QAction(owner)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        context = Qt.ShortcutContext.ApplicationShortcut if spec.app_wide else None
        action.setShortcutContext(context or Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(spec.checkable)
        handler = handlers[spec.name]
        action.triggered.connect(lambda _checked=False, h=handler: h())
        owner.addAction(action)
        actions[spec.name] = action
    return actions


def retranslate_actions(actions: Mapping[str, QAction], tr: Translator) -> None:
    """Words in the current language, with the keys in tooltips and on the buttons."""
    for spec in ACTION_SPECS:
        action = actions[spec.name]
        text = tr(f"action.{spec.name}")
        first_key = QKeySequence(spec.keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
        action.setText(text)
        action.setIconText(f"{text} [{first_key}]")
        action.setToolTip(f"{text} ({key_text(spec)})")
