"""For windows fed every ``Display`` that spend most of a show hidden.

The stage manager's window and the confidence display are built after the MC's first frame
and stay hidden on a one-screen laptop. Drawing each Display there anyway (a recolour and a
relayout four times a second in flashing overtime) cost CPU for nothing: such a window keeps
the latest Display and draws it when it is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from runofshow._qt.show.display import Display


class DrawnWhenShown:
    """Mixin (before the Qt widget class): ``show_display`` draws at once when visible, else
    on the next show. The window implements ``_draw``."""

    _latest: Display | None = None
    _draw: Callable[[Display], None]  # the window's own drawing of one Display

    def show_display(self, display: Display) -> None:
        self._latest = display
        if self.isVisible():  # type: ignore[attr-defined]
            self._draw(display)

    def showEvent(self, event) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._latest is not None:
            self._draw(self._latest)
