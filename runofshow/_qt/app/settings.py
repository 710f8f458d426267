"""What the window remembers between runs: geometry, screen, mute, language and the show
network's switch, address and PINs (QSettings).

Only the window's own preferences live here; the show itself is in the journal. Tests point
QSettings at a temporary folder (``QSettings.setPath``), so they never touch a real profile.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "runofshow"
APPLICATION = "runofshow"


class WindowSettings:
    """Typed access to the few remembered values."""

    def __init__(self, settings: QSettings | None = None) -> None:
        if settings is None:
            # The default format, not QSettings(org, app), which is always the native one:
            # tests switch the default to INI files in a temporary folder.
            scope = QSettings.Scope.UserScope
            settings = QSettings(QSettings.defaultFormat(), scope, ORGANISATION, APPLICATION)
        self.store = settings

    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def screen(self) -> str | None:
        value = self.store.value("window/screen")
        return str(value) if value else None

    def muted(self) -> bool:
        return bool(self.store.value("sound/muted", False, type=bool))

    def language(self) -> str | None:
        value = self.store.value("ui/language")
        return str(value) if value else None

    def save_window(self, *, geometry: QByteArray, screen: str) -> None:
        """Where the MC's window was, for the next start."""
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/screen", screen)
        self.store.sync()

    def save_muted(self, muted: bool) -> None:
        self.store.setValue("sound/muted", muted)
        self.store.sync()

    def save_language(self, language: str) -> None:
        """Only a language picked in the menu is remembered: a language that merely came
        from the system (or from --lang) must not stick when the system's changes."""
        self.store.setValue("ui/language", language)
        self.store.sync()

    # -- the show network (the Network window; --serve and --pin are not remembered) ------
    def network_on(self) -> bool:
        return bool(self.store.value("network/on", False, type=bool))

    def network_address(self) -> str | None:
        value = self.store.value("network/address")
        return str(value) if value else None

    def network_pin(self) -> str | None:
        value = self.store.value("network/pin")
        return str(value) if value else None

    def network_view_pin(self) -> str | None:
        value = self.store.value("network/view_pin")
        return str(value) if value else None

    def save_network(
        self,
        *,
        on: bool | None = None,
        address: str | None = None,
        pin: str | None = None,
        view_pin: str | None = None,
    ) -> None:
        """What the Network window set (a value left None is left as it was)."""
        for key, value in (("on", on), ("address", address), ("pin", pin),
                           ("view_pin", view_pin)):  # fmt: skip
            if value is not None:
                self.store.setValue(f"network/{key}", value)
        self.store.sync()
