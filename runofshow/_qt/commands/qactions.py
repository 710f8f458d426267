"""The command table as Qt actions, menus and buttons.

``runofshow.core.commands`` holds every command once; this module turns its rows into
``QAction``s. Show and app commands get one action each, shared by every window, whose keys
work whichever window of the app has the keyboard (application-wide shortcuts): a clicker
pressed while the stage manager's window is in front still moves the show. Window commands
(full screen, Esc, the key list, the message box) are made per window and act on it alone.
Menus and buttons are generated from the same rows, so the keys shown in a menu, on a button
and in the key list (F1) cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolButton, QWidget

from runofshow._qt.i18n import Translator
from runofshow.core.commands import BY_NAME, COMMANDS, Command, Scope
from runofshow.core.engine import Now

MENU_ORDER = ("file", "show", "time", "stage", "view", "help")

Handler = Callable[[], object]


def key_text(command: Command) -> str:
    """All of a command's keys as the user's platform writes them: ``PgDown, Right, …``."""
    return ", ".join(
        QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in command.keys
    )


class CommandAction(QAction):
    """A command's action that knows whether a key triggered it (``by_key``) or a menu or
    button did: the journal records which (``Action.source``)."""

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.by_key = False

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Shortcut:
            return super().event(event)
        self.by_key = True  # Qt triggers the action from inside this call
        try:
            return super().event(event)
        finally:
            self.by_key = False

    @property
    def source(self) -> str:
        return "key" if self.by_key else "menu"


def make_action(
    owner: QWidget, command: Command, handler: Handler, context: Qt.ShortcutContext
) -> CommandAction:
    """One action for ``command``, added to ``owner`` (so its keys work with the menu bar
    hidden in full screen), running ``handler`` when triggered."""
    action = CommandAction(owner)
    action.setObjectName(command.name)
    action.setShortcuts([QKeySequence(k) for k in command.keys])
    action.setShortcutContext(context)
    action.setCheckable(command.checkable)
    action.triggered.connect(lambda _checked=False: handler())
    owner.addAction(action)
    return action


def retranslate(actions: Mapping[str, QAction], tr: Translator) -> None:
    """Words in the current language, with the keys in tooltips and on the buttons."""
    for name, action in actions.items():
        command = BY_NAME[name]
        text = tr(command.label)
        action.setText(text)
        if command.keys:
            first = QKeySequence(command.keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
            action.setIconText(f"{text} [{first}]")
            action.setToolTip(f"{text} ({key_text(command)})")
        else:
            action.setIconText(text)
            action.setToolTip(text)


class SharedActions(QObject):
    """One action per show and app command, for every window of the app.

    ``run_show(name, source=...)`` runs a show command (the host's ``execute``) from "key" or
    "menu" (a menu item or a button); ``app_handlers`` maps
    each app command to what it does. The actions live on ``home`` (the MC's window, which
    lives as long as the app) and answer their keys in any window of the app."""

    def __init__(
        self,
        home: QWidget,
        run_show: Callable[..., object],
        app_handlers: Mapping[str, Handler],
    ) -> None:
        super().__init__(home)
        self.actions: dict[str, CommandAction] = {}
        context = Qt.ShortcutContext.ApplicationShortcut
        for command in COMMANDS:
            if command.scope is Scope.WINDOW:
                continue
            if command.scope is Scope.SHOW:
                handler = self._show_handler(run_show, command.name)
            else:
                handler = app_handlers[command.name]
            self.actions[command.name] = make_action(home, command, handler, context)

    def _show_handler(self, run_show: Callable[..., object], name: str) -> Handler:
        """Runs show command ``name``, saying whether a key or a menu/button pressed it."""
        return lambda: run_show(name, source=self.actions[name].source)

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def retranslate(self, tr: Translator) -> None:
        retranslate(self.actions, tr)

    def follow(self, now: Now) -> None:
        """Checked states that follow the show (blackout), without triggering anything."""
        for name, action in self.actions.items():
            checked = BY_NAME[name].checked
            if checked is not None and action.isChecked() != checked(now):
                action.setChecked(checked(now))


def window_actions(window: QWidget, handlers: Mapping[str, Handler]) -> dict[str, QAction]:
    """The window commands ``window`` answers (those named in ``handlers``), bound to it."""
    return {
        name: make_action(window, BY_NAME[name], handler, Qt.ShortcutContext.WindowShortcut)
        for name, handler in handlers.items()
    }


def fill_menus(
    bar: QMenuBar, actions: Mapping[str, QAction], names: Iterable[str] | None = None
) -> dict[str, QMenu]:
    """Menus in ``MENU_ORDER`` holding the given actions (default: all), in table order;
    menus that would be empty are left out. Titles are set by ``retranslate_menus``."""
    wanted = set(actions if names is None else names)
    menus: dict[str, QMenu] = {}
    for menu_name in MENU_ORDER:
        rows = [c for c in COMMANDS if c.menu == menu_name and c.name in wanted]
        if not rows:
            continue
        menu = bar.addMenu("")
        menu.setObjectName(menu_name)
        for command in rows:
            menu.addAction(actions[command.name])
        menus[menu_name] = menu
    return menus


def retranslate_menus(menus: Mapping[str, QMenu], tr: Translator) -> None:
    for name, menu in menus.items():
        menu.setTitle(tr(f"menu.{name}"))


def button(action: QAction) -> QToolButton:
    """A button for an action that never takes the keyboard (Space and Enter stay show
    keys)."""
    widget = QToolButton()
    widget.setDefaultAction(action)
    widget.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoRaise(False)
    return widget


def buttons_for(window: str) -> tuple[str, ...]:
    """The commands a window shows as buttons, in table order."""
    return tuple(c.name for c in COMMANDS if window in c.buttons)
